"""The run writes the rows the check read (the spool): not the file as it is by then, never
a spool changed on disk, and the spool goes wherever the upload goes."""

import datetime
from pathlib import Path

import pytest
import time_machine

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.headers import Target, TargetField
from silverpool.imports.models import ImportJob
from silverpool.imports.services import run
from silverpool.imports.services.cleanup import delete_abandoned_uploads
from silverpool.imports.services.spool import HEADER, spool_path
from silverpool.talents.models import CustomField, Talent
from silverpool.talents.services.settings import delete_custom_field

from .batches import batches_of
from .workbooks import checked, people, person, started, uploaded, xlsx

pytestmark = pytest.mark.django_db


def files_of(upload: Path) -> list[str]:
    """The upload and what lies beside it under its name (the spool, a partial one)."""
    return sorted(path.name for path in upload.parent.glob(f"{upload.name}*"))


def test_the_run_imports_what_the_check_read_even_if_the_file_changed_since(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 7)
    rows = [*people(30), person(31, email="TALENT5@example.com"), person(32, email="kaputt")]
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", rows), rita))
    # the upload replaced on disk after the check
    xlsx(Path(job.file.path), people(3, start=100))

    job = started(job)

    assert job.state == ImportJob.State.DONE
    assert (job.created_count, job.repeated_count, job.rejected_count) == (30, 1, 1)
    assert set(Talent.objects.values_list("email", flat=True)) == {
        f"talent{number}@example.com" for number in range(1, 31)
    }
    reasons = dict(job.rejected_rows.values_list("row_number", "reason"))
    assert reasons[32] == "Repeats row 6 (same email address)."
    assert reasons[33] == "“kaputt”: Enter a valid email address."


def test_a_spool_changed_on_disk_is_refused_and_nothing_is_written(
    tmp_path: Path, rita: User
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    upload = Path(job.file.path)
    spooled = bytearray(spool_path(job).read_bytes())
    spooled[-1] ^= 0xFF
    spool_path(job).write_bytes(spooled)

    job = started(job)

    assert job.state == ImportJob.State.FAILED
    assert job.error == "The checked rows of this file are gone; upload the file again."
    assert not Talent.objects.exists()
    assert files_of(upload) == []


def test_a_spool_cut_short_on_disk_fails_the_import_after_what_it_holds(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 2)
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    spooled = spool_path(job).read_bytes()
    first = HEADER.size + HEADER.unpack(spooled[: HEADER.size])[1]
    spool_path(job).write_bytes(spooled[:first])  # the first batch only, whole

    job = started(job)

    assert job.state == ImportJob.State.FAILED
    assert job.error == "The checked rows of this file are gone; upload the file again."
    # what was written can be undone as after any failed import
    assert job.created_count == Talent.objects.count() == 2


def test_a_spool_deleted_before_the_run_fails_the_import_with_a_clear_message(
    tmp_path: Path, rita: User
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    spool_path(job).unlink()

    job = started(job)

    assert job.state == ImportJob.State.FAILED
    assert job.error == "The checked rows of this file are gone; upload the file again."
    assert not Talent.objects.exists()


def test_the_spool_goes_with_the_upload_when_the_import_ends(tmp_path: Path, rita: User) -> None:
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    upload = Path(job.file.path)
    assert files_of(upload) == [upload.name, f"{upload.name}.checked"]

    job = started(job)

    assert job.state == ImportJob.State.DONE
    assert files_of(upload) == []


def test_the_spool_goes_with_the_upload_when_a_queued_import_is_cancelled(
    tmp_path: Path, rita: User
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    upload = Path(job.file.path)
    assert services.start_import(job, enqueue=False)

    services.cancel_import(job)

    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED
    assert files_of(upload) == []


def test_an_abandoned_upload_goes_with_its_spool_and_what_a_dead_check_left(
    tmp_path: Path, rita: User
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(5)), rita))
    upload = Path(job.file.path)
    Path(f"{upload}.checked.1a2b.partial").write_bytes(b"half a check")

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)):
        assert delete_abandoned_uploads() == 1

    assert files_of(upload) == []
    assert not ImportJob.objects.filter(pk=job.pk).exists()


def test_a_resumed_run_skips_the_committed_batches(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 2)
    rows = [
        person(1, email="max@example.com", phone="keine Nummer"),  # invalid
        person(2),
        person(3, email="MAX@example.com"),  # new: the invalid row 2 did not bring max
        person(4, email="talent2@example.com"),  # repeats row 3
        person(5),
    ]
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", rows), rita))
    assert services.start_import(job, enqueue=False)
    ImportJob.objects.filter(pk=job.pk).update(cursor=2)  # as if the first batch committed

    run.run_import(job.pk)

    job.refresh_from_db()
    assert sorted(Talent.objects.values_list("email", flat=True)) == [
        "MAX@example.com",
        "talent5@example.com",
    ]
    assert (job.created_count, job.repeated_count) == (2, 1)


def test_values_of_a_custom_field_deleted_after_the_check_are_not_imported(
    tmp_path: Path, rita: User, alice: User
) -> None:
    notice = CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist")
    level = CustomField.objects.create(key="level", label_en="Level", label_de="Stufe")
    headers = ["Vorname", "E-Mail", "Frist", "Stufe"]
    rows = [["Anna", "anna@example.com", "3 Monate", "Senior"]]
    mapping = [Target(TargetField.FIRST_NAME), Target(TargetField.EMAIL)]
    mapping += [Target(TargetField.CUSTOM, notice.key), Target(TargetField.CUSTOM, level.key)]
    job = checked(uploaded(xlsx(tmp_path / "talente.xlsx", rows, headers), rita, mapping=mapping))
    assert job.preview["first"][0]["fields"]["custom_values"] == {
        "notice": "3 Monate",
        "level": "Senior",
    }

    delete_custom_field(level, actor=alice)  # an admin
    started(job)

    assert Talent.objects.get().custom_values == {"notice": "3 Monate"}
