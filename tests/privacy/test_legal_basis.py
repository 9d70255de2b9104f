"""The legal-basis core (privacy/services/basis.py and policy.py): how a talent's basis
starts, consent given, declined and withdrawn, the suppression list, legal holds, expiry,
postponed deadlines, and month arithmetic."""

import datetime
import re

import pytest
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.privacy.models import (
    AuditEntry,
    ConsentRecord,
    ConsentText,
    LegalBasis,
    Policy,
    Purpose,
    Suppression,
    new_link_key,
    new_link_keys,
)
from silverpool.privacy.services import (
    ConsentGrant,
    add_months,
    expire_consents,
    is_suppressed,
    lift_legal_hold,
    may_email,
    postpone_past_deadlines,
    publish_text,
    record_consent,
    set_legal_hold,
    suppress,
    withdraw_consent,
)
from silverpool.privacy.services.requests import request_consent
from silverpool.talents.models import Event, Talent
from silverpool.talents.services import intake_talent

from ..talents.factories import make_talent
from .factories import give_consent

TODAY = datetime.date(2027, 3, 2)
TOMORROW = TODAY + datetime.timedelta(days=1)
State = LegalBasis.State
Method = ConsentRecord.Method


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    return time_machine


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", email="lena@example.com")


def basis(talent: Talent) -> LegalBasis:
    return LegalBasis.objects.get(talent=talent)


def arrive(email: str, source_kind: Talent.SourceKind, **kwargs: object) -> Talent:
    return intake_talent(
        {"first_name": "Sam", "email": email},
        actor=None,
        actor_label="Import",
        source_kind=source_kind,
        **kwargs,  # type: ignore[arg-type]
    ).talent


# --- how a legal basis starts -------------------------------------------------------------


def test_a_new_talent_awaits_consent_for_the_policys_days_and_is_owed_a_notice(
    lena: Talent,
) -> None:
    started = basis(lena)

    assert started.state == State.AWAITING_CONSENT
    assert started.consent_deadline == datetime.date(2027, 4, 1)
    assert started.due_on == datetime.date(2027, 4, 1)
    assert started.notice_due_on == datetime.date(2027, 4, 2)
    assert not lena.events.filter(kind=Event.Kind.LEGAL_BASIS_CHANGED).exists()


def test_a_rejected_applicant_from_the_ats_starts_on_an_application_hold(db: None) -> None:
    Policy.objects.filter(pk=1).update(hold_months=7)

    talent = arrive("ats@example.com", Talent.SourceKind.ATS, rejected_applicant=True)

    started = basis(talent)
    assert started.state == State.APPLICATION_HOLD
    assert started.hold_until == datetime.date(2027, 10, 2)
    assert started.due_on == datetime.date(2027, 10, 2)


def test_a_form_that_captured_consent_starts_the_talent_with_valid_consent(db: None) -> None:
    grant = ConsentGrant(
        method=Method.FORM, language="de", given=[Purpose.TALENT_POOL], ip_address="192.0.2.1"
    )

    talent = arrive("form@example.com", Talent.SourceKind.FORM, consent=grant)

    started = basis(talent)
    assert started.state == State.CONSENT_VALID
    assert started.consent_valid_until == datetime.date(2028, 3, 2)
    assert started.purposes == [Purpose.TALENT_POOL]
    assert started.notice_due_on is None  # the talent gave the data themself
    [proof] = ConsentRecord.objects.filter(talent=talent)
    assert (proof.method, proof.language, proof.ip_address) == ("form", "de", "192.0.2.1")
    assert proof.text == ConsentText.objects.get(purpose__key="talent_pool", language="de")


def test_a_known_talent_rejected_again_starts_a_new_hold_unless_they_consented(
    lena: Talent,
) -> None:
    kim = make_talent(email="kim@example.com")
    give_consent(kim)

    arrive("lena@example.com", Talent.SourceKind.ATS, rejected_applicant=True)
    arrive("kim@example.com", Talent.SourceKind.ATS, rejected_applicant=True)

    assert basis(lena).state == State.APPLICATION_HOLD
    assert lena.events.filter(kind=Event.Kind.LEGAL_BASIS_CHANGED).count() == 1
    assert basis(kim).state == State.CONSENT_VALID


# --- consent given and declined ------------------------------------------------------------


