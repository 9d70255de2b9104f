"""The data export (Art. 15/20 GDPR): what the talent's copy and the recruiter's copy
hold, notes visible to the talent, and who may export from the profile."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy import services
from silverpool.privacy.links import privacy_token
from silverpool.privacy.models import AuditEntry, ConsentRecord, Purpose
from silverpool.talents import services as talents
from silverpool.talents.models import CustomField, Event, Talent
from tests.talents.factories import make_pool, make_talent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def given_consent(talent: Talent, *purposes: str) -> None:
    grant = services.ConsentGrant(
        method=ConsentRecord.Method.FORM,
        language="en",
        given=purposes or (Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS),
        ip_address="203.0.113.7",
        user_agent="Firefox",
    )
    services.record_consent(talent, grant, actor=None, actor_label="Career page")


def send_email(talent: Talent, subject: str, body: str) -> OutboundEmail:
    return OutboundEmail.objects.create(
        talent=talent,
        to_email=talent.email,
        subject=subject,
        body_text=body,
        language="en",
        kind=OutboundEmail.Kind.PERSONAL,
        idempotency_key=f"test:{subject}",
        message_id="<1@example.com>",
        state=OutboundEmail.State.SENT,
        sent_at=timezone.now(),
    )


@pytest.fixture
def lena(rita: User) -> Talent:
    """A talent with a bit of everything: a custom field, a CV, consent, an email, notes."""
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Kündigungsfrist")
    talent = make_talent(
        rita,
        first_name="Lena",
        last_name="Vogel",
        email="lena@example.com",
        city="Leipzig",
        custom_values={"notice": "3 months"},
    )
    talents.add_document(talent, SimpleUploadedFile("lena-cv.pdf", PDF), actor=rita)
    given_consent(talent)
    send_email(talent, "A role for you", "Hello Lena, would you like to talk?")
    talents.add_note(
        talent, "Sent her the job ad, she liked it.", author=rita, visible_to_talent=True
    )
    talents.add_note(talent, "Salary expectations too high for now.", author=rita)
    return talent


def test_the_talents_copy_holds_profile_documents_consents_messages_and_visible_notes(
    lena: Talent,
) -> None:
    data = services.export_talent_data(lena, for_talent=True)

    profile = {entry["field"]: entry["value"] for entry in data["profile"]}
    assert profile["email"] == "lena@example.com"
    assert profile["city"] == "Leipzig"
    assert data["custom_fields"] == [
        {"field": "notice", "label": "Notice period", "value": "3 months"}
    ]
    assert data["source"]["kind"] == "manual"
    assert [(d["name"], d["type"], d["size"]) for d in data["documents"]] == [
        ("lena-cv.pdf", "application/pdf", len(PDF))
    ]
    consents = {c["purpose"]: c for c in data["consents"]}
    assert consents.keys() == {"talent_pool", "email_campaigns"}
    pool = consents["talent_pool"]
    assert (pool["decision"], pool["method"], pool["ip_address"]) == (
        "given",
        "form",
        "203.0.113.7",
    )
    assert pool["text"]["version"] == 1
    assert pool["text"]["text"]
    assert data["legal_basis"]["state"] == "consent_valid"
    assert data["legal_basis"]["delete_on"] == data["legal_basis"]["consent_valid_until"]
    assert [(m["subject"], m["body"], m["state"]) for m in data["messages"]] == [
        ("A role for you", "Hello Lena, would you like to talk?", "sent")
    ]
    assert [n["text"] for n in data["notes"]] == ["Sent her the job ad, she liked it."]
    json.dumps(data)  # JSON-ready as it is


def test_the_talents_copy_names_no_team_member(lena: Talent, rita: User) -> None:
    data = services.export_talent_data(lena, for_talent=True)

    text = json.dumps(data)
    assert "Rita" not in text
    assert "rita" not in text
    assert "Salary expectations" not in text
    assert {event["actor"] for event in data["timeline"]} <= {"recruiter", "system", "talent"}
    assert "data" not in data["timeline"][0]
    assert "owner" not in data


def test_the_recruiters_copy_has_every_note_and_who_did_what(lena: Talent, rita: User) -> None:
    data = services.export_talent_data(lena, for_talent=False)

    assert sorted((n["text"], n["visible_to_talent"]) for n in data["notes"]) == [
        ("Salary expectations too high for now.", False),
        ("Sent her the job ad, she liked it.", True),
    ]
    assert {n["author"] for n in data["notes"]} == {str(rita)}
    assert data["documents"][0]["uploaded_by"] == str(rita)
    assert str(rita) in {event["actor"] for event in data["timeline"]}


def test_a_recruiters_copy_leaves_out_private_pools_they_are_not_in(rita: User) -> None:
    secret = make_pool("Succession CEO", is_private=True)
    team = make_pool("Backend team", is_private=True)
    team.members.add(rita)
    talent = make_talent(pools=[secret, team])

    data = services.export_talent_data(talent, for_talent=False, viewer=rita)
    own_copy = services.export_talent_data(talent, for_talent=True)

    assert data["pools"] == ["Backend team"]
    assert "Succession CEO" not in json.dumps(data)
    assert sorted(own_copy["pools"]) == ["Backend team", "Succession CEO"]


def test_the_readable_copy_shows_the_same_data(lena: Talent) -> None:
    url = reverse("privacy:privacy-copy", args=[privacy_token(lena.legal_basis)])

    html = Client().get(url + "?lang=en").content.decode()

    for shown in [
        "Copy of your personal data",
        "lena@example.com",
        "Leipzig",
        "Notice period",
        "3 months",
        "lena-cv.pdf",
        "A role for you",
        "Hello Lena, would you like to talk?",
        "Sent her the job ad, she liked it.",
        "Version 1 (en)",
        "Consent valid",
    ]:
        assert shown in html, shown
    assert "Salary expectations" not in html


# --- notes visible to the talent --------------------------------------------------------------


def test_a_note_marked_on_the_profile_goes_into_the_talents_copy(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    recruiter_client.post(
        reverse("talents:note-add", args=[talent.pk]),
        {"text": "Interview feedback: strong", "visible_to_talent": "1"},
    )
    recruiter_client.post(reverse("talents:note-add", args=[talent.pk]), {"text": "Internal only"})

    notes = services.export_talent_data(talent, for_talent=True)["notes"]
    assert [n["text"] for n in notes] == ["Interview feedback: strong"]
    page = recruiter_client.get(reverse("talents:talent-detail", args=[talent.pk])).content.decode()
    assert "Visible to the talent in their data copy" in page


def test_unticking_the_box_when_editing_takes_a_note_out_of_the_talents_copy(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)
    note = talents.add_note(talent, "Shared", author=rita, visible_to_talent=True)

    recruiter_client.post(reverse("talents:note-edit", args=[note.pk]), {"text": "Shared"})

    note.refresh_from_db()
    assert note.visible_to_talent is False
    assert services.export_talent_data(talent, for_talent=True)["notes"] == []
    event = talent.events.filter(kind=Event.Kind.NOTE_EDITED).get()
    assert event.data["visible_to_talent"] is False


# --- the recruiter's export ------------------------------------------------------------------


def _download(client: Client, name: str, talent: Talent) -> Any:
    return client.get(reverse(f"privacy:{name}", args=[talent.pk]))


def test_a_recruiter_downloads_the_export_and_it_is_audited(
    recruiter_client: Client, rita: User, lena: Talent
) -> None:
    response = _download(recruiter_client, "talent-export", lena)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert len(data["notes"]) == 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert (entry.actor, entry.talent_id, entry.detail) == (rita, lena.pk, {"what": "json"})
    event = lena.events.get(kind=Event.Kind.DATA_EXPORTED)
    assert event.actor == rita


def test_an_admin_opens_the_readable_copy_with_every_note(
    admin_client: Client, alice: User, lena: Talent
) -> None:
    response = _download(admin_client, "talent-copy", lena)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Data held about Lena Vogel" in html
    assert "Salary expectations too high for now." in html
    assert AuditEntry.objects.filter(actor=alice, action=AuditEntry.Action.EXPORTED).count() == 1


@pytest.mark.parametrize("name", ["talent-export", "talent-copy"])
def test_a_viewer_may_not_export(viewer_client: Client, lena: Talent, name: str) -> None:
    response = _download(viewer_client, name, lena)

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).exists()


@pytest.mark.parametrize("name", ["talent-export", "talent-copy"])
def test_a_talent_the_recruiter_may_not_see_answers_404(
    recruiter_client: Client, name: str
) -> None:
    hidden = make_talent(pools=[make_pool("Board", is_private=True)])

    assert _download(recruiter_client, name, hidden).status_code == 404


def test_the_export_needs_a_login(lena: Talent) -> None:
    response = _download(Client(), "talent-export", lena)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_profile_links_the_export_for_recruiters_only(
    recruiter_client: Client, viewer_client: Client, lena: Talent
) -> None:
    detail = reverse("talents:talent-detail", args=[lena.pk])
    export = reverse("privacy:talent-export", args=[lena.pk])

    assert export in recruiter_client.get(detail).content.decode()
    assert export not in viewer_client.get(detail).content.decode()
