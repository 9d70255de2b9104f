"""A large undo runs in the background in steps that each commit; one interrupted goes on
where it stopped."""

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportedTalent, ImportJob
from silverpool.imports.services import request_undo, run, undo
from silverpool.talents.models import Event, Talent
from silverpool.talents.services.events import record_event
from silverpool.talents.services.notes import add_note

from .batches import batches_of
from .workbooks import checked, imported, people, person, uploaded, xlsx

pytestmark = pytest.mark.django_db


def test_an_undo_interrupted_after_a_step_is_resumed_by_the_reaper(
    tmp_path: Path,
    rita: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(undo, "UNDO_CHUNK", 2)
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita)

    with django_capture_on_commit_callbacks(execute=False):
        assert request_undo(job, actor=rita)
    assert not request_undo(job, actor=rita)  # a second click starts nothing
    assert undo._undo_step(job.pk)  # the worker dies after its first step
    job.refresh_from_db()
    assert job.state == ImportJob.State.UNDOING
    assert job.undo_summary == {"removed": 2, "reverted": 0, "kept": 0}
    assert Talent.objects.count() == 3
    assert undo.due_undos() == []  # its lease has not run out yet

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3), tick=False):
        due = undo.due_undos()
    assert due == [job.pk]
    undo.continue_undo(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.UNDONE
    assert job.undo_summary == {"removed": 5, "reverted": 0, "kept": 0}
    assert job.undone_by == rita
    assert not Talent.objects.exists()
    assert not ImportedTalent.objects.filter(job=job).exists()


def test_a_job_not_being_undone_is_left_alone_by_the_background_task(
    tmp_path: Path, rita: User
) -> None:
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", people(2)), rita)

    undo.continue_undo(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Talent.objects.count() == 2


@pytest.mark.parametrize(
    ("consent", "kept"),
    [(ImportJob.Consent.WEEKLY, 1), (ImportJob.Consent.ASK_NOW, 0)],
)
def test_a_talent_asked_for_consent_after_the_import_stays_unless_the_import_asked(
    tmp_path: Path, rita: User, consent: str, kept: int
) -> None:
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", people(1)), rita, consent=consent)
    talent = Talent.objects.get()
    later = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        record_event(talent, Event.Kind.CONSENT_REQUESTED, actor=rita)
        record_event(talent, Event.Kind.EMAIL_SENT, actor=None, actor_label="System")

    summary = undo.undo_import(job, actor=rita)

    assert summary == {"removed": 1 - kept, "reverted": 0, "kept": kept}
    assert Talent.objects.count() == kept


def test_silverpools_own_hints_do_not_keep_a_talent(tmp_path: Path, rita: User) -> None:
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", people(1)), rita)
    talent = Talent.objects.get()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=False):
        record_event(talent, Event.Kind.PRIVACY_NOTICE_SENT, actor=None, actor_label="System")

    assert undo.undo_import(job, actor=rita)["removed"] == 1


def test_undo_takes_the_note_the_import_added_to_a_known_talent_off_again(
    tmp_path: Path, rita: User
) -> None:
    first = imported(xlsx(tmp_path / "a.xlsx", people(1)), rita)
    talent = Talent.objects.get()
    job = imported(
        xlsx(tmp_path / "b.xlsx", [person(1, note="Rückruf im März")]), rita, existing="fill"
    )
    assert list(talent.notes.values_list("text", flat=True)) == ["Rückruf im März"]

    assert undo.undo_import(job, actor=rita) == {"removed": 0, "reverted": 1, "kept": 0}

    assert not talent.notes.exists()
    assert Talent.objects.filter(pk=talent.pk).exists()
    assert first.state == ImportJob.State.DONE


def test_a_talent_edited_while_the_import_was_still_running_is_kept(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 2)
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(4)), rita))
    assert services.start_import(job, enqueue=False)

    def colleague_writes_a_note(cursor: int) -> None:
        if cursor == 2:  # the first batch is in, the second not yet
            talent = Talent.objects.get(email="talent1@example.com")
            add_note(talent, "Gespräch vereinbart", author=rita)

    run.run_import(job.pk, on_batch=colleague_writes_a_note)
    job.refresh_from_db()

    assert undo.undo_import(job, actor=rita) == {"removed": 3, "reverted": 0, "kept": 1}
    assert list(Talent.objects.values_list("email", flat=True)) == ["talent1@example.com"]
