"""Workbooks for the import tests, and the steps of an import done through the services
the page calls: upload, decisions, check, start."""

import datetime
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResult, TaskResultStatus
from django.tasks.signals import task_finished
from django.test import TestCase

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.headers import Target
from silverpool.imports.models import ImportJob
from silverpool.imports.reading import Cell
from silverpool.imports.services.check import check_file
from silverpool.talents.models import Pool, Tag
from silverpool.talents.services.bulk_intake import Arrival

HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Ort", "Position", "Bemerkung"]


def person(number: int, **cells: Cell) -> list[Cell]:
    """A row under HEADERS for talent `number`: talent7@example.com and so on."""
    row: dict[str, Cell] = {
        "first_name": f"Vorname{number}",
        "last_name": f"Nachname{number}",
        "email": f"talent{number}@example.com",
        "phone": None,
        "city": "Berlin",
        "job_title": "Entwicklerin",
        "note": None,
        **cells,
    }
    return list(row.values())


def people(count: int, start: int = 1) -> list[list[Cell]]:
    return [person(number) for number in range(start, start + count)]


def first_talent(arrivals: Sequence[Arrival]) -> int:
    """The number of a batch's first person (talent31@example.com: 31). On PostgreSQL two
    batches are written at once, so tests tell them by their rows, not by the order of
    the calls."""
    return int(arrivals[0].fields["email"].removeprefix("talent").partition("@")[0])


def xlsx(path: Path, rows: Iterable[Sequence[Cell]], headers: Sequence[Cell] = HEADERS) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Talente"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def xls(path: Path, rows: Iterable[Sequence[Cell]], headers: Sequence[Cell] = HEADERS) -> Path:
    """An Excel 97-2003 workbook, as older ATS exports are; dates formatted as German
    Excel shows them."""
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Talente")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for number, row in enumerate([headers, *rows]):
        for column, cell in enumerate(row):
            if isinstance(cell, datetime.date):
                sheet.write(number, column, cell, date_style)
            elif cell is not None:
                sheet.write(number, column, cell)
    workbook.save(str(path))
    return path


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def uploaded(
    path: Path,
    user: User,
    *,
    name: str | None = None,
    mapping: Sequence[Target] | None = None,
    pools: Iterable[Pool] = (),
    tags: Iterable[Tag] = (),
    **decisions: Any,
) -> ImportJob:
    """A job for the file with its suggested mapping (or `mapping`) and the decisions."""
    job = services.create_job(upload(path, name), user=user)
    if mapping is not None:
        job.mapping = [[target.field, target.custom_key] for target in mapping]
    for name_, value in decisions.items():
        setattr(job, name_, value)
    job.save()
    job.pools.set(pools)
    job.tags.set(tags)
    return job


def checked(job: ImportJob) -> ImportJob:
    """The check the page requests, run here and now."""
    services.request_check(job, enqueue=False)
    check_file(job.pk)
    job.refresh_from_db()
    return job


def started(job: ImportJob) -> ImportJob:
    """The "Import" button: the run (its task runs at once in tests), and whatever it
    enqueues after its commits (consent requests). A task that fails fails the test."""
    failed: list[str] = []

    def note_failure(sender: object, task_result: TaskResult[Any, Any], **kwargs: object) -> None:
        if task_result.status == TaskResultStatus.FAILED:
            failed.append(f"{task_result.task.module_path}: {task_result.errors}")

    task_finished.connect(note_failure)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert services.start_import(job)
    finally:
        task_finished.disconnect(note_failure)
    assert not failed, failed
    job.refresh_from_db()
    return job


def imported(path: Path, user: User, **options: Any) -> ImportJob:
    """Upload, check and run a file, as a recruiter on the import page does."""
    return started(checked(uploaded(path, user, **options)))


def memory_bomb(path: Path, cells: int = 20_000, text_bytes: int = 10_000) -> Path:
    """A tiny workbook that unpacks into far more memory than its size: one long shared
    string in `cells` cells (each cell a copy of it once loaded: 200 MB by default). It
    passes the zip checks (under 1 MB unpacked)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    columns = 10
    rows = "".join(
        f'<row r="{row}">' + '<c t="s"><v>0</v></c>' * columns + "</row>"
        for row in range(1, cells // columns + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{office}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{office}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="Talente" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relations}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relations}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>{"x" * text_bytes}</t>'
            "</si></sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return path
