"""The privacy API: legal basis, consent requests and records, legal holds, export, erasure."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from silverpool.accounts.models import ApiToken, User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.models import AuditEntry, ConsentRecord, DataSubjectRequest, LegalBasis
from silverpool.talents.models import Event, Talent

from ..talents.factories import make_talent
from .factories import give_consent

URL = "/api/v1/talents"


def client_for(user: User) -> Client:
    _token, raw = ApiToken.issue(user, "Script")
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.fixture
def api(rita: User) -> Client:
    return client_for(rita)


@pytest.fixture
def anna(rita: User) -> Talent:
    return make_talent(rita, first_name="Anna", last_name="Berg", email="anna@example.com")


def test_a_new_talent_awaits_consent_until_the_deadline(api: Client, anna: Talent) -> None:
    body = api.get(f"{URL}/{anna.pk}/legal-basis").json()

    deadline = timezone.localdate() + datetime.timedelta(days=30)
    assert body["state"] == "awaiting_consent"
    assert body["consent_deadline"] == deadline.isoformat()
    assert body["due_on"] == deadline.isoformat()
    assert body["legal_hold"] is None
    assert body["suppressed"] is False


def test_asking_for_consent_queues_an_email_with_the_consent_link(
    api: Client, anna: Talent
) -> None:
    response = api.post(f"{URL}/{anna.pk}/consent-requests")

    assert response.status_code == 201
    assert response.json()["kind"] == "consent"
    email = OutboundEmail.objects.get(talent=anna)
    assert "/privacy/consent/" in email.body_text
    listed = api.get(f"{URL}/{anna.pk}/consent-requests").json()
    assert [item["id"] for item in listed["items"]] == [response.json()["id"]]


def test_asking_a_talent_who_consented_answers_409_and_sends_nothing(
    api: Client, anna: Talent, rita: User
) -> None:
    give_consent(anna, recruiter=rita)

    response = api.post(f"{URL}/{anna.pk}/consent-requests")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert not OutboundEmail.objects.filter(talent=anna).exists()


def test_recorded_consent_is_proof_with_the_text_version_and_makes_consent_valid(
    api: Client, anna: Talent, rita: User
) -> None:
    response = api.post(
        f"{URL}/{anna.pk}/consent-records",
        {"given": ["talent_pool"], "language": "de", "note": "Am Telefon zugestimmt"},
        content_type="application/json",
    )

    assert response.status_code == 201
    [record] = response.json()
    assert record["purpose"] == "talent_pool"
    assert record["decision"] == "given"
    assert record["method"] == "recruiter"
    assert record["recorded_by"] == {"id": rita.pk, "name": str(rita)}
    assert record["text"]["language"] == "de"
    assert record["text"]["version"] == 1
    assert "Talentpool" in record["text"]["text"]
    basis = api.get(f"{URL}/{anna.pk}/legal-basis").json()
    assert basis["state"] == "consent_valid"
    assert basis["purposes"] == ["talent_pool"]
    listed = api.get(f"{URL}/{anna.pk}/consent-records").json()
    assert listed["total"] == 1


def test_recording_consent_to_an_unknown_purpose_names_the_field(api: Client, anna: Talent) -> None:
    response = api.post(
        f"{URL}/{anna.pk}/consent-records",
        {"given": ["newsletter_for_cats"], "note": "Phone"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "given" in response.json()["error"]["fields"]
    assert not ConsentRecord.objects.exists()


def test_an_admin_sets_and_lifts_a_legal_hold(alice: User, anna: Talent) -> None:
    api = client_for(alice)
    until = timezone.localdate() + datetime.timedelta(days=90)

    held = api.put(
        f"{URL}/{anna.pk}/legal-hold",
        {"reason": "AGG claim pending", "until": until.isoformat()},
        content_type="application/json",
    )
    lifted = api.delete(f"{URL}/{anna.pk}/legal-hold")

    assert held.status_code == 200
    assert held.json()["legal_hold"] == {"reason": "AGG claim pending", "until": until.isoformat()}
    assert lifted.json()["legal_hold"] is None
    kinds = set(anna.events.values_list("kind", flat=True))
    assert {Event.Kind.LEGAL_HOLD_SET, Event.Kind.LEGAL_HOLD_LIFTED} <= kinds


def test_a_legal_hold_ending_in_the_past_is_refused_on_the_field(alice: User, anna: Talent) -> None:
    response = client_for(alice).put(
        f"{URL}/{anna.pk}/legal-hold",
        {"reason": "AGG claim", "until": "2020-01-01"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "until" in response.json()["error"]["fields"]
    assert LegalBasis.objects.get(talent=anna).legal_hold_until is None


def test_the_export_holds_the_profile_and_the_consents_and_is_audited(
    api: Client, anna: Talent, rita: User
) -> None:
    give_consent(anna, recruiter=rita)

    response = api.get(f"{URL}/{anna.pk}/export")

    assert response.status_code == 200
    text = response.content.decode()
    assert "anna@example.com" in text
    assert "talent_pool" in text
    assert anna.events.filter(kind=Event.Kind.DATA_EXPORTED).exists()


def test_erasure_removes_the_talent_and_records_the_request(api: Client, anna: Talent) -> None:
    response = api.post(f"{URL}/{anna.pk}/erase")

    assert response.status_code == 204
    assert not Talent.objects.filter(pk=anna.pk).exists()
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.status, request.talent_ref) == ("erasure", "done", anna.pk)
    assert api.get(f"{URL}/{anna.pk}/legal-basis").status_code == 404


def test_erasure_of_a_talent_on_legal_hold_answers_409(
    api: Client, anna: Talent, alice: User
) -> None:
    client_for(alice).put(
        f"{URL}/{anna.pk}/legal-hold",
        {"reason": "Court case", "until": "2099-01-01"},
        content_type="application/json",
    )

    response = api.post(f"{URL}/{anna.pk}/erase")

    assert response.status_code == 409
    assert Talent.objects.filter(pk=anna.pk).exists()


def test_reading_a_profile_through_the_api_is_on_the_audit_log(
    api: Client, anna: Talent, rita: User
) -> None:
    api.get(f"{URL}/{anna.pk}")
    api.get(f"{URL}/{anna.pk}")

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEWED, talent_id=anna.pk)
    assert [(entry.actor, entry.detail) for entry in entries] == [(rita, {"what": "profile"})]
