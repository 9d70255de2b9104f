"""The upcoming-deletions page: who goes in the next 7 and 30 days and why, who is on
legal hold, and the legal-hold actions; each role sees and does only what it may."""

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy import services as privacy
from silverpool.privacy.models import ConsentRecord, ConsentRequest, LegalBasis, Policy, Purpose
from silverpool.talents.models import Event, Talent
from tests.talents.factories import make_pool, make_talent

TODAY = datetime.date(2027, 6, 15)
URL = reverse("privacy:forecast")


@pytest.fixture(autouse=True)
def _today() -> Any:
    moment = datetime.datetime.combine(TODAY, datetime.time(10), ZoneInfo("Europe/Berlin"))
    with time_machine.travel(moment, tick=False):
        yield


def due_in(days: int, **fields: Any) -> Talent:
    """A talent awaiting consent whose deadline is `days` from today."""
    talent = make_talent(**fields)
    due = TODAY + datetime.timedelta(days=days)
    LegalBasis.objects.filter(talent=talent).update(consent_deadline=due, due_on=due)
    return talent


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


def test_recruiters_see_who_goes_in_7_and_in_30_days_and_why(
    rita: User, recruiter_client: Client
) -> None:
    soon = due_in(3, first_name="Anton", last_name="Bald")
    overdue = due_in(-2, first_name="Olga", last_name="Ueberfaellig")
    later = due_in(20, first_name="Lara", last_name="Spaeter")
    due_in(45, first_name="Fritz", last_name="Fern")
    expiring = make_talent(first_name="Vera", last_name="Ablauf")
    privacy.record_consent(
        expiring,
        privacy.ConsentGrant(
            method=ConsentRecord.Method.RECRUITER, language="en", given=[Purpose.TALENT_POOL]
        ),
        actor=rita,
    )
    LegalBasis.objects.filter(talent=expiring).update(
        consent_valid_until=TODAY + datetime.timedelta(days=10)
    )
    LegalBasis.objects.filter(talent=soon).update(
        asked_at=datetime.datetime(2027, 5, 20, 9, tzinfo=datetime.UTC), reminders_sent=[7, 2]
    )

    response = recruiter_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    in_7 = section(html, "soon")
    in_30 = section(html, "later")
    assert "Bald" in in_7
    assert "deadline 18 Jun 2027" in in_7
    assert "2 reminders" in in_7
    assert "Ueberfaellig" in in_7
    assert "at the next nightly run" in in_7
    assert "Spaeter" in in_30
    assert "Ablauf" in in_30
    assert "consent ends 25 Jun 2027, not renewed" in in_30
    assert "26 Jun 2027" in in_30
    assert "not asked" in in_30
    assert "renewal not asked" in in_30
    assert "Fern" not in html
    assert "Spaeter" not in in_7
    assert f"/talents/{later.pk}/" in in_30
    assert f"/talents/{overdue.pk}/" in in_7


def test_a_recruiter_never_sees_talents_of_private_pools_they_are_not_in(
    alice: User, rita: User, recruiter_client: Client, admin_client: Client
) -> None:
    secret = make_pool("Board search", is_private=True)
    hidden = due_in(3, first_name="Geheim", last_name="Vorstand", pools=[secret])
    privacy.set_legal_hold(
        hidden, reason="Board dispute", until=TODAY + datetime.timedelta(days=90), actor=alice
    )
    due_in(4, first_name="Geheim", last_name="Zwei", pools=[secret])

    recruiter_html = recruiter_client.get(URL).content.decode()
    admin_html = admin_client.get(URL).content.decode()

    assert "Geheim" not in recruiter_html
    assert "Board dispute" not in recruiter_html
    assert "Zwei" in admin_html
    assert "Board dispute" in admin_html