def test_consent_to_the_pool_makes_the_basis_valid_for_the_policys_months(
    lena: Talent, rita: User
) -> None:
    Policy.objects.filter(pk=1).update(consent_validity_months=24)
    LegalBasis.objects.filter(talent=lena).update(reminders_sent=[7])

    records = give_consent(lena, recruiter=rita)

    now = basis(lena)
    assert now.state == State.CONSENT_VALID
    assert now.consent_valid_until == datetime.date(2029, 3, 2)
    assert now.due_on == datetime.date(2029, 3, 2)
    assert now.reminders_sent == []
    assert {r.valid_until for r in records} == {datetime.date(2029, 3, 2)}
    assert lena.events.filter(kind=Event.Kind.CONSENT_RECORDED).count() == 1
    assert AuditEntry.objects.filter(action="consent", talent_id=lena.pk, actor=rita).exists()


def test_campaign_consent_alone_keeps_the_state(lena: Talent) -> None:
    give_consent(lena, Purpose.EMAIL_CAMPAIGNS)

    assert basis(lena).state == State.AWAITING_CONSENT
    assert basis(lena).purposes == [Purpose.EMAIL_CAMPAIGNS]


def test_declining_the_pool_makes_the_talent_due_at_the_next_nightly_run(lena: Talent) -> None:
    grant = ConsentGrant(method=Method.CONSENT_PAGE, language="en", declined=[Purpose.TALENT_POOL])

    record_consent(lena, grant, actor=None, actor_label="Talent")

    assert (basis(lena).state, basis(lena).due_on) == (State.DECLINED, TOMORROW)
    [record] = ConsentRecord.objects.filter(talent=lena)
    assert (record.decision, record.valid_until) == ("declined", None)


def test_an_unknown_purpose_is_refused(lena: Talent) -> None:
    grant = ConsentGrant(method=Method.API, language="en", given=["newsletter"])

    with pytest.raises(ValueError, match="Unknown purposes"):
        record_consent(lena, grant, actor=None)
    assert not ConsentRecord.objects.exists()


def test_the_answer_marks_its_request_answered(lena: Talent) -> None:
    request = request_consent(lena, actor=None)
    grant = ConsentGrant(
        method=Method.CONSENT_PAGE, language="en", given=[Purpose.TALENT_POOL], request=request
    )

    record_consent(lena, grant, actor=None)

    request.refresh_from_db()
    assert request.answered_at is not None


def test_records_are_append_only_and_texts_are_versioned(lena: Talent, alice: User) -> None:
    [record] = give_consent(lena, Purpose.TALENT_POOL)
    pool = Purpose.objects.get(key=Purpose.TALENT_POOL)
    first = ConsentText.objects.get(purpose=pool, language="en")

    second = publish_text(pool, language="en", text="New wording.", actor=alice)
    same = publish_text(pool, language="en", text="New wording.", actor=alice)

    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="versioned"):
        first.save()
    assert (second.version, same.pk) == (2, second.pk)
    assert ConsentRecord.objects.get(pk=record.pk).text == first


# --- withdrawal and the suppression list ---------------------------------------------------


def test_withdrawing_the_pool_suppresses_the_address_and_makes_the_talent_due(
    lena: Talent,
) -> None:
    give_consent(lena)

    withdraw_consent(
        lena, [Purpose.TALENT_POOL], method=Method.PRIVACY_PAGE, actor=None, actor_label="Talent"
    )

    now = basis(lena)
    assert (now.state, now.due_on, now.purposes) == (State.WITHDRAWN, TOMORROW, [])
    assert is_suppressed("Lena@Example.com")
    assert Suppression.objects.get().reason == Suppression.Reason.WITHDRAWN
    decisions = list(ConsentRecord.objects.filter(talent=lena).values_list("decision", flat=True))
    assert sorted(decisions) == ["given", "given", "withdrawn"]


def test_unsubscribing_from_campaigns_keeps_the_pool_consent(lena: Talent) -> None:
    give_consent(lena)

    withdraw_consent(lena, [Purpose.EMAIL_CAMPAIGNS], method=Method.UNSUBSCRIBE, actor=None)

    assert basis(lena).state == State.CONSENT_VALID
    assert basis(lena).purposes == [Purpose.TALENT_POOL]
    assert Suppression.objects.get().reason == Suppression.Reason.UNSUBSCRIBED
    assert not may_email(lena, Purpose.EMAIL_CAMPAIGNS)


