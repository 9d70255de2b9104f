"""A recruiter imports a messy German workbook in the browser: fixes one column of the
suggested mapping, reads the preview, imports with a pool and a tag, watches the progress,
downloads the rejected rows, finds the talents in the list and undoes the import;
follows an import that one worker left halfway and the next one finished; cancels one;
follows an undo step by step; saves a mapping that the next file with the same
headers gets; is told when a file was imported before; and reads a CSV file again in
the encoding it was saved in.

The check and the run are background tasks. Here they wait in the database queue until
the test runs the worker, as a worker process would, while the page polls. The live
server shares the test's database connection (in-memory SQLite), so the page's polls
are held back while the worker runs: they are forwarded one at a time from the test's
own thread (Playwright handles routes only when the test calls into it).
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Dialog, FilePayload, Locator, Page, Route, expect

from silverpool.accounts.models import User
from silverpool.imports.models import ImportJob, SavedMapping
from silverpool.imports.services import rowstream, run, undo
from silverpool.imports.views.xlsx import XLSX
from silverpool.talents.models import Pool, Tag, Talent

from ..imports.batches import batches_of
from .conftest import log_in, make_user

FILE_NAME = "Bewerber Messe.xlsx"


def messy_workbook() -> bytes:
    """A title row above the header, German headers, an Excel date next to a text date and
    a quarter, salaries as people write them (and words instead of one), a title before a
    first name and an extension after a phone number, postcode and city in one column, one
    person twice (the email in other capitals), one invalid row, "Stelle" (the job applied
    for), which the suggestion puts into the note, and tags of the rows' own."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bewerber"
    sheet.append(["Bewerberliste Jobmesse März 2026"])
    sheet.append([])
    sheet.append(
        ["Vorname", "Nachname", "E-Mail-Adresse", "Mobil", "PLZ/Ort", "Stelle"]
        + ["Verfügbar ab", "Gehaltswunsch", "Kommentar", "Schlagworte"]
    )
    rows: list[list[Any]] = [
        ["Anna", "Schmidt", " anna.schmidt@example.de ", "0171 2345678", "10115 Berlin"]
        + ["Backend-Entwicklerin", datetime.date(2027, 3, 1), "65.000 € + Bonus", "Sehr gut"]
        + ["Java, Messe 2026"],
        ["Jonas", "Weber", "Jonas.Weber@example.de", "+49 40 1234567", "Hamburg"]
        + ["Data Engineer", "01.03.2027", "ca. 55.000 EUR", ""],
        ["Jonas", "Weber", "jonas.weber@EXAMPLE.de", "", "Hamburg"]
        + ["Data Engineer", "", "", "zweimal beworben"],
        ["Lena", "Fischer", "lena.fischer(at)example.de", "", "Köln"]
        + ["Projektleiterin", "", "", ""],
        ["Dr. Mehmet", "Yılmaz", "mehmet.yilmaz@example.de", "030 1234567 DW 12", "10117 Berlin"]
        + ["DevOps Engineer", "Q2 2027", "nach Vereinbarung", ""],
    ]
    for row in rows:
        sheet.append(row)
    sheet["G4"].number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _queued_tasks(settings: Any) -> None:
    """Tasks wait in the database until run_worker() runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    failed = DBTaskResult.objects.failed()
    assert not failed.exists(), "\n".join(task.traceback for task in failed)


def hold_polls(page: Page) -> None:
    """Forward the page's polls from this thread, whole, so that none reaches the server
    while the worker uses the database connection."""

    def forward(route: Route) -> None:
        route.fulfill(response=route.fetch(max_redirects=0))

    page.route(lambda url: "fragment=" in url, forward)


def upload_messy_workbook(page: Page, workbook: bytes | None = None) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    buffer = workbook or messy_workbook()
    upload: FilePayload = {"name": FILE_NAME, "mimeType": XLSX, "buffer": buffer}
    page.get_by_label("Spreadsheet").set_input_files(files=[upload])
    page.get_by_role("button", name="Upload").click()


def test_a_recruiter_imports_a_messy_workbook_and_undoes_it(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    Pool.objects.create(name="Backend")
    Tag.objects.create(name="Messe 2026")
    hold_polls(page)
    log_in(page, "rita")

    upload_messy_workbook(page)

    # The mapping: the header below the title row, examples from the rows below it,
    # "Stelle" mapped by hand.
    expect(page.get_by_text("The headers are in row 3")).to_be_visible()
    expect(page.get_by_text("Backend-Entwicklerin")).to_be_visible()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("email")
    expect(page.get_by_label("PLZ/Ort")).to_have_value("postcode_city")
    expect(page.get_by_label("Stelle", exact=True)).to_have_value("note")
    page.get_by_label("Stelle", exact=True).select_option(label="Current job title")
    page.get_by_role("button", name="Check the file").click()

    # The check runs in the background; the page turns into the preview when it is done.
    expect(page.get_by_text("Checking the rows of the file…")).to_be_visible()
    run_worker()
    expect(page.get_by_role("heading", name="What the import will do")).to_be_visible()
    expect(page.locator("#preview-new")).to_have_text("3")
    expect(page.locator("#preview-existing")).to_have_text("0")
    expect(page.locator("#preview-repeated")).to_have_text("1")
    expect(page.locator("#preview-invalid")).to_have_text("1")
    first_rows = page.locator(".preview-table")
    expect(first_rows).to_contain_text("Backend-Entwicklerin")
    expect(first_rows).to_contain_text("65,000 EUR")
    expect(first_rows).to_contain_text("Gehaltswunsch: + Bonus")
    expect(first_rows).to_contain_text("10115")
    expect(first_rows).to_contain_text("Gehaltswunsch: nach Vereinbarung")
    expect(first_rows).to_contain_text("Mobil: DW 12")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Repeats row 5 (same email address).")
    expect(problems).to_contain_text("“lena.fischer(at)example.de”: Enter a valid email address.")
    expect(page.locator("#preview-tags")).to_have_text(
        re.compile(
            r"The file's rows give their talents these 2 tags: Java, Messe 2026\.\s+"
            r"One is new and is made when the import starts: Java\."
        )
    )

    # The decisions, then the run, which waits for the worker.
    page.get_by_label("Backend").check()
    page.get_by_label("Messe 2026").check()
    page.get_by_label("New tags").fill("Jobmesse Dresden")
    page.get_by_role("button", name="Start the import").click()
    bar = page.locator("#progress-bar")
    expect(page.get_by_role("heading", name="Waiting to start…")).to_be_visible()
    expect(bar).to_have_attribute("value", "0")
    expect(bar).to_have_attribute("max", "5")
    run_worker()
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
    expect(bar).to_have_attribute("value", "5")
    expect(page.locator("#count-created")).to_have_text("3")
    expect(page.locator("#count-repeated")).to_have_text("1")
    expect(page.locator("#count-rejected")).to_have_text("1")

    # The rejected rows, with the reasons and the cells as the file had them.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the rows not imported (xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "Bewerber Messe - not imported.xlsx"
    report = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][:4] == ("Row", "Column", "Reason", "Vorname")
    assert [row[:3] for row in rows[1:]] == [
        (6, "E-Mail-Adresse", "Repeats row 5 (same email address)."),
        (7, "E-Mail-Adresse", "“lena.fischer(at)example.de”: Enter a valid email address."),
    ]
    assert rows[2][3:6] == ("Lena", "Fischer", "lena.fischer(at)example.de")

    # The created talents in the list, with the pool and the tag.
    page.get_by_role("link", name="Show the 3 created talents in the list").click()
    expect(page.get_by_text(f"Only talents created by the import of {FILE_NAME}")).to_be_visible()
    table = page.locator(".talent-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    for name in ("Anna Schmidt", "Jonas Weber", "Mehmet Yılmaz"):
        expect(table).to_contain_text(name)
    expect(table.locator(".chip.pool", has_text="Backend")).to_have_count(3)
    tagged = Talent.objects.filter(tags__name="Messe 2026", pools__name="Backend")
    assert tagged.count() == 3
    assert Talent.objects.filter(tags__name="Jobmesse Dresden").count() == 3
    assert list(Talent.objects.filter(tags__name="Java").values_list("first_name", flat=True)) == [
        "Anna"
    ]
    anna = Talent.objects.get(email="anna.schmidt@example.de")
    jonas = Talent.objects.get(email__iexact="jonas.weber@example.de")
    assert (anna.available_from, anna.salary_amount) == (datetime.date(2027, 3, 1), Decimal(65000))
    assert (jonas.available_from, jonas.salary_amount) == (
        datetime.date(2027, 3, 1),
        Decimal(55000),
    )
    assert (anna.job_title, anna.postcode, anna.city) == ("Backend-Entwicklerin", "10115", "Berlin")
    assert [note.text for note in anna.notes.all()] == ["Gehaltswunsch: + Bonus\nSehr gut"]
    mehmet = Talent.objects.get(email="mehmet.yilmaz@example.de")
    assert (mehmet.available_from, mehmet.salary_amount) == (datetime.date(2027, 4, 1), None)
    assert (mehmet.first_name, mehmet.phone) == ("Mehmet", "+49301234567")
    assert [note.text for note in mehmet.notes.all()] == [
        "Academic title: Dr.\nGehaltswunsch: nach Vereinbarung\nMobil: DW 12"
    ]

    # Undo, from the import's page.
    page.get_by_role("link", name="Show the import").click()
    page.get_by_role("link", name="Undo the import").click()
    expect(page.get_by_text("The 3 talents it created are deleted")).to_be_visible()
    expect(page.get_by_text("The tags it created are deleted, unless")).to_contain_text(
        "Java, Jobmesse Dresden"
    )
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("heading", name="Undoing the import…")).to_be_visible()
    run_worker()
    expect(page.get_by_role("heading", name="The import was undone.")).to_be_visible()
    expect(page.locator("#undo-summary")).to_contain_text("Created talents removed: 3")
    expect(page.locator("#undo-deleted-tags")).to_contain_text("Jobmesse Dresden")
    expect(page.locator("#undo-deleted-tags")).to_contain_text("Java")
    page.get_by_role("link", name="Talents", exact=True).click()
    expect(page.get_by_text("There are no talents yet.")).to_be_visible()
    assert not Talent.objects.exists()


class WorkerGone(Exception):
    """The worker stopped after a batch (killed, in production)."""


def left_after_its_first_batch(page: Page, monkeypatch: pytest.MonkeyPatch) -> Locator:
    """Rita's import of the five data rows, in batches of two, whose worker wrote the first
    batch and is gone; the page's state label."""
    batches_of(monkeypatch, 2)
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 2)
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    hold_polls(page)
    log_in(page, "rita")
    upload_messy_workbook(page)
    page.get_by_role("button", name="Check the file").click()
    run_worker()
    page.get_by_role("button", name="Start the import").click()
    state = page.locator("#job-state")
    expect(state).to_have_text("Waiting to start")

    def gone(cursor: int) -> None:
        raise WorkerGone

    with pytest.raises(WorkerGone):
        run.run_import(ImportJob.objects.get().pk, on_batch=gone)
    return state


