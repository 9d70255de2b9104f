"""A workbook is opened in a process of its own, with a memory limit, so that the web
process never holds it (calamine loads a sheet whole, and a small workbook can unpack into
far more memory than its size): the mapping page gets its sheets, header and examples,
and a file that cannot be opened there gets a message, with nothing kept. A text file is
read in place."""

import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from silverpool.accounts.models import User
from silverpool.imports import apart, services
from silverpool.imports.models import ImportJob
from silverpool.imports.reading import UnreadableFile
from silverpool.imports.reading.errors import CORRUPT, NOT_OPENED
from silverpool.imports.services import upload as upload_service

from . import dying
from .workbooks import memory_bomb, upload

pytestmark = pytest.mark.django_db


def messy_workbook(path: Path) -> Path:
    """A cover sheet, then the data under a title row, then a sheet of notes."""
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Deckblatt"
    cover.append(["Export aus dem alten ATS"])
    data = book.create_sheet("Kandidaten")
    data.append(["Kandidaten Vertrieb 2026"])
    data.append([])
    data.append(["Vorname", "Nachname", "E-Mail", "Verfügbar ab", "Gehaltswunsch"])
    data.append(["Anna", "Müller", "anna@example.com", datetime.date(2027, 3, 1), 65000])
    data.append(["Jörg", "Weiß", "joerg@example.com", "01.03.2027", "65.000 €"])
    notes = book.create_sheet("Hinweise")
    notes.append(["Hinweis", "Wer"])
    notes.append(["Bitte prüfen", "Rita"])
    book.save(path)
    return path


def seen(job: ImportJob) -> tuple[object, ...]:
    return (
        job.sheets,
        job.sheet,
        job.header_row,
        job.last_row,
        job.headers,
        job.sample,
        job.mapping,
    )


def test_the_mapping_page_gets_the_sheets_header_and_examples_of_a_workbook(
    tmp_path: Path, rita: User
) -> None:
    path = messy_workbook(tmp_path / "kandidaten.xlsx")

    job = services.create_job(upload(path), user=rita)
    first = seen(job)
    services.choose_sheet(job, services.glance_at(job, "Hinweise"))

    assert first == (
        ["Deckblatt", "Kandidaten", "Hinweise"],
        "Kandidaten",
        3,
        5,
        ["Vorname", "Nachname", "E-Mail", "Verfügbar ab", "Gehaltswunsch"],
        [
            # An Excel date as the uploader reads dates.
            ["Anna", "Müller", "anna@example.com", "1 Mar 2027", "65000"],
            ["Jörg", "Weiß", "joerg@example.com", "01.03.2027", "65.000 €"],
        ],
        [
            ["first_name", ""],
            ["last_name", ""],
            ["email", ""],
            ["available_from", ""],
            ["salary", ""],
        ],
    )
    assert (job.sheet, job.header_row, job.last_row) == ("Hinweise", 1, 2)
    assert job.headers == ["Hinweis", "Wer"]
    assert job.sample == [["Bitte prüfen", "Rita"]]


def test_a_text_file_is_read_in_place(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_process(*args: object, **options: object) -> None:
        raise AssertionError("no process is started for a text file")

    monkeypatch.setattr(upload_service, "ProcessPoolExecutor", no_process)
    path = tmp_path / "talente.csv"
    path.write_bytes("Vorname;E-Mail\r\nAnna;anna@example.com\r\n".encode("cp1252"))

    job = services.create_job(upload(path), user=rita)

    assert (job.header_row, job.last_row, job.headers) == (1, 2, ["Vorname", "E-Mail"])


def test_a_damaged_workbook_is_refused_with_its_reason(tmp_path: Path, rita: User) -> None:
    whole = messy_workbook(tmp_path / "k.xlsx").read_bytes()
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(UnreadableFile) as refused:
        services.create_job(upload(path), user=rita)

    assert refused.value.message == CORRUPT
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))


def test_a_reading_process_that_dies_leaves_a_message_and_nothing_kept(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "glance", dying.die)

    with pytest.raises(UnreadableFile) as refused:
        services.create_job(upload(messy_workbook(tmp_path / "gross.xlsx")), user=rita)

    assert str(refused.value) == (
        "The file could not be opened; it may be too large for this server. Split it into "
        "smaller files and upload them one by one."
    )
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))


def test_a_small_workbook_that_unpacks_into_too_much_memory_is_refused(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    settings.IMPORT_READER_MAX_MB = 128
    path = memory_bomb(tmp_path / "klein.xlsx")  # 8 KB; about 200 MB loaded
    assert path.stat().st_size < 20_000

    with pytest.raises(UnreadableFile) as refused:
        services.create_job(upload(path), user=rita)

    assert refused.value.message == NOT_OPENED
    assert not ImportJob.objects.exists()
