"""Large files are read in a separate process while the import writes: the result is the
same as reading them in the writing process, and a file that turns out unreadable further
in still gives its message."""

from pathlib import Path

import pytest

from silverpool.accounts.models import User
from silverpool.imports.models import ImportJob
from silverpool.imports.services import rowstream
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


@pytest.mark.parametrize("skip", [0, 1, 2])
def test_a_resumed_run_judges_repeated_emails_as_the_first_run_did(
    tmp_path: Path, rita: User, skip: int
) -> None:
    rows = [
        person(1, email="max@example.com", phone="keine Nummer"),  # invalid: not seen
        person(2),
        person(3, email="MAX@example.com"),  # so this one is new, not a repeat
        person(4, email="talent2@example.com"),  # a repeat of row 3's talent2
    ]
    job = checked(uploaded(xlsx(tmp_path / "kandidaten.xlsx", rows), rita))
    stream = rowstream.RowStream(rowstream.spec_of(job))

    batches = list(stream.batches(skip))

    good = [row.number for batch in batches for row in batch.good]
    repeated = [row.number for batch in batches for row in batch.repeated]
    assert good == [n for n in (3, 4) if n > skip + 1]
    assert repeated == [5]