def test_the_page_follows_an_import_a_worker_left_halfway(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = left_after_its_first_batch(page, monkeypatch)

    # The page shows where the worker got to.
    expect(page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(state).to_have_text("Importing")
    expect(page.locator("#progress-bar")).to_have_attribute("value", "2")
    expect(page.locator("#progress")).to_contain_text("2 of 5 rows")

    # Its lease runs out; the next worker goes on from the third row.
    ImportJob.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
    expect(state).to_have_text("Imported")
    expect(page.locator("#count-created")).to_have_text("3")
    assert Talent.objects.count() == 3


def test_a_cancelled_import_keeps_what_it_wrote_and_can_be_undone(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = left_after_its_first_batch(page, monkeypatch)
    expect(page.locator("#progress")).to_contain_text("2 of 5 rows")

    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name="Cancel the import").click()
    expect(page.get_by_role("button", name="Cancel the import")).to_have_count(0)
    assert asked == ["Cancel the import? What it has saved so far stays and can be undone."]
    expect(page.get_by_text("the batch it is writing is not saved")).to_be_visible()
    # The next worker stops before the second batch.
    ImportJob.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()

    expect(page.get_by_text("The import was cancelled.")).to_be_visible()
    expect(state).to_have_text("Cancelled")
    expect(page.locator("#count-created")).to_have_text("2")
    expect(page.locator("#rest-not-imported")).to_contain_text("upload the file again")
    expect(page.get_by_role("link", name="Undo the import")).to_be_visible()
    assert Talent.objects.count() == 2


def test_the_page_follows_an_undo_step_by_step(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    state = left_after_its_first_batch(page, monkeypatch)
    ImportJob.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    expect(state).to_have_text("Imported")
    monkeypatch.setattr(undo, "UNDO_CHUNK", 2)

    page.get_by_role("link", name="Undo the import").click()
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("heading", name="Undoing the import…")).to_be_visible()
    expect(page.locator("#undo-progress")).to_have_attribute("max", "3")
    expect(page.locator("#undo-progress")).to_have_attribute("value", "0")

    # The worker's first step removes two of the three talents; the page shows it.
    undo._undo_step(ImportJob.objects.get().pk)
    expect(page.locator("#undo-progress")).to_have_attribute("value", "2")
    expect(page.locator("#undoing")).to_contain_text(
        "2 of 3 talents · so far removed: 2 · reverted: 0"
    )

    run_worker()
    expect(page.get_by_role("heading", name="The import was undone.")).to_be_visible()
    expect(page.locator("#undo-summary")).to_contain_text("Created talents removed: 3")
    assert not Talent.objects.exists()


def test_a_saved_mapping_is_named_and_used_for_the_next_file_with_its_headers(
    page: Page,
) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    hold_polls(page)
    log_in(page, "rita")
    upload_messy_workbook(page)
    page.get_by_label("Stelle", exact=True).select_option(label="Current job title")
    page.get_by_label("Save this mapping as").fill("Jobmesse")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Checking the rows of the file…")).to_be_visible()

    # The next file from the fair: its columns are mapped as saved, and the page says so.
    upload_messy_workbook(page)

    expect(
        page.get_by_text("The columns below are mapped as the saved mapping “Jobmesse” says.")
    ).to_be_visible()
    expect(page.get_by_label("Saved mapping")).to_have_value(
        str(SavedMapping.objects.get(name="Jobmesse").pk)
    )
    expect(page.get_by_label("Stelle", exact=True)).to_have_value("job_title")
    page.get_by_label("Stelle", exact=True).select_option(label="— ignore —")
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("link", name="Change the mapping").first.click()
    expect(page.get_by_label("Stelle", exact=True)).to_have_value("ignore")
    expect(page.get_by_text("mapped as the saved mapping")).to_have_count(0)


def test_the_mapping_warns_when_the_same_file_was_imported_before(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    hold_polls(page)
    log_in(page, "rita")
    # The same bytes twice: openpyxl writes the time into each workbook it saves.
    workbook = messy_workbook()
    upload_messy_workbook(page, workbook)
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()
    expect(page.locator("#imported-before")).to_have_count(0)
    page.get_by_role("button", name="Check the file").click()
    run_worker()
    page.get_by_role("button", name="Start the import").click()
    run_worker()
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
    first = ImportJob.objects.get()

    upload_messy_workbook(page, workbook)

    notice = page.locator("#imported-before")
    expect(notice).to_contain_text(f"This file was imported before ({FILE_NAME},")
    expect(notice).to_contain_text("creates nobody twice")
    notice.get_by_role("link", name="Show that import").click()
    expect(page).to_have_url(re.compile(rf"/imports/{first.pk}/$"))
    expect(page.locator("#count-created")).to_have_text("3")


def test_a_csv_file_recognised_in_the_wrong_encoding_is_read_again_in_the_right_one(
    page: Page,
) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    hold_polls(page)
    log_in(page, "rita")
    lines = ["Vorname;Nachname;E-Mail", "Jędrzej;Pędrak;jedrzej@example.pl"]
    polish: FilePayload = {
        "name": "kandydaci.csv",
        "mimeType": "text/csv",
        "buffer": "\r\n".join(lines).encode("cp1250"),
    }
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Spreadsheet").set_input_files(files=[polish])
    page.get_by_role("button", name="Upload").click()

    # Windows-1250's "ę" is Windows-1252's "ê"; the examples show it.
    encoding = page.get_by_label("Text encoding")
    expect(encoding).to_have_value("cp1252")
    expect(page.get_by_text("Jêdrzej")).to_be_visible()
    expect(encoding).to_have_accessible_description(re.compile("Letters look wrong"))
    encoding.select_option(label="Central European (Windows-1250)")
    page.get_by_role("button", name="Read again").click()

    expect(page.get_by_label("Text encoding")).to_have_value("cp1250")
    expect(page.get_by_text("Jędrzej")).to_be_visible()
    expect(page.get_by_text("Jêdrzej")).to_have_count(0)
    page.get_by_role("button", name="Check the file").click()
    run_worker()
    expect(page.locator(".preview-table")).to_contain_text("Pędrak")
    page.get_by_role("button", name="Start the import").click()
    run_worker()
    expect(page.get_by_role("heading", name="The import is done.")).to_be_visible()
    assert Talent.objects.get().first_name == "Jędrzej"


def test_the_wrong_file_is_discarded_before_anything_is_imported(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    log_in(page, "rita")
    upload_messy_workbook(page)
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()
    stored = Path(ImportJob.objects.get().file.path)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard this upload").click()

    expect(page.get_by_text(f"“{FILE_NAME}” was discarded")).to_be_visible()
    expect(page.get_by_role("button", name="Upload")).to_be_visible()
    expect(page.get_by_role("link", name=FILE_NAME)).to_have_count(0)
    assert not ImportJob.objects.exists()
    assert not stored.exists()
