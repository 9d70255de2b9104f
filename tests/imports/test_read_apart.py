"""Large files are read in a separate process while the check looks up their emails: the
result is the same as reading them in the worker, and a file that turns out unreadable
further in, or a reading process that dies, still gives its message."""

from pathlib import Path
from typing import Any

import pytest

from silverpool.accounts.models import User
from silverpool.imports import apart, services, values
from silverpool.imports.models import ImportJob
from silverpool.imports.reading import Cell
from silverpool.imports.services import rowstream, run
from silverpool.talents.models import Talent
from silverpool.talents.phones import Refused

from . import dying
from .batches import batches_of
from .workbooks import (
    HEADERS,
    checked,
    imported,
    memory_bomb,
    people,
    person,
    started,
    uploaded,
    xls,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rowstream, "READ_APART_FROM_BYTES", 0)
    batches_of(monkeypatch, 7)


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
    assert reasons[33] == "“kaputt”: Enter a valid email address."


def test_an_excel_97_2003_workbook_is_read_apart_and_imported(tmp_path: Path, rita: User) -> None:
    rows = [*people(3), person(4, email="kaputt")]

    job = imported(xls(tmp_path / "ats-export.xls", rows), rita)

    assert (job.state, job.created_count, job.rejected_count) == (ImportJob.State.DONE, 3, 1)
    assert sorted(Talent.objects.values_list("first_name", flat=True)) == [
        "Vorname1",
        "Vorname2",
        "Vorname3",
    ]


def test_the_reading_process_reports_a_file_with_too_many_rows(
    tmp_path: Path, rita: User, read_apart: None, settings: object
) -> None:
    settings.IMPORT_MAX_ROWS = 35  # type: ignore[attr-defined]
    job = checked(uploaded(xlsx(tmp_path / "gross.xlsx", people(50)), rita))

    assert job.state == ImportJob.State.MAPPING
    assert job.preview["error"] == "The file has more than 35 rows; split it into smaller files."


def test_a_reading_process_that_dies_sends_the_job_back_with_a_message(
    tmp_path: Path, rita: User, read_apart: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "produce", dying.die)

    job = checked(uploaded(xlsx(tmp_path / "gross.xlsx", people(5)), rita))

    # Not left checking, for the reaper to start the same death again every 15 minutes.
    assert job.state == ImportJob.State.MAPPING
    assert job.preview["error"] == (
        "The file could not be opened; it may be too large for this server. Split it into "
        "smaller files and upload them one by one."
    )
    upload = Path(job.file.path)
    assert list(upload.parent.glob(f"{upload.name}.*")) == []  # nothing spooled


def test_a_workbook_that_unpacks_into_too_much_memory_sends_the_job_back_with_a_message(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    # Under the default limit the upload reads its first rows (the sheet loaded whole).
    job = uploaded(memory_bomb(tmp_path / "klein.xlsx"), rita, mapping=[])
    settings.IMPORT_READER_MAX_MB = 128

    job = checked(job)

    assert job.state == ImportJob.State.MAPPING
    assert job.preview["error"].startswith("The file could not be opened;")


def read_where(monkeypatch: pytest.MonkeyPatch, *, apart: bool) -> None:
    """Read the test's file apart, or in the worker as a small text file is (the reading
    is the same for every format)."""
    monkeypatch.setattr(rowstream, "READ_APART_FROM_BYTES", 0 if apart else 10**9)
    if not apart:
        monkeypatch.setattr(rowstream, "is_workbook", lambda path: False)


@pytest.mark.parametrize("apart", [True, False], ids=["read apart", "read here"])
def test_the_run_writes_whole_chunks_per_transaction(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    read_where(monkeypatch, apart=apart)
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 3)
    batches_of(monkeypatch, 6)
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


@pytest.mark.parametrize("apart", [True, False], ids=["read apart", "read here"])
def test_a_text_file_is_read_in_the_encoding_chosen_for_it(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    read_where(monkeypatch, apart=apart)
    path = tmp_path / "kandydaci.csv"
    lines = ["Vorname;Nachname;E-Mail", "Łukasz;Wiśniewski;lukasz@example.pl"]
    path.write_bytes("\r\n".join(lines).encode("cp1250"))
    job = uploaded(path, rita)
    job.encoding = "cp1250"

    job = started(checked(job))

    assert job.created_count == 1
    talent = Talent.objects.get()
    assert (talent.first_name, talent.last_name) == ("Łukasz", "Wiśniewski")


PHONES: list[tuple[int, Cell, str]] = [
    (1, "030 1234567", "Deutschland"),
    # Read for Germany (the default) in the reading process, which leaves country names
    # that are not plain ASCII to the check: +49 664 … there, +43 664 … here.
    (2, "0664 1234567", "Österreich"),
    (3, "044 668 18 00", "Schweiz"),
    (4, 15112345678.0, "DE"),  # typed as a number: the check reads it
    (5, "'+49 30 1234567", "Deutschland"),  # quoted by an export: the check reads it
    (6, "12345", "Deutschland"),  # refused there, for a reason the check words
    (7, "020 123 4567", "The Netherlands"),  # the country as the check reads it too
]


@pytest.mark.parametrize(
    ("apart", "read_by_the_check"),
    [(True, [2, 4, 5]), (False, [1, 2, 3, 4, 5, 6, 7])],
    ids=["read apart", "read here"],
)
def test_phone_numbers_read_by_the_reading_process_are_the_ones_the_check_would_read(
    tmp_path: Path,
    rita: User,
    monkeypatch: pytest.MonkeyPatch,
    apart: bool,
    read_by_the_check: list[int],
) -> None:
    read_where(monkeypatch, apart=apart)
    parse_phone = values.parse_phone
    cells_read: list[Cell] = []

    def watched(cell: Cell, region: str, read: str | Refused | None = None) -> values.Phone | None:
        if read is None:
            cells_read.append(cell)
        return parse_phone(cell, region, read)

    monkeypatch.setattr(values, "parse_phone", watched)
    rows = [person(n, phone=phone, country=country) for n, phone, country in PHONES]

    job = imported(xlsx(tmp_path / "kandidaten.xlsx", rows, [*HEADERS, "Land"]), rita)

    assert dict(Talent.objects.values_list("email", "phone")) == {
        "talent1@example.com": "+49301234567",
        "talent2@example.com": "+436641234567",
        "talent3@example.com": "+41446681800",
        "talent4@example.com": "+4915112345678",
        "talent5@example.com": "+49301234567",
        "talent7@example.com": "+31201234567",
    }
    assert list(job.rejected_rows.values_list("row_number", "reason")) == [
        (
            7,
            "“12345”: Not a valid phone number (country of numbers without a country code: "
            "Germany): check the area code and the number of digits.",
        )
    ]
    # The check (the run writes what it read) read the numbers the reading process left.
    assert cells_read == [phone for n, phone, _country in PHONES if n in read_by_the_check]
