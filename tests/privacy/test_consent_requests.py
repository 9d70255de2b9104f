"""Asking a talent for consent: the email, its language, the Art. 14 notice, and refusals."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.links import consent_url
from silverpool.privacy.models import (
    ConsentRecord,
    ConsentRequest,
    Policy,
    Purpose,
    Suppression,
)
from silverpool.privacy.services import suppress, withdraw_consent
from silverpool.privacy.services.notice import notice_text
from silverpool.privacy.services.requests import (
    ConsentRequestRefused,
    bulk_request_consent,
    request_consent,
)
from silverpool.talents.models import Event, Talent

from ..mailserver import MailServer
from ..talents.factories import make_talent
from .factories import give_consent

Callbacks = Callable[..., AbstractContextManager[Any]]
NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Refusals speak the recruiter's language; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com", country="DE")


def kinds(talent: Talent) -> list[str]:
    return list(talent.events.order_by("id").values_list("kind", flat=True))


def test_asking_queues_one_email_with_a_consent_link_and_the_privacy_notice(
    lena: Talent, rita: User
) -> None:
    request = request_consent(lena, actor=rita)

    [email] = OutboundEmail.objects.all()
    assert email.to_email == "lena@example.com"
    assert email.template == "consent_request"
    assert email.language == "de"
    assert email.idempotency_key == f"consent-request:{request.pk}"
    assert email.created_by == rita
    assert consent_url(request) in email.body_text
    assert "Art. 14 DSGVO" in email.body_text
    assert "Art. 77 DSGVO" in email.body_text  # the right to complain
    assert request.asked_by == rita
    assert request.expires_at == NOW + datetime.timedelta(days=14)
    lena.legal_basis.refresh_from_db()
    assert lena.legal_basis.asked_at == NOW
    assert lena.legal_basis.notice_sent_at == NOW
    assert kinds(lena)[-2:] == [Event.Kind.CONSENT_REQUESTED, Event.Kind.PRIVACY_NOTICE_SENT]


def test_the_notice_goes_with_the_first_email_only(
    lena: Talent, rita: User, clock: TimeMachineFixture
) -> None:
    request_consent(lena, actor=rita)
    clock.shift(datetime.timedelta(days=2))

    request_consent(lena, actor=rita)

    first, second = OutboundEmail.objects.order_by("id")
    assert "Art. 14" in first.body_text
    assert "Art. 14" not in second.body_text


def test_a_talent_from_a_form_gets_no_notice(db: None, rita: User) -> None:
    talent = make_talent(email="form@example.com", source_kind=Talent.SourceKind.FORM)

    request_consent(talent, actor=rita)

    [email] = OutboundEmail.objects.all()
    assert "Art. 14" not in email.body_text
    assert Event.Kind.PRIVACY_NOTICE_SENT not in kinds(talent)


def test_the_deadline_in_the_email_is_the_day_the_talent_would_be_deleted(
    db: None, rita: User
) -> None:
    talent = make_talent(email="sam@example.com", country="GB")

    request_consent(talent, actor=rita)

    [email] = OutboundEmail.objects.all()
    assert email.language == "en"
    assert "by 1 Apr 2027" in email.body_text  # 30 days after coming in on 2 March


def test_the_notice_names_the_source_the_controller_and_the_storage_period(db: None) -> None:
    Policy.objects.filter(pk=1).update(
        controller_name="Acme GmbH",
        controller_contact="Hauptstr. 1\n10115 Berlin",
        dpo_contact="dpo@acme.example",
        consent_deadline_days=21,
    )
    talent = make_talent(email="imported@example.com", source_kind=Talent.SourceKind.IMPORT)
    talent.source_label = "Career fair 2027"

    english = notice_text(talent, "en")
    german = notice_text(talent, "de")

    assert "Controller: Acme GmbH, Hauptstr. 1, 10115 Berlin" in english
    assert "Data protection officer: dpo@acme.example" in english
    assert "(source: Career fair 2027)" in english
    assert "21 days after we received it" in english
    assert "Talent pool; Job news by email" in english
    assert "Art. 6(1)(f) GDPR" in english
    assert "supervisory authority" in english
    assert "Verantwortlich: Acme GmbH" in german
    assert "Talentpool; Stellen-News per E-Mail" in german
    assert "Aufsichtsbehörde" in german


def test_the_notice_of_a_rejected_applicant_names_the_hold_period(db: None) -> None:
    talent = make_talent(email="ats@example.com", source_kind=Talent.SourceKind.ATS)
    basis = talent.legal_basis
    basis.state = basis.State.APPLICATION_HOLD
    basis.save()

    text = notice_text(talent, "en")

    assert "for 6 months to be able to answer legal claims" in text
    assert "§ 15(4) AGG" in text


# --- the language rule ---------------------------------------------------------------------


def language_of(talent: Talent, actor: User | None) -> str:
    return request_consent(talent, actor=actor).language


def test_talents_in_germany_austria_and_switzerland_are_asked_in_german(
    db: None, rita: User
) -> None:
    rita.language = "en"
    rita.save()

    assert [language_of(make_talent(country=country), rita) for country in ("DE", "AT", "CH")] == [
        "de",
        "de",
        "de",
    ]


def test_talents_elsewhere_are_asked_in_english_even_by_a_german_recruiter(
    db: None, rita: User
) -> None:
    rita.language = "de"
    rita.save()

    assert language_of(make_talent(country="FR"), rita) == "en"


def test_without_a_country_the_recruiters_language_is_used(db: None, rita: User) -> None:
    rita.language = "de"
    rita.save()

    assert language_of(make_talent(), rita) == "de"
    assert language_of(make_talent(owner=rita), None) == "de"
    assert language_of(make_talent(), None) == "en"


def test_a_talent_who_answered_in_a_language_keeps_getting_mail_in_it(
    lena: Talent, rita: User
) -> None:
    give_consent(
        lena, Purpose.EMAIL_CAMPAIGNS, method=ConsentRecord.Method.CONSENT_PAGE, language="en"
    )

    assert language_of(lena, rita) == "en"


# --- refusals ------------------------------------------------------------------------------


def refused(talent: Talent, actor: User | None, **kwargs: Any) -> str:
    with pytest.raises(ConsentRequestRefused) as caught:
        request_consent(talent, actor=actor, **kwargs)
    return caught.value.code


def test_nothing_is_asked_while_the_gdpr_function_is_off(lena: Talent, rita: User) -> None:
    Policy.objects.filter(pk=1).update(enabled=False)

    assert refused(lena, rita) == "disabled"
    assert not OutboundEmail.objects.exists()
    assert not ConsentRequest.objects.exists()


def test_a_talent_without_email_cannot_be_asked(db: None, rita: User) -> None:
    talent = make_talent(email="")

    with pytest.raises(ValueError, match="has no email address"):
        request_consent(talent, actor=rita)


def test_a_suppressed_address_is_not_asked(lena: Talent, rita: User) -> None:
    suppress("LENA@example.com", Suppression.Reason.ERASED)

    assert refused(lena, rita) == "suppressed"
    assert not OutboundEmail.objects.exists()


def test_a_talent_with_valid_consent_is_not_asked_again(lena: Talent, rita: User) -> None:
    give_consent(lena, recruiter=rita)

    assert refused(lena, rita) == "already_valid"


def test_a_talent_who_withdrew_is_not_asked_again(lena: Talent, rita: User) -> None:
    give_consent(lena, recruiter=rita)
    withdraw_consent(
        lena,
        [Purpose.TALENT_POOL],
        method=ConsentRecord.Method.PRIVACY_PAGE,
        actor=None,
        actor_label="Talent",
    )

    # Withdrawing puts the address on the suppression list, which is checked first.
    assert refused(lena, rita) == "suppressed"


def test_a_second_click_within_a_day_sends_nothing_more(
    lena: Talent, rita: User, clock: TimeMachineFixture
) -> None:
    request_consent(lena, actor=rita)

    assert refused(lena, rita) == "asked_recently"
    clock.shift(datetime.timedelta(hours=25))
    request_consent(lena, actor=rita)
    assert OutboundEmail.objects.count() == 2


def test_a_renewal_needs_a_valid_consent(lena: Talent) -> None:
    assert refused(lena, None, kind=ConsentRequest.Kind.RENEWAL) == "nothing_to_renew"


def test_a_renewal_link_works_until_the_consent_ends_and_at_least_a_week(
    lena: Talent, clock: TimeMachineFixture
) -> None:
    give_consent(lena)  # valid until 2 March 2028
    clock.move_to(datetime.datetime(2028, 2, 1, 9, 0, tzinfo=datetime.UTC), tick=False)

    early = request_consent(lena, actor=None, kind=ConsentRequest.Kind.RENEWAL)
    clock.move_to(datetime.datetime(2028, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    late = request_consent(lena, actor=None, kind=ConsentRequest.Kind.RENEWAL)

    # The consent ends with 2 March 2028, Berlin time.
    assert early.expires_at == datetime.datetime(2028, 3, 2, 23, 0, tzinfo=datetime.UTC)
    assert late.expires_at == datetime.datetime(2028, 3, 8, 9, 0, tzinfo=datetime.UTC)
    assert OutboundEmail.objects.filter(template="consent_renewal").count() == 2


def test_bulk_asking_counts_each_outcome(db: None, rita: User) -> None:
    talents = [
        make_talent(email="a@example.com"),
        make_talent(email="b@example.com"),
        make_talent(email=""),
        make_talent(email="c@example.com"),
    ]
    give_consent(talents[3])

    counts = bulk_request_consent(talents, actor=rita)

    assert counts == {"sent": 2, "no_email": 1, "already_valid": 1}
    assert OutboundEmail.objects.count() == 2


def test_the_request_arrives_at_a_real_mail_server(
    smtp_server: MailServer,
    lena: Talent,
    rita: User,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = request_consent(lena, actor=rita)

    [message] = smtp_server.to("lena@example.com")
    body = message.get_content()
    assert message["Subject"] == "Dürfen wir Ihr Profil in unserem Talent-Pool behalten?"
    assert consent_url(request) in body
    assert "Informationen zu Ihren personenbezogenen Daten (Art. 14 DSGVO)" in body


def test_a_recruiter_asks_a_selection_from_the_list(
    db: None, rita: User, recruiter_client: Client, viewer_client: Client
) -> None:
    talents = [make_talent(email="a@example.com"), make_talent(email="")]
    data = {"action": "ask_consent", "ids": [t.pk for t in talents], "query": ""}

    refused = viewer_client.post(reverse("talents:talent-bulk"), data)
    response = recruiter_client.post(reverse("talents:talent-bulk"), data, follow=True)

    assert refused.status_code == 403
    assert "Consent requested from 1 talent. 1 not asked (no email address: 1)." in (
        response.content.decode()
    )
    [email] = OutboundEmail.objects.all()
    assert email.to_email == "a@example.com"
