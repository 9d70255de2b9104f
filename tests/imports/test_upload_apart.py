"""A large upload is opened in a process of its own, so that the web process never holds
the workbook (calamine loads a sheet whole): the mapping page gets the same sheets,
header and examples as from a file opened in place, and a file that cannot be opened
there still gets its message, with nothing kept."""

import datetime
from pathlib import Path

import openpyxl
import pytest

from silverpool.accounts.models import User
from silverpool.imports import apart, services
from silverpool.imports.models import ImportJob
from silverpool.imports.reading import UnreadableFile
from silverpool.imports.reading.errors import CORRUPT
from silverpool.imports.services import upload as upload_service

from . import dying
from .workbooks import upload

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


@pytest.mark.parametrize("apart_from_bytes", [0, 10**9], ids=["read apart", "read here"])
def test_the_mapping_page_gets_the_same_from_a_file_opened_apart(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, apart_from_bytes: int
) -> None:
    monkeypatch.setattr(upload_service, "GLANCE_APART_FROM_BYTES", apart_from_bytes)
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
            ["Anna", "Müller", "anna@example.com", "2027-03-01", "65000"],
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


def test_a_damaged_file_opened_apart_is_refused_with_its_reason(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload_service, "GLANCE_APART_FROM_BYTES", 0)
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
    monkeypatch.setattr(upload_service, "GLANCE_APART_FROM_BYTES", 0)
    monkeypatch.setattr(apart, "glance", dying.die)

    with pytest.raises(UnreadableFile) as refused:
        services.create_job(upload(messy_workbook(tmp_path / "gross.xlsx")), user=rita)

    assert str(refused.value) == (
        "The file could not be opened; it may be too large for this server. Split it into "
        "smaller files and upload them one by one."
    )
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))
