"""The scheduled consent mail, day by day: the weekly batch, reminders before the consent
deadline, renewal requests before a consent ends and the Art. 14 notice after a month.
Every job runs twice where it matters: the second run must send nothing."""

import datetime
import zoneinfo

import pytest
from time_machine import TimeMachineFixture

from silverpool.outreach.models import OutboundEmail
from silverpool.privacy import tasks
from silverpool.privacy.models import ConsentRecord, ConsentRequest, LegalBasis, Policy, Purpose
from silverpool.privacy.services import expire_consents
from silverpool.privacy.services.requests import request_consent
from silverpool.talents.models import Event, Talent

from ..talents.factories import make_talent
from .factories import give_consent

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Monday; the policy's batch is on Tuesdays at 09:00.
MONDAY = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=BERLIN)


def at(clock: TimeMachineFixture, days: int, hour: int = 10, minute: int = 0) -> None:
    """Travel to `days` after MONDAY, at the given local time."""
    day = MONDAY.date() + datetime.timedelta(days=days)
    clock.move_to(datetime.datetime.combine(day, datetime.time(hour, minute), BERLIN), tick=False)


@pytest.fixture
def clock(time_machine: TimeMachineFixture, db: None) -> TimeMachineFixture:
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


def mails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=template).order_by("id"))


def basis(talent: Talent) -> LegalBasis:
    return LegalBasis.objects.get(talent=talent)


# --- the weekly batch ----------------------------------------------------------------------


@pytest.fixture
def last_week(clock: TimeMachineFixture) -> None:
    """The batch ran last Tuesday."""
    Policy.objects.filter(pk=1).update(
        last_batch_at=datetime.datetime(2027, 2, 23, 9, 5, tzinfo=BERLIN)
    )


def test_the_weekly_batch_waits_for_its_weekday_and_time(
    clock: TimeMachineFixture, last_week: None
) -> None:
    make_talent(email="a@example.com")

    tasks.send_weekly_consent_requests.call()
    at(clock, 1, 8, 59)
    tasks.send_weekly_consent_requests.call()

    assert mails("consent_request") == []


def test_the_weekly_batch_asks_everyone_awaiting_consent_once(
    clock: TimeMachineFixture, last_week: None
) -> None:
    waiting = [make_talent(email="a@example.com"), make_talent(email="b@example.com")]
    consented = make_talent(email="c@example.com")
    give_consent(consented)
    make_talent(email="")

    at(clock, 1, 9, 5)
    tasks.send_weekly_consent_requests.call()
    at(clock, 1, 10, 5)
    tasks.send_weekly_consent_requests.call()
    at(clock, 2, 9, 5)
    tasks.send_weekly_consent_requests.call()

    sent = mails("consent_request")
    assert sorted(m.to_email for m in sent) == ["a@example.com", "b@example.com"]
    assert all(basis(t).asked_at is not None for t in waiting)
    [event] = waiting[0].events.filter(kind=Event.Kind.CONSENT_REQUESTED)
    assert (event.actor, event.actor_label) == (None, "System")


def test_next_week_only_the_newcomers_are_asked(clock: TimeMachineFixture, last_week: None) -> None:
    make_talent(email="a@example.com")
    at(clock, 1, 9, 5)
    tasks.send_weekly_consent_requests.call()
    make_talent(email="new@example.com")

    at(clock, 8, 9, 5)
    tasks.send_weekly_consent_requests.call()

    assert [m.to_email for m in mails("consent_request")] == ["a@example.com", "new@example.com"]


def test_a_batch_missed_by_a_stopped_scheduler_runs_at_the_next_check(
    clock: TimeMachineFixture, last_week: None
) -> None:
    make_talent(email="a@example.com")

    at(clock, 3, 14, 5)  # Thursday
    tasks.send_weekly_consent_requests.call()

    assert len(mails("consent_request")) == 1


def test_the_batch_does_nothing_while_the_gdpr_function_is_off(
    clock: TimeMachineFixture, last_week: None
) -> None:
    make_talent(email="a@example.com")
    Policy.objects.filter(pk=1).update(enabled=False)

    at(clock, 1, 9, 5)
    tasks.send_weekly_consent_requests.call()

    assert mails("consent_request") == []
    assert Policy.objects.get(pk=1).last_batch_at == datetime.datetime(
        2027, 2, 23, 9, 5, tzinfo=BERLIN
    )


# --- reminders -----------------------------------------------------------------------------


@pytest.fixture
def asked_talent(clock: TimeMachineFixture) -> Talent:
    """Came in on MONDAY (deadline in 30 days: 31 March) and was asked at once."""
    talent = make_talent(email="lena@example.com")
    request_consent(talent, actor=None)
    return talent


def run_reminders_daily(clock: TimeMachineFixture, days: range) -> dict[int, int]:
    """Run the reminder job twice on each day; how many reminders went out on which day."""
    sent: dict[int, int] = {}
    for day in days:
        at(clock, day, 8, 30)
        before = len(mails("consent_reminder"))
        tasks.send_consent_reminders.call()
        tasks.send_consent_reminders.call()
        if len(mails("consent_reminder")) > before:
            sent[day] = len(mails("consent_reminder")) - before
    return sent