def test_talents_on_legal_hold_are_listed_apart_with_reason_and_end(
    alice: User, recruiter_client: Client
) -> None:
    held = due_in(3, first_name="Hugo", last_name="Haltbar")
    ends_soon = due_in(2, first_name="Kurt", last_name="Kurzhalt")
    privacy.set_legal_hold(
        held, reason="Lawsuit 4 O 12/26", until=TODAY + datetime.timedelta(days=90), actor=alice
    )
    privacy.set_legal_hold(
        ends_soon, reason="Audit", until=TODAY + datetime.timedelta(days=5), actor=alice
    )

    html = recruiter_client.get(URL).content.decode()

    holds = section(html, "holds")
    assert "Haltbar" in holds
    assert "Lawsuit 4 O 12/26" in holds
    assert "13 Sep 2027" in holds
    assert "Haltbar" not in section(html, "soon")
    # A hold that ends first only moves the day: the talent goes the day after it ends.
    assert "Kurzhalt" in section(html, "soon")
    assert "legal hold until 20 Jun 2027" in section(html, "soon")
    assert "21 Jun 2027" in section(html, "soon")
    assert "Lift hold" not in html
    assert "Set legal hold" not in html


def test_an_admin_sets_a_legal_hold_from_the_forecast(alice: User, admin_client: Client) -> None:
    talent = due_in(3)
    url = reverse("privacy:legal-hold-set", args=[talent.pk])
    prefix = f"hold-{talent.pk}-"

    response = admin_client.post(
        url, {prefix + "reason": "Lawsuit", prefix + "until": "2027-12-31"}, follow=True
    )

    basis = LegalBasis.objects.get(talent=talent)
    assert (basis.legal_hold_reason, basis.legal_hold_until) == (
        "Lawsuit",
        datetime.date(2027, 12, 31),
    )
    assert "is on legal hold until 31 Dec 2027" in response.content.decode()
    assert "Lawsuit" in section(response.content.decode(), "holds")
    assert Event.objects.filter(talent=talent, kind=Event.Kind.LEGAL_HOLD_SET).exists()


def test_a_legal_hold_needs_a_reason_and_an_end_that_is_not_past(
    alice: User, admin_client: Client
) -> None:
    talent = due_in(3)
    url = reverse("privacy:legal-hold-set", args=[talent.pk])
    prefix = f"hold-{talent.pk}-"

    empty = admin_client.post(url, {prefix + "reason": "  ", prefix + "until": ""})
    past = admin_client.post(url, {prefix + "reason": "Lawsuit", prefix + "until": "2027-06-14"})

    assert empty.status_code == 422
    html = empty.content.decode()
    assert "Give the reason for the hold." in html
    assert "Give the day the hold ends." in html
    assert "<details open>" in html
    assert past.status_code == 422
    assert "The hold must end today or later." in past.content.decode()
    assert LegalBasis.objects.get(talent=talent).legal_hold_until is None


def test_an_admin_lifts_a_legal_hold(alice: User, admin_client: Client) -> None:
    talent = due_in(3, first_name="Hugo", last_name="Haltbar")
    privacy.set_legal_hold(
        talent, reason="Lawsuit", until=TODAY + datetime.timedelta(days=90), actor=alice
    )

    response = admin_client.post(reverse("privacy:legal-hold-lift", args=[talent.pk]), follow=True)

    assert LegalBasis.objects.get(talent=talent).legal_hold_until is None
    html = response.content.decode()
    assert "The legal hold on Hugo Haltbar was lifted." in html
    assert "Haltbar" in section(html, "soon")


def test_recruiters_may_not_set_or_lift_legal_holds(alice: User, recruiter_client: Client) -> None:
    talent = due_in(3)
    prefix = f"hold-{talent.pk}-"
    privacy.set_legal_hold(
        talent, reason="Lawsuit", until=TODAY + datetime.timedelta(days=90), actor=alice
    )

    set_response = recruiter_client.post(
        reverse("privacy:legal-hold-set", args=[talent.pk]),
        {prefix + "reason": "Mine", prefix + "until": "2027-12-31"},
    )
    lift_response = recruiter_client.post(reverse("privacy:legal-hold-lift", args=[talent.pk]))

    assert set_response.status_code == 403
    assert lift_response.status_code == 403
    assert LegalBasis.objects.get(talent=talent).legal_hold_reason == "Lawsuit"


def test_hold_actions_on_a_talent_the_user_may_not_see_answer_404(
    rita: User, recruiter_client: Client
) -> None:
    talent = due_in(3, pools=[make_pool(is_private=True)])
    prefix = f"hold-{talent.pk}-"

    set_response = recruiter_client.post(
        reverse("privacy:legal-hold-set", args=[talent.pk]),
        {prefix + "reason": "Mine", prefix + "until": "2027-12-31"},
    )
    lift_response = recruiter_client.post(reverse("privacy:legal-hold-lift", args=[talent.pk]))

    assert (set_response.status_code, lift_response.status_code) == (404, 404)