def test_only_consent_the_person_gives_themself_lifts_the_suppression(
    lena: Talent, rita: User
) -> None:
    suppress(lena.email, Suppression.Reason.WITHDRAWN)

    give_consent(lena, recruiter=rita)
    assert is_suppressed(lena.email)
    give_consent(lena, Purpose.TALENT_POOL, method=Method.CONSENT_PAGE)

    assert not is_suppressed(lena.email)


def test_may_email_needs_consent_to_the_purpose_unless_the_gdpr_function_is_off(
    lena: Talent,
) -> None:
    assert not may_email(lena, Purpose.EMAIL_CAMPAIGNS)
    give_consent(lena, Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)
    assert may_email(lena, Purpose.EMAIL_CAMPAIGNS)

    other = make_talent(email="other@example.com")
    Policy.objects.filter(pk=1).update(enabled=False)
    assert may_email(other, Purpose.EMAIL_CAMPAIGNS)
    suppress(other.email, Suppression.Reason.ERASED)
    assert not may_email(other, Purpose.EMAIL_CAMPAIGNS)


# --- legal hold ------------------------------------------------------------------------------


def test_a_legal_hold_needs_a_reason_and_a_future_end(lena: Talent, alice: User) -> None:
    with pytest.raises(ValueError, match="reason"):
        set_legal_hold(lena, reason=" ", until=datetime.date(2027, 6, 1), actor=alice)
    with pytest.raises(ValueError, match="future"):
        set_legal_hold(lena, reason="Lawsuit", until=datetime.date(2027, 3, 1), actor=alice)


def test_a_legal_hold_is_set_and_lifted_with_events_and_audit(lena: Talent, alice: User) -> None:
    set_legal_hold(lena, reason="Lawsuit 4 Ca 12/27", until=datetime.date(2027, 6, 1), actor=alice)
    held = basis(lena)
    assert held.on_legal_hold()
    assert not held.on_legal_hold(datetime.date(2027, 6, 2))

    lift_legal_hold(lena, actor=alice)

    assert not basis(lena).on_legal_hold()
    assert list(
        lena.events.filter(kind__startswith="legal_hold").values_list("kind", flat=True)
    ) == [Event.Kind.LEGAL_HOLD_LIFTED, Event.Kind.LEGAL_HOLD_SET]
    assert AuditEntry.objects.filter(action="legal_hold", talent_id=lena.pk).count() == 2


# --- expiry and postponed deadlines ------------------------------------------------------------


def test_consent_expires_the_day_after_its_last_day(lena: Talent) -> None:
    give_consent(lena)  # valid until 2 March 2028

    assert expire_consents(datetime.date(2028, 3, 2)) == 0
    assert expire_consents(datetime.date(2028, 3, 3)) == 1
    assert expire_consents(datetime.date(2028, 3, 3)) == 0

    now = basis(lena)
    assert (now.state, now.due_on, now.purposes) == (
        State.CONSENT_EXPIRED,
        datetime.date(2028, 3, 3),
        [],
    )
    event = lena.events.filter(kind=Event.Kind.LEGAL_BASIS_CHANGED).first()
    assert event is not None
    assert (event.actor_label, event.data["new"]) == ("System", State.CONSENT_EXPIRED)


def test_switching_the_function_on_again_postpones_deadlines_that_passed(
    lena: Talent,
) -> None:
    LegalBasis.objects.filter(talent=lena).update(
        consent_deadline=datetime.date(2027, 2, 1),
        due_on=datetime.date(2027, 2, 1),
        reminders_sent=[7, 2],
    )
    kim = make_talent(email="kim@example.com")
    give_consent(kim)

    moved = postpone_past_deadlines(TODAY)

    assert moved == 1
    assert basis(lena).consent_deadline == datetime.date(2027, 4, 1)
    assert basis(lena).reminders_sent == []
    assert basis(kim).state == State.CONSENT_VALID


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2027, 12, 15), 1, datetime.date(2028, 1, 15)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2027, 3, 31), 24, datetime.date(2029, 3, 31)),
        (datetime.date(2027, 5, 31), 0, datetime.date(2027, 5, 31)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert add_months(day, months) == expected


def test_link_keys_made_together_are_each_a_whole_key_and_each_another() -> None:
    # Made in one read of the system's randomness for an import's new talents: each must
    # be what new_link_key makes alone, a privacy link's secret of its own.
    keys = new_link_keys(1_000)

    assert len(set(keys)) == 1_000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", key) for key in [*keys, new_link_key()])