def test_reminders_go_out_seven_and_two_days_before_the_deadline(
    clock: TimeMachineFixture, asked_talent: Talent
) -> None:
    sent = run_reminders_daily(clock, range(1, 31))

    assert sent == {23: 1, 28: 1}  # 24 and 29 March; the deadline is 31 March
    assert basis(asked_talent).reminders_sent == [7, 2]
    requests = ConsentRequest.objects.filter(talent=asked_talent, kind="reminder")
    assert requests.count() == 2
    assert "Without your consent we will delete your data on 31 Mar 2027" in (
        mails("consent_reminder")[0].body_text
    )


def test_no_reminder_for_a_talent_who_answered_or_was_never_asked(
    clock: TimeMachineFixture, asked_talent: Talent
) -> None:
    give_consent(asked_talent, method=ConsentRecord.Method.CONSENT_PAGE)
    make_talent(email="never-asked@example.com")

    assert run_reminders_daily(clock, range(1, 31)) == {}


def test_a_talent_asked_late_skips_the_reminders_whose_day_had_passed(
    clock: TimeMachineFixture,
) -> None:
    talent = make_talent(email="late@example.com")
    at(clock, 25)  # 6 days before the deadline
    request_consent(talent, actor=None)

    assert run_reminders_daily(clock, range(25, 31)) == {28: 1}


def test_a_scheduler_back_after_days_sends_one_reminder_not_several(
    clock: TimeMachineFixture, asked_talent: Talent
) -> None:
    assert run_reminders_daily(clock, range(29, 31)) == {29: 1}
    assert basis(asked_talent).reminders_sent == [2]


# --- renewal -------------------------------------------------------------------------------


@pytest.fixture
def consented(clock: TimeMachineFixture) -> Talent:
    """Consented on MONDAY: valid until 1 March 2028."""
    talent = make_talent(email="kim@example.com")
    give_consent(talent, method=ConsentRecord.Method.CONSENT_PAGE)
    return talent


def test_renewal_is_asked_thirty_days_before_the_consent_ends(
    clock: TimeMachineFixture, consented: Talent
) -> None:
    clock.move_to(datetime.datetime(2028, 1, 30, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()
    assert mails("consent_renewal") == []

    clock.move_to(datetime.datetime(2028, 1, 31, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()
    tasks.send_renewal_requests.call()

    [email] = mails("consent_renewal")
    assert "ends on 1 Mar 2028" in email.body_text
    [request] = ConsentRequest.objects.filter(talent=consented, kind="renewal")
    assert request.expires_at == datetime.datetime(2028, 3, 2, 0, 0, tzinfo=BERLIN)
    assert basis(consented).renewal_asked_at is not None


def test_without_an_answer_the_consent_expires(
    clock: TimeMachineFixture, consented: Talent
) -> None:
    clock.move_to(datetime.datetime(2028, 1, 31, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()

    expire_consents(datetime.date(2028, 3, 1))
    assert basis(consented).state == LegalBasis.State.CONSENT_VALID
    expire_consents(datetime.date(2028, 3, 2))

    assert basis(consented).state == LegalBasis.State.CONSENT_EXPIRED
    assert basis(consented).due_on == datetime.date(2028, 3, 2)


def test_a_renewed_consent_is_asked_again_a_year_later(
    clock: TimeMachineFixture, consented: Talent
) -> None:
    clock.move_to(datetime.datetime(2028, 1, 31, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()
    give_consent(consented, Purpose.TALENT_POOL, method=ConsentRecord.Method.CONSENT_PAGE)

    clock.move_to(datetime.datetime(2029, 1, 1, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()
    clock.move_to(datetime.datetime(2029, 1, 2, 8, 35, tzinfo=BERLIN), tick=False)
    tasks.send_renewal_requests.call()

    assert len(mails("consent_renewal")) == 2
    assert basis(consented).consent_valid_until == datetime.date(2029, 1, 31)


# --- the Art. 14 notice --------------------------------------------------------------------


def test_the_notice_goes_out_a_month_after_arrival_when_nobody_wrote(
    clock: TimeMachineFixture,
) -> None:
    talent = make_talent(email="imported@example.com", source_kind=Talent.SourceKind.IMPORT)
    make_talent(email="form@example.com", source_kind=Talent.SourceKind.FORM)
    make_talent(email="")

    at(clock, 30, 8, 40)  # 31 March: not yet a month
    tasks.send_privacy_notices.call()
    assert mails("privacy_notice") == []

    at(clock, 31, 8, 40)  # 1 April
    tasks.send_privacy_notices.call()
    tasks.send_privacy_notices.call()

    [email] = mails("privacy_notice")
    assert email.to_email == "imported@example.com"
    assert "Art. 14 GDPR" in email.body_text
    assert "imported by our recruiting team from a list" in email.body_text
    assert basis(talent).notice_sent_at is not None
    assert talent.events.filter(kind=Event.Kind.PRIVACY_NOTICE_SENT).count() == 1


def test_no_separate_notice_for_a_talent_whose_consent_request_carried_it(
    clock: TimeMachineFixture, asked_talent: Talent
) -> None:
    at(clock, 31, 8, 40)
    tasks.send_privacy_notices.call()

    assert mails("privacy_notice") == []
    assert "Art. 14 GDPR" in mails("consent_request")[0].body_text


def test_no_notice_while_the_gdpr_function_is_off(clock: TimeMachineFixture) -> None:
    make_talent(email="imported@example.com", source_kind=Talent.SourceKind.IMPORT)
    Policy.objects.filter(pk=1).update(enabled=False)

    at(clock, 31, 8, 40)
    tasks.send_privacy_notices.call()
    tasks.send_consent_reminders.call()
    tasks.send_renewal_requests.call()

    assert not OutboundEmail.objects.exists()
