"""Large files are read in a separate process while the check looks up their emails: the
result is the same as reading them in the worker, and a file that turns out unreadable
further in still gives its message."""

from pathlib import Path

import pytest

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportJob
from silverpool.imports.services import rowstream, run
from silverpool.talents.models import Talent

from .workbooks import checked, imported, people, person, uploaded, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rowstream, "READ_APART_FROM_BYTES", 0)
    monkeypatch.setattr(rowstream, "BATCH_ROWS", 7)


def test_a_file_read_in_another_process_imports_every_row_once(
    tmp_path: Path, rita: User, read_apart: None
) -> None:
    rows = [*people(30), person(31, email="TALENT5@example.com"), person(32, email="kaputt")]
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", rows), rita)

    assert job.state == ImportJob.State.DONE
    assert (job.created_count, job.repeated_count, job.rejected_count) == (30, 1, 1)
    assert Talent.objects.count() == 30
    reasons = dict(job.rejected_rows.values_list("row_number", "reason"))
    assert reasons[32] == "Repeats row 6 (same email address)."
    assert reasons[33] == "Enter a valid email address."


def test_the_reading_process_reports_a_file_with_too_many_rows(
    tmp_path: Path, rita: User, read_apart: None, settings: object
) -> None:
    settings.IMPORT_MAX_ROWS = 35  # type: ignore[attr-defined]
    job = checked(uploaded(xlsx(tmp_path / "gross.xlsx", people(50)), rita))

    assert job.state == ImportJob.State.MAPPING
    assert job.preview["error"] == "The file has more than 35 rows; split it into smaller files."


@pytest.mark.parametrize("apart_from_bytes", [0, 10**9], ids=["read apart", "read here"])
def test_the_run_writes_whole_chunks_per_transaction(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, apart_from_bytes: int
) -> None:
    monkeypatch.setattr(rowstream, "READ_APART_FROM_BYTES", apart_from_bytes)
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 3)
    monkeypatch.setattr(rowstream, "BATCH_ROWS", 6)
    # Row 12 (in the fourth chunk, the second batch) repeats row 2 (the first chunk).
    rows = [*people(10), person(11, email="TALENT1@example.com"), *people(3, start=12)]
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", rows), rita))
    services.start_import(job, enqueue=False)
    commits: list[int] = []

    run.run_import(job.pk, on_batch=commits.append)

    job.refresh_from_db()
    assert commits == [6, 12, 14]
    assert (job.state, job.created_count, job.repeated_count) == (ImportJob.State.DONE, 13, 1)
    assert dict(job.rejected_rows.values_list("row_number", "reason")) == {
        12: "Repeats row 2 (same email address)."
    }
