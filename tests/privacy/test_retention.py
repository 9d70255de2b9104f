"""The nightly retention run: every deadline leads to deletion (or anonymisation) on its
day and not before, legal holds block it, and a run that died is finished by the next."""

import datetime
import io
import json
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction

from silverpool.accounts.models import User
from silverpool.privacy import services as privacy
from silverpool.privacy import tasks
from silverpool.privacy.models import (
    AnonymisedStub,
    AuditEntry,
    ConsentRecord,
    LegalBasis,
    Policy,
    Purpose,
)
from silverpool.privacy.services import retention
from silverpool.privacy.services.basis import audit as real_audit
from silverpool.talents import services as talents
from silverpool.talents.models import Document, Event, Note, Talent
from tests.talents.factories import make_talent
from tests.talents.test_documents import minimal_pdf

Callbacks = Any
BERLIN = ZoneInfo("Europe/Berlin")
START = datetime.date(2027, 3, 1)
State = LegalBasis.State


def at(day: datetime.date, hour: int = 3) -> Any:
    """The clock at `hour` o'clock (local time) on `day`: the nightly run is at 02:15."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), BERLIN), tick=False
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def talent_with_cv(actor: User, **fields: Any) -> tuple[Talent, Path]:
    talent = make_talent(actor, **fields)
    talents.add_note(talent, "Strong in Kotlin", author=actor)
    upload = SimpleUploadedFile("cv.pdf", minimal_pdf("Kotlin"), content_type="application/pdf")
    document = talents.add_document(talent, upload, actor=actor)
    return talent, Path(document.file.path)


def exists(talent: Talent) -> bool:
    return Talent.objects.filter(pk=talent.pk).exists()


def give_consent(talent: Talent, actor: User) -> None:
    privacy.record_consent(
        talent,
        privacy.ConsentGrant(
            method=ConsentRecord.Method.RECRUITER,
            language="en",
            given=[Purpose.TALENT_POOL],
            recorded_by=actor,
        ),
        actor=actor,
    )


def set_policy(**fields: Any) -> None:
    privacy.get_policy()
    Policy.objects.filter(pk=1).update(**fields)


def test_a_talent_without_consent_goes_on_its_deadline_and_not_before(
    rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with at(START):
        talent, cv = talent_with_cv(rita)
    deadline = START + days(30)
    assert talent.legal_basis.due_on == deadline

    with at(deadline - days(1)):
        early = privacy.run_retention(deadline - days(1))
    assert exists(talent)
    with at(deadline), django_capture_on_commit_callbacks(execute=True):
        report = privacy.run_retention(deadline)

    assert early.deleted == 0
    assert report.deleted == 1
    assert not exists(talent)
    assert not Note.objects.filter(talent_id=talent.pk).exists()
    assert not Document.objects.filter(talent_id=talent.pk).exists()
    assert not Event.objects.filter(talent_id=talent.pk).exists()
    assert not LegalBasis.objects.filter(talent_id=talent.pk).exists()
    assert not cv.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETED_BY_POLICY)
    assert entry.talent_id == talent.pk
    assert entry.actor is None
    assert entry.actor_label == "System"
    assert entry.detail == {
        "state": "awaiting_consent",
        "due_on": str(deadline),
        "end_action": "delete",
    }


def test_a_rejected_applicant_goes_when_the_hold_period_ends(rita: User) -> None:
    with at(START):
        talent = talents.intake_talent(
            {"first_name": "Hanna", "email": "hanna@example.org"},
            actor=rita,
            source_kind=Talent.SourceKind.ATS,
            rejected_applicant=True,
        ).talent
    end = talent.legal_basis.hold_until
    assert end == datetime.date(2027, 9, 1)

    with at(end - days(1)):
        privacy.run_retention(end - days(1))
    assert exists(talent)
    with at(end):
        privacy.run_retention(end)

    assert not exists(talent)


def test_a_consent_that_is_not_renewed_expires_and_the_talent_goes(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
        give_consent(talent, rita)
    valid_until = LegalBasis.objects.get(talent=talent).consent_valid_until
    assert valid_until == datetime.date(2028, 3, 1)

    with at(valid_until):
        last_day = privacy.run_retention(valid_until)
    assert exists(talent)
    day_after = valid_until + days(1)
    with at(day_after):
        report = privacy.run_retention(day_after)

    assert last_day.expired == 0
    assert report.expired == 1
    assert report.deleted == 1
    assert not exists(talent)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETED_BY_POLICY)
    assert entry.detail["state"] == "consent_expired"


def test_consent_given_in_time_keeps_the_talent(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
    with at(START + days(20)):
        give_consent(talent, rita)

    with at(START + days(45)):
        report = privacy.run_retention(START + days(45))

    assert report.deleted == 0
    assert exists(talent)


def test_a_withdrawal_removes_the_talent_at_the_next_run(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
        give_consent(talent, rita)
    with at(START + days(10), hour=15):
        privacy.withdraw_consent(
            talent, [Purpose.TALENT_POOL], method=ConsentRecord.Method.PRIVACY_PAGE, actor=None
        )

    with at(START + days(11)):
        privacy.run_retention(START + days(11))

    assert not exists(talent)


def test_a_legal_hold_keeps_the_talent_until_it_ends(alice: User, rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
        privacy.set_legal_hold(talent, reason="Lawsuit", until=START + days(60), actor=alice)
    deadline = START + days(30)

    with at(deadline):
        privacy.run_retention(deadline)
    with at(START + days(60)):
        privacy.run_retention(START + days(60))
    assert exists(talent)
    with at(START + days(61)):
        privacy.run_retention(START + days(61))

    assert not exists(talent)


def test_a_lifted_legal_hold_no_longer_keeps_the_talent(alice: User, rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
        privacy.set_legal_hold(talent, reason="Lawsuit", until=START + days(60), actor=alice)
    with at(START + days(40)):
        privacy.run_retention(START + days(40))
        assert exists(talent)
        privacy.lift_legal_hold(talent, actor=alice)
        privacy.run_retention(START + days(40))

    assert not exists(talent)


def test_a_second_run_does_nothing(rita: User) -> None:
    with at(START):
        kept = make_talent(rita)
        give_consent(kept, rita)
        gone = make_talent(rita)
    day = START + days(30)

    with at(day):
        first = privacy.run_retention(day)
        second = privacy.run_retention(day)

    assert (first.deleted, second.deleted, second.expired) == (1, 0, 0)
    assert exists(kept)
    assert not exists(gone)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETED_BY_POLICY).count() == 1


def test_a_run_that_dies_half_way_leaves_whole_talents_and_the_next_run_finishes(
    rita: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with at(START):
        due = [talent_with_cv(rita) for _ in range(5)]
    day = START + days(30)
    calls = 0

    def killed_on_the_third_talent(**kwargs: Any) -> AuditEntry:
        # The audit entry is written after the talent's rows are deleted, in the same
        # transaction: stopping here is stopping half-way through a talent. SystemExit is
        # what a worker told to stop raises.
        nonlocal calls
        calls += 1
        if calls == 3:
            raise SystemExit("worker stopped")
        return real_audit(**kwargs)

    monkeypatch.setattr(retention, "audit", killed_on_the_third_talent)
    with at(day), django_capture_on_commit_callbacks(execute=True), pytest.raises(SystemExit):
        privacy.run_retention(day)

    left = [(talent, cv) for talent, cv in due if exists(talent)]
    assert len(left) == 3
    for talent, cv in left:
        assert cv.exists()
        assert Document.objects.filter(talent=talent).count() == 1
        assert Note.objects.filter(talent=talent).count() == 1
        assert LegalBasis.objects.filter(talent=talent).exists()
    for talent, cv in due:
        if not exists(talent):
            assert not cv.exists()
            assert not Document.objects.filter(talent_id=talent.pk).exists()

    monkeypatch.setattr(retention, "audit", real_audit)
    with at(day), django_capture_on_commit_callbacks(execute=True):
        report = privacy.run_retention(day)

    assert report.deleted == 3
    assert not any(exists(talent) or cv.exists() for talent, cv in due)
    audited = AuditEntry.objects.filter(action=AuditEntry.Action.DELETED_BY_POLICY)
    assert audited.count() == len(due)
    assert set(audited.values_list("talent_id", flat=True)) == {t.pk for t, _ in due}


def test_a_talent_that_cannot_be_removed_stops_nobody_else_and_is_tried_again(
    rita: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with at(START):
        due = [talent_with_cv(rita) for _ in range(3)]
    broken, broken_cv = due[0]
    day = START + days(30)

    def fails_for_one(**kwargs: Any) -> AuditEntry:
        if kwargs["talent_id"] == broken.pk:
            raise OSError("storage unavailable")
        return real_audit(**kwargs)

    monkeypatch.setattr(retention, "audit", fails_for_one)
    with at(day), django_capture_on_commit_callbacks(execute=True):
        report = privacy.run_retention(day)

    assert (report.deleted, report.failed) == (2, 1)
    assert [talent for talent, _ in due if exists(talent)] == [broken]
    assert broken_cv.exists()
    assert Note.objects.filter(talent=broken).count() == 1

    monkeypatch.setattr(retention, "audit", real_audit)
    with at(day + days(1)):
        retry = privacy.run_retention(day + days(1))

    assert (retry.deleted, retry.failed) == (1, 0)
    assert not exists(broken)


def test_a_backlog_is_caught_up_in_one_run_batch_after_batch(rita: User) -> None:
    with at(START):
        backlog = [make_talent(rita) for _ in range(7)]
    much_later = START + days(200)

    with at(much_later):
        report = privacy.run_retention(much_later, batch_size=2)

    assert report.deleted == 7
    assert not Talent.objects.filter(pk__in=[t.pk for t in backlog]).exists()


def test_nothing_happens_while_the_gdpr_function_is_off(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
        consenting = make_talent(rita)
        give_consent(consenting, rita)
    set_policy(enabled=False)
    much_later = START + days(800)

    with at(much_later):
        report = privacy.run_retention(much_later)

    assert not report.enabled
    assert (report.deleted, report.expired) == (0, 0)
    assert exists(talent)
    assert LegalBasis.objects.get(talent=consenting).state == State.CONSENT_VALID
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETED_BY_POLICY).exists()


def test_the_anonymise_policy_keeps_stubs_without_personal_data(
    rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    set_policy(end_action=Policy.EndAction.ANONYMISE)
    with at(START):
        talent, cv = talent_with_cv(rita, first_name="Quirin", last_name="Zwackelmann")
    day = START + days(30)

    with at(day), django_capture_on_commit_callbacks(execute=True):
        report = privacy.run_retention(day)

    assert report.anonymised == 1
    assert not exists(talent)
    assert not cv.exists()
    stub = AnonymisedStub.objects.get(former_talent_id=talent.pk)
    assert (stub.reason, stub.note_count, stub.document_count) == ("awaiting_consent", 1, 1)
    values = " ".join(str(getattr(stub, f.attname)) for f in AnonymisedStub._meta.concrete_fields)
    assert "Zwackelmann" not in values
    policy_entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETED_BY_POLICY)
    assert policy_entry.detail["end_action"] == "anonymise"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ANONYMISED).count() == 1
    assert "Zwackelmann" not in json.dumps(list(AuditEntry.objects.values("detail")))


def test_a_merged_talent_goes_with_the_talent_it_was_merged_into(rita: User) -> None:
    with at(START):
        primary = make_talent(rita, first_name="Jo", last_name="Lang", phone="+4930222")
        give_consent(primary, rita)
        merged = make_talent(rita, first_name="Jo", last_name="Lang", phone="+4930222")
        talents.merge_talents(primary, merged, choices={}, actor=rita)
    deadline = START + days(30)

    with at(deadline):
        report = privacy.run_retention(deadline)
    assert report.deleted == 0
    assert exists(merged)
    with at(datetime.date(2028, 3, 2)):
        privacy.run_retention(datetime.date(2028, 3, 2))

    assert not exists(primary)
    assert not exists(merged)


def test_the_nightly_task_runs_the_job(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)

    with at(START + days(30)):
        tasks.run_retention.call()

    assert not exists(talent)


def test_the_command_shows_what_it_would_do_without_doing_it(rita: User) -> None:
    with at(START):
        due = make_talent(rita, first_name="Quirin", last_name="Zwackelmann")
        expiring = make_talent(rita)
        give_consent(expiring, rita)
        make_talent(rita)
    with at(START + days(10)):
        later = make_talent(rita)
    out = io.StringIO()

    with at(datetime.date(2028, 3, 2)):
        call_command("run_retention", "--dry-run", stdout=out)

    text = out.getvalue()
    assert f"talent {due.pk}: awaiting_consent, due 2027-03-31 -> delete" in text
    assert f"talent {expiring.pk}: consent_valid, consent ended 2028-03-01 -> delete" in text
    assert f"talent {later.pk}:" in text
    assert "Would delete 4 talents (dry run: nothing changed)." in text
    assert "Zwackelmann" not in text
    assert Talent.objects.count() == 4


def test_the_command_runs_the_job(rita: User) -> None:
    with at(START):
        talent = make_talent(rita)
    out = io.StringIO()

    with at(START + days(30)):
        call_command("run_retention", stdout=out)

    assert "Deleted: 1." in out.getvalue()
    assert not exists(talent)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole file")
@pytest.mark.django_db(transaction=True)
def test_a_talent_another_worker_holds_is_left_to_it(rita: User) -> None:
    with at(START):
        held, free = make_talent(rita), make_talent(rita)
    day = START + days(30)
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                LegalBasis.objects.select_for_update().get(talent=held)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert locked.wait(timeout=10)
    try:
        with at(day):
            report = privacy.run_retention(day)
    finally:
        release.set()
        worker.join()

    assert (report.deleted, report.skipped) == (1, 1)
    assert exists(held)
    assert not exists(free)
