"""The talent's privacy page (signed link, no login): what it shows, withdrawing and giving
consent, downloads, documents, deleting everything, and dead links."""

import datetime
import functools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.privacy import services
from silverpool.privacy.links import privacy_token
from silverpool.privacy.models import (
    AuditEntry,
    ConsentRecord,
    DataSubjectRequest,
    LegalBasis,
    Purpose,
    new_link_key,
)
from silverpool.talents import services as talents
from silverpool.talents.models import Document, Event, Talent
from tests.talents.factories import make_talent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def talent(rita: User) -> Talent:
    talent = make_talent(rita, first_name="Jonas", last_name="Berg", email="jonas@example.com")
    grant = services.ConsentGrant(
        method=ConsentRecord.Method.CONSENT_PAGE,
        language="en",
        given=(Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS),
    )
    services.record_consent(talent, grant, actor=None, actor_label="Talent")
    return talent


def basis(talent: Talent) -> LegalBasis:
    return LegalBasis.objects.get(talent=talent)


@functools.cache
def token_of(talent_id: int, link_key: str) -> str:
    # One link per talent, as in one email: a fresh token a second later looks different.
    return privacy_token(LegalBasis.objects.get(talent_id=talent_id, link_key=link_key))


def page(talent: Talent, name: str = "privacy:privacy-page", *args: str) -> str:
    token = token_of(talent.pk, basis(talent).link_key)
    return reverse(name, args=[token, *args])


def english() -> Client:
    """A visitor with an English browser, as the consent records see them."""
    return Client(
        headers={"accept-language": "en", "user-agent": "Firefox/140"}, REMOTE_ADDR="198.51.100.4"
    )


def test_the_page_shows_the_data_and_each_purpose_with_its_state(talent: Talent) -> None:
    talents.add_document(talent, SimpleUploadedFile("jonas-cv.pdf", PDF), actor=None)
    services.withdraw_consent(
        talent, [Purpose.EMAIL_CAMPAIGNS], method=ConsentRecord.Method.UNSUBSCRIBE, actor=None
    )

    response = english().get(page(talent))

    html = response.content.decode()
    assert response.status_code == 200
    for shown in ["Your data with us", "jonas@example.com", "Jonas", "jonas-cv.pdf"]:
        assert shown in html, shown
    assert 'id="purpose-talent_pool"' in html
    pool, campaigns = html.split('id="purpose-email_campaigns"')
    assert "Withdraw" in pool.split('id="purpose-talent_pool"')[1]
    assert "Not given" in campaigns
    assert "Give consent" in campaigns
    assert "Download my data (JSON)" in html
    assert "Readable copy" in html
    assert "Delete my data" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(talent: Talent) -> None:
    token = privacy_token(basis(talent))
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    records = ConsentRecord.objects.count()

    shown = english().get(reverse("privacy:privacy-page", args=[tampered]))
    withdrawn = english().post(
        reverse("privacy:privacy-withdraw", args=[tampered]), {"purpose": "talent_pool"}
    )
    erased = english().post(reverse("privacy:privacy-erase", args=[tampered]))

    assert shown.status_code == withdrawn.status_code == erased.status_code == 404
    assert "This link does not work" in shown.content.decode()
    assert "jonas" not in shown.content.decode().lower()
    assert ConsentRecord.objects.count() == records
    assert Talent.objects.filter(pk=talent.pk).exists()
    assert basis(talent).state == LegalBasis.State.CONSENT_VALID


def test_a_revoked_link_is_dead(talent: Talent) -> None:
    url = page(talent)
    LegalBasis.objects.filter(talent=talent).update(link_key=new_link_key())

    response = english().get(url)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_the_dead_link_page_speaks_german_to_a_german_browser(db: None) -> None:
    client = Client(headers={"accept-language": "de-DE,de;q=0.9"})

    response = client.get(reverse("privacy:privacy-page", args=["nonsense"]))

    assert response.status_code == 404
    assert "Dieser Link funktioniert nicht" in response.content.decode()


