"""The report of the rows not imported: an xlsx with each row the import did not take,
why, and the row's own cells, none of which a spreadsheet would run as a formula."""

import io
from pathlib import Path
from typing import Any

import openpyxl
from django.utils import translation
from openpyxl.worksheet.worksheet import Worksheet

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportJob
from silverpool.privacy.models import AuditEntry

from .workbooks import HEADERS, imported, person, xlsx

HEADER = ("Row", "Column", "Reason", *HEADERS)


def report_sheet(job: ImportJob) -> Worksheet:
    out = io.BytesIO()
    assert job.uploaded_by is not None
    services.write_rejected_rows(job, out, user=job.uploaded_by)
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value}"
    return sheet


def report(job: ImportJob) -> list[tuple[Any, ...]]:
    return list(report_sheet(job).iter_rows(values_only=True))


def test_the_report_lists_each_rejected_row_with_its_reason_and_cells(
    tmp_path: Path, rita: User
) -> None:
    rows = [
        person(1),
        person(2, email="kaputt", phone="030 1234567"),
        person(1, first_name="Doppelt"),
        person(3, first_name=None),
    ]
    job = imported(xlsx(tmp_path / "t.xlsx", rows), rita)

    assert report(job) == [
        HEADER,
        (3, "E-Mail", "“kaputt”: Enter a valid email address.",
         "Vorname2", "Nachname2", "kaputt", "030 1234567", "Berlin", "Entwicklerin", None),
        (4, "E-Mail", "Repeats row 2 (same email address).",
         "Doppelt", "Nachname1", "talent1@example.com", None, "Berlin", "Entwicklerin", None),
        (5, "Vorname", "A first name is required.",
         None, "Nachname3", "talent3@example.com", None, "Berlin", "Entwicklerin", None),
    ]  # fmt: skip


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(
    tmp_path: Path, rita: User
) -> None:
    # A CSV brings formulas as text; an xlsx would store them as formulas already.
    path = tmp_path / "export.csv"
    path.write_text(
        "Vorname;Nachname;E-Mail;=Notiz\n"
        '"=HYPERLINK(""http://evil.example"";""klick"")";+1;kaputt;@SUM(A1)\n'
        "-2;Berg;nochmal-kaputt;\t=1+1\n",
        encoding="utf-8",
    )
    job = imported(path, rita)

    sheet = report_sheet(job)

    # Text cells marked as Excel marks text typed with a ' in front (which it hides): shown
    # as they are, never run, not even once edited.
    cells = [[(cell.value, cell.quotePrefix) for cell in row[3:]] for row in sheet.iter_rows()]
    assert cells == [
        [("Vorname", False), ("Nachname", False), ("E-Mail", False), ("=Notiz", True)],
        [
            ('=HYPERLINK("http://evil.example";"klick")', True),
            ("+1", True),
            ("kaputt", False),
            ("@SUM(A1)", True),
        ],
        [("-2", True), ("Berg", False), ("nochmal-kaputt", False), ("=1+1", True)],
    ]


def test_an_import_without_rejected_rows_has_a_report_of_headers_only(
    tmp_path: Path, rita: User
) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", [person(1)]), rita)

    assert report(job) == [HEADER]


def test_the_report_is_in_the_language_of_whoever_downloads_it(tmp_path: Path, rita: User) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", [person(1, email="x")]), rita)

    with translation.override("de"):
        header = report(job)[0]

    assert header[:3] == ("Zeile", "Spalte", "Grund")


def test_downloading_the_report_is_on_the_audit_log(tmp_path: Path, rita: User) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", [person(1), person(2, email="kaputt")]), rita)

    report(job)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert entry.actor == rita
    assert entry.detail == {"what": "import_rejected_rows", "job": job.pk, "count": 1}
