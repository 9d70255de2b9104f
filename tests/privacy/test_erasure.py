"""Erasure and anonymisation: the talent and everything attached are gone (rows, files,
search entries, queued email), nothing personal is left behind, and the erasure page."""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.outreach.services import deliver_email, queue_email
from silverpool.privacy.models import (
    AnonymisedStub,
    AuditEntry,
    ConsentRecord,
    ConsentRequest,
    DataSubjectRequest,
    LegalBasis,
    Purpose,
    Suppression,
    email_hash,
)
from silverpool.privacy.services import (
    ConsentGrant,
    anonymise_talent,
    erase_talent,
    is_suppressed,
    open_request,
    record_consent,
    set_legal_hold,
)
from silverpool.talents import services as talents
from silverpool.talents.models import (
    Document,
    DuplicateFlag,
    Event,
    Merge,
    Note,
    PoolMembership,
    Talent,
    TalentTag,
)
from silverpool.talents.search import TalentFilters, filter_talents
from tests.talents.factories import make_pool, make_tag, make_talent
from tests.talents.test_documents import minimal_pdf

Callbacks = Any


def add_cv(talent: Talent, actor: User) -> Document:
    upload = SimpleUploadedFile("cv.pdf", minimal_pdf("Kotlin"), content_type="application/pdf")
    return talents.add_document(talent, upload, actor=actor)


def full_talent(actor: User) -> Talent:
    """A talent with something in every table that points at it."""
    talent = make_talent(
        actor,
        first_name="Quirin",
        last_name="Zwackelmann",
        email="quirin@example.org",
        phone="+49 30 1234567",
        city="Wolfsburg",
        pools=[make_pool()],
        tags=[make_tag()],
    )
    talents.add_note(talent, "Met at the Kotlin meetup", author=actor)
    add_cv(talent, actor)
    record_consent(
        talent,
        ConsentGrant(
            method=ConsentRecord.Method.RECRUITER,
            language="en",
            given=[Purpose.TALENT_POOL],
            note="Agreed on the phone",
            recorded_by=actor,
        ),
        actor=actor,
    )
    ConsentRequest.objects.create(
        talent=talent, language="en", expires_at=timezone.now() + datetime.timedelta(days=7)
    )
    queue_email(
        template="privacy_notice",
        language="en",
        context={"notice": ""},
        talent=talent,
        idempotency_key=f"test-notice:{talent.pk}",
        actor=actor,
    )
    return talent


def rows_left(ids: list[int]) -> dict[str, int]:
    """Every table that referenced the talents, and how many of their rows are left."""
    return {
        "talent": Talent.objects.filter(pk__in=ids).count(),
        "note": Note.objects.filter(talent_id__in=ids).count(),
        "document": Document.objects.filter(talent_id__in=ids).count(),
        "event": Event.objects.filter(talent_id__in=ids).count(),
        "pool": PoolMembership.objects.filter(talent_id__in=ids).count(),
        "tag": TalentTag.objects.filter(talent_id__in=ids).count(),
        "legal_basis": LegalBasis.objects.filter(talent_id__in=ids).count(),
        "consent_record": ConsentRecord.objects.filter(talent_id__in=ids).count(),
        "consent_request": ConsentRequest.objects.filter(talent_id__in=ids).count(),
        "email": OutboundEmail.objects.filter(talent_id__in=ids).count(),
        "duplicate": DuplicateFlag.objects.filter(talent_id__in=ids).count()
        + DuplicateFlag.objects.filter(other_id__in=ids).count(),
        "merge": Merge.objects.filter(primary_id__in=ids).count()
        + Merge.objects.filter(secondary_id__in=ids).count(),
        "data_request": DataSubjectRequest.objects.filter(talent_id__in=ids).count(),
    }


def found_by_search(word: str) -> list[int]:
    found = filter_talents(Talent.objects.all(), TalentFilters(q=word))
    return list(found.values_list("pk", flat=True))