def test_the_page_follows_the_browser_and_the_language_switch(talent: Talent) -> None:
    german = Client(headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})

    browser = german.get(page(talent)).content.decode()
    switched = german.get(page(talent) + "?lang=en").content.decode()

    assert '<html lang="de">' in browser
    assert "Ihre Daten bei uns" in browser
    assert 'href="?lang=en"' in browser
    assert '<html lang="en">' in switched
    assert "Your data with us" in switched
    assert f"{page(talent, 'privacy:privacy-export')}?lang=en" in switched


def test_withdrawing_campaigns_takes_effect_at_once(talent: Talent) -> None:
    assert services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)
    client = english()

    response = client.post(
        page(talent, "privacy:privacy-withdraw"),
        {"purpose": Purpose.EMAIL_CAMPAIGNS, "lang": "en"},
    )

    assert response.status_code == 302
    assert response["Location"] == page(talent) + "?lang=en"
    talent.refresh_from_db()
    assert basis(talent).purposes == [Purpose.TALENT_POOL]
    assert basis(talent).state == LegalBasis.State.CONSENT_VALID
    assert services.is_suppressed("jonas@example.com")
    assert not services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)
    record = ConsentRecord.objects.filter(decision=ConsentRecord.Decision.WITHDRAWN).get()
    assert (record.purpose.key, record.method) == (Purpose.EMAIL_CAMPAIGNS, "privacy_page")
    assert (record.ip_address, record.user_agent) == ("198.51.100.4", "Firefox/140")
    followed = client.get(response["Location"]).content.decode()
    assert "Your consent to “Job news by email” is withdrawn." in followed


def test_clicking_withdraw_twice_records_it_once(talent: Talent) -> None:
    url = page(talent, "privacy:privacy-withdraw")

    english().post(url, {"purpose": Purpose.EMAIL_CAMPAIGNS})
    english().post(url, {"purpose": Purpose.EMAIL_CAMPAIGNS})

    assert ConsentRecord.objects.filter(decision=ConsentRecord.Decision.WITHDRAWN).count() == 1


def test_withdrawing_the_talent_pool_stops_everything_and_schedules_deletion(
    talent: Talent,
) -> None:
    english().post(page(talent, "privacy:privacy-withdraw"), {"purpose": Purpose.TALENT_POOL})

    current = basis(talent)
    assert current.state == LegalBasis.State.WITHDRAWN
    assert current.due_on == timezone.localdate() + datetime.timedelta(days=1)
    assert current.purposes == []
    assert not services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)


def test_giving_consent_again_lifts_the_suppression(talent: Talent) -> None:
    english().post(page(talent, "privacy:privacy-withdraw"), {"purpose": Purpose.EMAIL_CAMPAIGNS})
    assert services.is_suppressed(talent.email)
    text = services.current_texts("de")[Purpose.EMAIL_CAMPAIGNS]

    english().post(
        page(talent, "privacy:privacy-consent"),
        {"purpose": Purpose.EMAIL_CAMPAIGNS, "text": str(text.pk), "lang": "de"},
    )

    assert not services.is_suppressed(talent.email)
    assert services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)
    record = ConsentRecord.objects.filter(method="privacy_page", decision="given").get()
    assert (record.text, record.language, record.ip_address) == (text, "de", "198.51.100.4")


def test_consent_to_a_text_that_changed_meanwhile_is_not_recorded(
    talent: Talent, alice: User
) -> None:
    english().post(page(talent, "privacy:privacy-withdraw"), {"purpose": Purpose.EMAIL_CAMPAIGNS})
    old = services.current_texts("en")[Purpose.EMAIL_CAMPAIGNS]
    purpose = Purpose.objects.get(key=Purpose.EMAIL_CAMPAIGNS)
    services.publish_text(purpose, language="en", text="New words.", actor=alice)

    response = english().post(
        page(talent, "privacy:privacy-consent"),
        {"purpose": Purpose.EMAIL_CAMPAIGNS, "text": str(old.pk)},
        follow=True,
    )

    assert "The consent text has just changed" in response.content.decode()
    assert "New words." in response.content.decode()
    assert not ConsentRecord.objects.filter(method="privacy_page", decision="given").exists()
    assert services.is_suppressed(talent.email)


