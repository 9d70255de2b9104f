"""The public consent page: what the talent sees, what a click records, and links that
are tampered with, expired or already used."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.privacy.links import consent_token
from silverpool.privacy.models import (
    ConsentRecord,
    ConsentRequest,
    ConsentText,
    LegalBasis,
    Policy,
    Purpose,
)
from silverpool.privacy.services import publish_text
from silverpool.privacy.services.requests import request_consent
from silverpool.talents.models import Talent

from ..talents.factories import make_talent

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)"


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def lena(db: None) -> Talent:
    Policy.objects.filter(pk=1).update(controller_name="Acme GmbH")
    return make_talent(first_name="Lena", email="lena@example.com", country="DE")


@pytest.fixture
def asked(lena: Talent, rita: User) -> ConsentRequest:
    return request_consent(lena, actor=rita)


def url(request: ConsentRequest, lang: str = "") -> str:
    path = reverse("privacy:consent-page", args=[consent_token(request)])
    return f"{path}?lang={lang}" if lang else path


def texts(language: str) -> list[int]:
    return [
        ConsentText.objects.filter(purpose__key=key, language=language).first().pk  # type: ignore[union-attr]
        for key in (Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)
    ]


def answer(request: ConsentRequest, *given: str, decline: bool = False, lang: str = "de") -> int:
    data: dict[str, object] = {"lang": lang, "text": texts(lang), "given": list(given)}
    data["decline" if decline else "save"] = "1"
    response = Client(headers={"user-agent": BROWSER}).post(url(request), data)
    return response.status_code


def decisions(talent: Talent) -> dict[str, str]:
    return {r.purpose.key: r.decision for r in ConsentRecord.objects.filter(talent=talent)}


def test_the_page_asks_in_the_talents_language_with_one_unticked_box_per_purpose(
    asked: ConsentRequest,
) -> None:
    response = Client().get(url(asked))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in html
    assert "Guten Tag Lena, Acme GmbH möchte Sie" in html
    assert "<legend>Was dürfen wir mit Ihren Daten tun?</legend>" in html
    assert html.count('type="checkbox"') == 2
    assert "checked" not in html
    assert '<label for="given-talent_pool">Talentpool</label>' in html
    assert "Ich willige ein, dass mein Profil" in html
    assert "Meine Auswahl speichern" in html
    assert "Nein danke – meine Daten löschen" in html
    assert response["Referrer-Policy"] == "same-origin"
    # The site's CSP holds: no inline script or style, the form posts to the site itself.
    assert "form-action 'self'" in response["Content-Security-Policy"]
    assert "style=" not in html
    assert "<script>" not in html


def test_the_talent_can_switch_to_english(asked: ConsentRequest) -> None:
    response = Client().get(url(asked, "en"))

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "I agree that my profile" in html
    assert "No thanks — delete my data" in html


def test_saving_records_each_purpose_with_its_proof(asked: ConsentRequest, rita: User) -> None:
    status = answer(asked, Purpose.TALENT_POOL)

    talent = asked.talent
    assert status == 302
    assert decisions(talent) == {"talent_pool": "given", "email_campaigns": "declined"}
    given = ConsentRecord.objects.get(talent=talent, purpose__key=Purpose.TALENT_POOL)
    assert given.method == ConsentRecord.Method.CONSENT_PAGE
    assert given.text is not None
    assert given.text.pk == texts("de")[0]
    assert given.language == "de"
    assert given.ip_address == "127.0.0.1"
    assert given.user_agent == BROWSER
    assert given.asked_by == rita
    assert given.request == asked
    assert given.valid_until == datetime.date(2028, 3, 2)
    basis = LegalBasis.objects.get(talent=talent)
    assert basis.state == LegalBasis.State.CONSENT_VALID
    assert basis.purposes == [Purpose.TALENT_POOL]


def test_after_saving_the_page_thanks_and_shows_the_choice(asked: ConsentRequest) -> None:
    client = Client()
    response = client.post(
        url(asked),
        {"lang": "en", "text": texts("en"), "given": [Purpose.TALENT_POOL], "save": "1"},
        follow=True,
    )

    html = response.content.decode()
    assert "Thank you. Your choice is saved." in html
    assert "<h1>Your choice</h1>" in html
    assert "Talent pool:</strong>" in html
    assert "agreed" in html
    assert "We keep your profile until 2 Mar 2028" in html
    assert 'type="checkbox"' not in html


def test_a_second_submit_changes_nothing_and_shows_the_current_choice(
    asked: ConsentRequest,
) -> None:
    answer(asked, Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)

    status = answer(asked, decline=True)

    assert status == 302
    assert ConsentRecord.objects.count() == 2
    assert LegalBasis.objects.get(talent=asked.talent).state == LegalBasis.State.CONSENT_VALID
    page = Client().get(url(asked, "en")).content.decode()
    assert page.count("consent-given") == 2


def test_no_thanks_declines_everything_and_the_talent_is_deleted_at_the_next_run(
    asked: ConsentRequest,
) -> None:
    answer(asked, Purpose.TALENT_POOL, decline=True)

    basis = LegalBasis.objects.get(talent=asked.talent)
    assert decisions(asked.talent) == {"talent_pool": "declined", "email_campaigns": "declined"}
    assert basis.state == LegalBasis.State.DECLINED
    assert basis.due_on == datetime.date(2027, 3, 3)
    html = Client().get(url(asked, "en")).content.decode()
    assert "We delete your data on 3 Mar 2027." in html


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(asked: ConsentRequest) -> None:
    tampered = reverse("privacy:consent-page", args=[consent_token(asked)[:-2] + "xx"])

    shown = Client().get(tampered + "?lang=en")
    posted = Client().post(tampered, {"lang": "en", "text": texts("en"), "save": "1"})

    assert shown.status_code == 404
    assert "This link does not work" in shown.content.decode()
    assert posted.status_code == 404
    assert not ConsentRecord.objects.exists()


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(
    asked: ConsentRequest, clock: TimeMachineFixture
) -> None:
    clock.shift(datetime.timedelta(days=14, seconds=1))

    shown = Client().get(url(asked, "en"))
    status = answer(asked, Purpose.TALENT_POOL)

    assert shown.status_code == 410
    assert "This link has expired" in shown.content.decode()
    assert "valid until 16 Mar 2027" in shown.content.decode()
    assert status == 302  # back to the page, which says it expired
    assert not ConsentRecord.objects.exists()
    assert LegalBasis.objects.get(talent=asked.talent).state == LegalBasis.State.AWAITING_CONSENT


def test_an_earlier_link_is_settled_once_a_later_one_was_answered(
    asked: ConsentRequest, clock: TimeMachineFixture
) -> None:
    clock.shift(datetime.timedelta(days=3))
    reminder = request_consent(asked.talent, actor=None, kind=ConsentRequest.Kind.REMINDER)
    answer(reminder, Purpose.TALENT_POOL)

    response = Client().get(url(asked, "en"))
    status = answer(asked, decline=True)

    assert "<h1>Your choice</h1>" in response.content.decode()
    assert status == 302
    assert ConsentRecord.objects.count() == 2


def test_texts_changed_while_the_page_was_open_are_shown_again_first(
    asked: ConsentRequest, alice: User
) -> None:
    old = texts("de")
    publish_text(
        Purpose.objects.get(key=Purpose.TALENT_POOL),
        language="de",
        text="Neuer Text: Ich willige ein.",
        actor=alice,
    )

    response = Client().post(
        url(asked), {"lang": "de", "text": old, "given": [Purpose.TALENT_POOL], "save": "1"}
    )

    assert response.status_code == 409
    assert "Der Wortlaut wurde gerade aktualisiert" in response.content.decode()
    assert "Neuer Text: Ich willige ein." in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_the_form_works_with_csrf_checks_from_a_fresh_browser(asked: ConsentRequest) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(url(asked))
    token = browser.cookies["csrftoken"].value

    refused = Client(enforce_csrf_checks=True).post(
        url(asked), {"lang": "de", "text": texts("de"), "save": "1"}
    )
    accepted = browser.post(
        url(asked),
        {"lang": "de", "text": texts("de"), "save": "1", "csrfmiddlewaretoken": token},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert decisions(asked.talent) == {"talent_pool": "declined", "email_campaigns": "declined"}


def test_the_link_of_a_merged_duplicate_still_answers_for_the_merged_profile(
    asked: ConsentRequest, rita: User
) -> None:
    from silverpool.talents.services import merge_talents

    primary = make_talent(first_name="Lena", email="lena.vogel@example.com")
    merge_talents(primary, asked.talent, choices={}, actor=rita)

    answer(asked, Purpose.TALENT_POOL)

    assert decisions(primary) == {"talent_pool": "given", "email_campaigns": "declined"}
    assert LegalBasis.objects.get(talent=primary).state == LegalBasis.State.CONSENT_VALID