def fts_rows(word: str) -> list[int]:
    """SQLite only: what the FTS5 index itself still holds for `word`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM talents_talent_fts WHERE talents_talent_fts MATCH %s", [f'"{word}"*']
        )
        return [row[0] for row in cursor.fetchall()]


def test_erasing_removes_the_talent_everything_attached_and_the_files(
    rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = full_talent(rita)
    twin = make_talent(rita, first_name="Quirin", last_name="Zwackelmann", phone="+49 30 1234567")
    talents.merge_talents(talent, twin, choices={}, actor=rita)
    request = open_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        received_on=timezone.localdate(),
        channel=DataSubjectRequest.Channel.EMAIL,
        talent=talent,
        actor=rita,
    )
    files = [Path(d.file.path) for d in Document.objects.filter(talent=talent)]
    ids = [talent.pk, twin.pk]
    assert all(path.exists() for path in files)
    assert talent.pk in found_by_search("zwackelmann")
    assert set(rows_left(ids).values()) != {0}

    with django_capture_on_commit_callbacks(execute=True):
        erase_talent(talent, actor=rita, reason="request")

    assert set(rows_left(ids).values()) == {0}
    assert not any(path.exists() for path in files)
    assert found_by_search("zwackelmann") == []
    assert found_by_search("kotlin") == []
    if connection.vendor == "sqlite":
        assert fts_rows("zwackelmann") == []
    request.refresh_from_db()
    assert request.talent_id is None
    assert request.talent_ref == talent.pk


def test_erasure_suppresses_the_address_and_audits_without_personal_data(rita: User) -> None:
    talent = full_talent(rita)

    erase_talent(talent, actor=rita, reason="request")

    assert is_suppressed("Quirin@Example.org")
    assert Suppression.objects.get(email_hash=email_hash("quirin@example.org")).reason == "erased"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASED)
    assert entry.talent_id == talent.pk
    assert entry.actor == rita
    assert entry.detail["reason"] == "request"
    assert entry.detail["documents"] == 1
    assert entry.detail["notes"] == 1
    assert entry.detail["emails"] == 1
    text = json.dumps(entry.detail).lower()
    for personal in ["quirin", "zwackelmann", "example.org", "1234567", "wolfsburg", "kotlin"]:
        assert personal not in text


def test_a_queued_email_is_not_sent_after_erasure(rita: User) -> None:
    talent = full_talent(rita)
    email_id = OutboundEmail.objects.get(talent=talent).pk

    erase_talent(talent, actor=rita, reason="request")
    deliver_email(email_id)

    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(pk=email_id).exists()


def test_a_rolled_back_erasure_keeps_the_rows_and_the_files(
    rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = full_talent(rita)
    path = Path(Document.objects.get(talent=talent).file.path)

    def erase_then_die() -> None:
        with transaction.atomic():
            erase_talent(talent, actor=rita, reason="request")
            raise RuntimeError("the worker died")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erase_then_die()

    assert Talent.objects.filter(pk=talent.pk).exists()
    assert Document.objects.filter(talent=talent).count() == 1
    assert path.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASED).exists()


def test_other_talents_timelines_stop_naming_the_erased_talent(rita: User) -> None:
    talent = make_talent(rita, first_name="Quirin", last_name="Zwackelmann", phone="+4930111")
    other = make_talent(rita, first_name="Quirin", last_name="Zwackelmann", phone="+4930111")
    assert DuplicateFlag.objects.count() == 1

    erase_talent(talent, actor=rita, reason="request")

    flagged = Event.objects.get(talent=other, kind=Event.Kind.DUPLICATE_FLAGGED)
    assert "Zwackelmann" not in json.dumps(flagged.data)
    assert Talent.objects.filter(pk=other.pk).exists()


def test_anonymising_keeps_a_stub_with_counts_and_nothing_personal(
    rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = full_talent(rita)
    # A source label may name a person or a file (an import's file name).
    Talent.objects.filter(pk=talent.pk).update(source_label="Quirin Zwackelmann's CV.pdf")
    talent.refresh_from_db()
    path = Path(Document.objects.get(talent=talent).file.path)
    pool_ids = list(talent.pool_memberships.values_list("pool_id", flat=True))
    created_at = talent.created_at

    with django_capture_on_commit_callbacks(execute=True):
        stub = anonymise_talent(talent, actor=None, actor_label="System", reason="withdrawn")

    assert set(rows_left([talent.pk]).values()) == {0}
    assert not path.exists()
    stub = AnonymisedStub.objects.get(pk=stub.pk)
    assert stub.former_talent_id == talent.pk
    assert stub.created_at == created_at
    assert stub.source_kind == "manual"
    assert stub.status_key == talent.status.key
    assert stub.pool_ids == pool_ids
    assert (stub.note_count, stub.document_count, stub.consent_count) == (1, 1, 1)
    assert stub.event_count > 0
    assert stub.reason == "withdrawn"
    values = " ".join(
        str(getattr(stub, f.attname)) for f in AnonymisedStub._meta.concrete_fields
    ).lower()
    for personal in ["quirin", "zwackelmann", "example.org", "1234567", "wolfsburg", "cv.pdf"]:
        assert personal not in values
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ANONYMISED)
    assert entry.detail["stub_id"] == stub.pk
    assert "zwackelmann" not in json.dumps(entry.detail).lower()


def test_the_talent_list_does_not_show_anonymised_talents(
    rita: User, recruiter_client: Client
) -> None:
    talent = make_talent(rita, first_name="Quirin", last_name="Zwackelmann")
    make_talent(rita, first_name="Berta", last_name="Bleibt")

    anonymise_talent(talent, actor=None)
    html = recruiter_client.get(reverse("talents:talent-list")).content.decode()

    assert "Bleibt" in html
    assert "Zwackelmann" not in html
    assert AnonymisedStub.objects.count() == 1


# --- the erasure page --------------------------------------------------------------------


def erase_url(talent: Talent) -> str:
    return reverse("privacy:talent-erase", args=[talent.pk])


def test_the_confirmation_names_what_will_be_removed(rita: User, recruiter_client: Client) -> None:
    talent = full_talent(rita)
    talents.add_note(talent, "Second note", author=rita)

    response = recruiter_client.get(erase_url(talent))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Quirin Zwackelmann" in html
    assert "1 document, with its file" in html
    assert "2 notes" in html
    assert "1 email, sent or waiting to be sent" in html
    assert "cannot be undone" in html
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_a_recruiter_erases_a_talent_on_request(
    rita: User, recruiter_client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = full_talent(rita)
    path = Path(Document.objects.get(talent=talent).file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(erase_url(talent), {"channel": "phone"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("talents:talent-list")
    html = response.content.decode()
    assert "The talent was erased." in html
    assert "Zwackelmann" not in html
    assert set(rows_left([talent.pk]).values()) == {0}
    assert not path.exists()
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.status, request.channel) == ("erasure", "done", "phone")
    assert request.talent_ref == talent.pk
    assert request.closed_by == rita
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASED, actor=rita).count() == 1


def test_the_erasure_form_needs_a_channel(rita: User, recruiter_client: Client) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(erase_url(talent), {"channel": "carrier pigeon"})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_a_talent_on_legal_hold_is_not_erased(
    alice: User, rita: User, recruiter_client: Client
) -> None:
    talent = make_talent(rita)
    until = timezone.localdate() + datetime.timedelta(days=90)
    set_legal_hold(talent, reason="Lawsuit 4 O 12/26", until=until, actor=alice)

    page = recruiter_client.get(erase_url(talent)).content.decode()
    response = recruiter_client.post(erase_url(talent), {"channel": "email"})

    assert "on legal hold" in page
    assert "Lawsuit 4 O 12/26" in page
    assert "Erase for good" not in page
    assert response.status_code == 422
    assert Talent.objects.filter(pk=talent.pk).exists()
    assert not DataSubjectRequest.objects.exists()


def test_viewers_may_not_erase(rita: User, viewer_client: Client) -> None:
    talent = make_talent(rita)

    assert viewer_client.get(erase_url(talent)).status_code == 403
    assert viewer_client.post(erase_url(talent), {"channel": "email"}).status_code == 403
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_a_talent_the_recruiter_may_not_see_answers_404(
    alice: User, recruiter_client: Client
) -> None:
    secret = make_pool(is_private=True)
    talent = make_talent(alice, pools=[secret])

    assert recruiter_client.get(erase_url(talent)).status_code == 404
    assert recruiter_client.post(erase_url(talent), {"channel": "email"}).status_code == 404
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_admins_may_erase(alice: User, admin_client: Client) -> None:
    talent = make_talent(alice)

    response = admin_client.post(erase_url(talent), {"channel": "letter"})

    assert response.status_code == 302
    assert not Talent.objects.filter(pk=talent.pk).exists()