def test_downloading_my_data_is_audited_and_answered_as_an_access_request(talent: Talent) -> None:
    response = english().get(page(talent, "privacy:privacy-export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert {"email", "first_name"} <= {entry["field"] for entry in data["profile"]}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert (entry.actor, entry.actor_label, entry.talent_id) == (None, "Talent", talent.pk)
    assert talent.events.filter(kind=Event.Kind.DATA_EXPORTED, actor_label="Talent").count() == 1
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.channel, request.status) == ("access", "privacy_page", "done")
    assert request.talent == talent
    assert request.closed_at is not None


def test_the_readable_copy_is_audited_too(talent: Talent) -> None:
    response = english().get(page(talent, "privacy:privacy-copy"))

    assert response.status_code == 200
    assert "Copy of your personal data" in response.content.decode()
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED).detail == {"what": "html"}
    assert DataSubjectRequest.objects.get().kind == "access"


def test_a_document_downloads_only_through_the_talents_own_link(talent: Talent, rita: User) -> None:
    document = talents.add_document(talent, SimpleUploadedFile("cv.pdf", PDF), actor=rita)
    other = make_talent(rita)
    theirs = talents.add_document(other, SimpleUploadedFile("theirs.pdf", PDF), actor=rita)
    mine = services.document_token(basis(talent), document.pk)
    html = english().get(page(talent)).content.decode()
    assert page(talent, "privacy:privacy-document", mine) in html

    response = english().get(page(talent, "privacy:privacy-document", mine))

    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED).detail == {"what": "document"}
    # Another talent's document, signed for that talent, or a bare id: nothing.
    signed_for_other = services.document_token(basis(other), theirs.pk)
    for token in [signed_for_other, str(theirs.pk), str(document.pk), mine + "x"]:
        assert english().get(page(talent, "privacy:privacy-document", token)).status_code == 404
    assert english().get(page(other, "privacy:privacy-document", mine)).status_code == 404


def test_deleting_my_data_asks_first_then_erases_everything_and_kills_the_link(
    talent: Talent,
) -> None:
    talents.add_document(talent, SimpleUploadedFile("cv.pdf", PDF), actor=None)
    url = page(talent)
    erase = page(talent, "privacy:privacy-erase")

    asked = english().get(erase)
    assert asked.status_code == 200
    assert "Yes, delete my data" in asked.content.decode()
    assert Talent.objects.filter(pk=talent.pk).exists()

    response = english().post(erase, {"lang": "en"})

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:privacy-goodbye") + "?lang=en"
    assert "Your data has been deleted" in english().get(response["Location"]).content.decode()
    assert not Talent.objects.filter(pk=talent.pk).exists()
    assert not Document.objects.exists()
    assert services.is_suppressed("jonas@example.com")
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.status, request.channel) == ("erasure", "done", "privacy_page")
    assert (request.talent, request.talent_ref) == (None, talent.pk)
    erased = AuditEntry.objects.get(action=AuditEntry.Action.ERASED)
    assert (erased.actor_label, erased.talent_id) == ("Talent", talent.pk)
    assert english().get(url).status_code == 404
    assert english().post(erase).status_code == 404


def test_under_a_legal_hold_deleting_opens_a_request_and_keeps_the_data(
    talent: Talent, alice: User
) -> None:
    until = timezone.localdate().replace(year=timezone.localdate().year + 1)
    services.set_legal_hold(talent, reason="Court case", until=until, actor=alice)
    erase = page(talent, "privacy:privacy-erase")

    asked = english().get(erase).content.decode()
    english().post(erase)
    response = english().post(erase, follow=True)

    assert "must be kept for legal reasons" in asked
    assert "Court case" not in asked
    assert "We have received your request" in response.content.decode()
    assert Talent.objects.filter(pk=talent.pk).exists()
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.status) == ("erasure", "open")
    assert talent.events.filter(kind=Event.Kind.ERASURE_REQUESTED).count() == 1