def test_viewers_may_not_see_the_forecast(victor: User, viewer_client: Client) -> None:
    talent = due_in(3)

    assert viewer_client.get(URL).status_code == 403
    assert (
        viewer_client.post(reverse("privacy:legal-hold-lift", args=[talent.pk])).status_code == 403
    )


def test_the_page_says_when_the_gdpr_function_is_off(rita: User, recruiter_client: Client) -> None:
    due_in(3, first_name="Anton", last_name="Bald")
    privacy.get_policy()
    Policy.objects.filter(pk=1).update(enabled=False)

    html = recruiter_client.get(URL).content.decode()

    assert "The GDPR function is off" in html
    assert "Bald" not in html


def test_the_page_says_what_the_anonymise_policy_keeps(
    rita: User, recruiter_client: Client
) -> None:
    privacy.get_policy()
    Policy.objects.filter(pk=1).update(end_action=Policy.EndAction.ANONYMISE)

    html = recruiter_client.get(URL).content.decode()

    assert "only a stub without personal data" in html


def test_a_recruiter_asks_a_talent_for_consent_again(rita: User, recruiter_client: Client) -> None:
    talent = due_in(3, first_name="Anton", last_name="Bald", email="anton@example.org")

    page = recruiter_client.get(URL).content.decode()
    response = recruiter_client.post(reverse("privacy:consent-ask", args=[talent.pk]), follow=True)

    assert "Ask for consent" in section(page, "soon")
    assert "Anton Bald was asked for consent." in response.content.decode()
    again = recruiter_client.get(URL).content.decode()
    assert "Ask again" in section(again, "soon")
    request = ConsentRequest.objects.get(talent=talent)
    assert (request.kind, request.asked_by) == ("consent", rita)
    assert OutboundEmail.objects.filter(talent=talent, to_email="anton@example.org").count() == 1
    assert LegalBasis.objects.get(talent=talent).asked_at is not None


def test_asking_again_before_a_consent_ends_asks_for_renewal(
    rita: User, recruiter_client: Client
) -> None:
    talent = make_talent(first_name="Vera", last_name="Ablauf")
    privacy.record_consent(
        talent,
        privacy.ConsentGrant(
            method=ConsentRecord.Method.RECRUITER, language="en", given=[Purpose.TALENT_POOL]
        ),
        actor=rita,
    )
    LegalBasis.objects.filter(talent=talent).update(
        consent_valid_until=TODAY + datetime.timedelta(days=10)
    )

    recruiter_client.post(reverse("privacy:consent-ask", args=[talent.pk]))

    assert ConsentRequest.objects.get(talent=talent).kind == "renewal"


def test_who_declined_is_not_asked_again(rita: User, recruiter_client: Client) -> None:
    talent = make_talent(first_name="Nina", last_name="Nein")
    privacy.record_consent(
        talent,
        privacy.ConsentGrant(
            method=ConsentRecord.Method.RECRUITER, language="en", declined=[Purpose.TALENT_POOL]
        ),
        actor=rita,
    )

    page = recruiter_client.get(URL).content.decode()
    response = recruiter_client.post(reverse("privacy:consent-ask", args=[talent.pk]), follow=True)

    assert "Nein" in section(page, "soon")
    assert "Ask again" not in section(page, "soon")
    assert "Ask for consent" not in section(page, "soon")
    assert "declined or withdrew consent and is not asked again" in response.content.decode()
    assert not ConsentRequest.objects.filter(talent=talent).exists()


def test_viewers_may_not_ask_again(victor: User, viewer_client: Client) -> None:
    talent = due_in(3)

    response = viewer_client.post(reverse("privacy:consent-ask", args=[talent.pk]))

    assert response.status_code == 403
    assert not ConsentRequest.objects.filter(talent=talent).exists()


def test_a_german_recruiter_reads_the_page_in_german(rita: User, recruiter_client: Client) -> None:
    rita.language = "de"
    rita.save()
    due_in(3, first_name="Anton", last_name="Bald")

    html = recruiter_client.get(URL).content.decode()

    for german in [
        "Anstehende Löschungen",
        "In den nächsten 7 Tagen",
        "Frist",
        "Um Einwilligung bitten",
    ]:
        assert german in html, german
