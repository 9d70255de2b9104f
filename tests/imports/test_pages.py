"""The import pages: upload, mapping, preview and decisions, progress, result, undo; who may
open them, and what a page opened in the wrong state does."""

import datetime
import io
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.apart import Glance
from silverpool.imports.forms.mapping import encode
from silverpool.imports.headers import Target, TargetField, suggest_mapping
from silverpool.imports.models import ImportJob, SavedMapping
from silverpool.imports.reading import Cell
from silverpool.imports.template import template_columns
from silverpool.imports.views.detail import preview_table
from silverpool.privacy.models import ConsentRecord
from silverpool.talents.models import CustomField, Pool, Status, Tag, Talent

from ..conftest import logged_in
from ..talents.factories import make_talent
from .workbooks import xls

UPLOAD_URL = reverse("imports:import-upload")
HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Ort"]
type Capture = Callable[..., AbstractContextManager[Any]]


def workbook(
    rows: Sequence[Sequence[Cell]],
    headers: Sequence[Cell] = HEADERS,
    *,
    sheets: Sequence[str] = ("Talente",),
) -> bytes:
    """An xlsx with `headers` and `rows` on its first sheet; further sheets get the same."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def person(number: int, **cells: Cell) -> list[Cell]:
    values: dict[str, Cell] = {
        "first": f"Vorname{number}",
        "last": f"Nachname{number}",
        "email": f"talent{number}@example.com",
        "phone": "030 1234567",
        "city": "Berlin",
        **cells,
    }
    return list(values.values())


def upload(client: Client, content: bytes, name: str = "talente.xlsx") -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post(UPLOAD_URL, {"file": file})


def preview_of(client: Client, content: bytes, capture: Capture) -> str:
    """The preview page of `content` uploaded and checked with the suggested mapping."""
    upload(client, content)
    job = latest_job()
    with capture(execute=True):
        response = client.post(reverse("imports:import-mapping", args=[job.pk]), mapping_data(job))
    html: str = client.get(response["Location"]).content.decode()
    return html


def latest_job() -> ImportJob:
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    return job


def mapping_data(job: ImportJob, **changes: str) -> dict[str, str]:
    """The mapping form as the page shows it for `job`, with `changes` (column_<n>=...)."""
    data = {
        f"column_{index}": encode(Target(TargetField(field), key))
        for index, (field, key) in enumerate(job.mapping)
    }
    return {"action": "check", "default_country": job.default_country, **data, **changes}


@pytest.fixture
def checked_job(
    recruiter_client: Client, rita: User, django_capture_on_commit_callbacks: Capture
) -> ImportJob:
    """Rita's file of three talents and one without an email, checked: ready to start."""
    upload(recruiter_client, workbook([*(person(n) for n in range(1, 4)), person(4, email="")]))
    job = latest_job()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(reverse("imports:import-mapping", args=[job.pk]), mapping_data(job))
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    return job


def start(client: Client, job: ImportJob, capture: Capture, **decisions: Any) -> Any:
    data = {"existing": "fill", "invalid": "skip", "consent": "weekly", **decisions}
    with capture(execute=True):
        response = client.post(reverse("imports:import-start", args=[job.pk]), data)
    job.refresh_from_db()
    return response


@pytest.fixture
def done_job(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> ImportJob:
    start(recruiter_client, checked_job, django_capture_on_commit_callbacks)
    assert checked_job.state == ImportJob.State.DONE
    return checked_job


def job_urls(job: ImportJob) -> dict[str, str]:
    return {
        name: reverse(f"imports:import-{name}", args=[job.pk])
        for name in ("detail", "mapping", "start", "cancel", "discard", "rejected", "undo")
    }


def each_request(client: Client, job: ImportJob) -> list[int]:
    """The status of every page (GET) and action (POST) of the job."""
    urls = job_urls(job)
    pages = [client.get(urls[name]) for name in ("detail", "mapping", "rejected", "undo")]
    actions = [
        client.post(urls[name]) for name in ("mapping", "start", "cancel", "discard", "undo")
    ]
    return [response.status_code for response in pages + actions]


# --- who may ---------------------------------------------------------------------------


def test_viewers_may_not_open_the_import_pages(viewer_client: Client) -> None:
    for url in (UPLOAD_URL, reverse("imports:import-template")):
        assert viewer_client.get(url).status_code == 403
    assert upload(viewer_client, workbook([person(1)])).status_code == 403
    assert not ImportJob.objects.exists()


def test_viewers_may_not_open_an_import_even_by_its_address(
    done_job: ImportJob, viewer_client: Client
) -> None:
    assert set(each_request(viewer_client, done_job)) == {403}


def test_another_recruiter_gets_not_found_for_each_page_of_an_import(
    done_job: ImportJob, rita: User
) -> None:
    rolf = User.objects.create_user("rolf", "rolf@example.com", "pw", role=User.Role.RECRUITER)
    client = logged_in(rolf)

    assert set(each_request(client, done_job)) == {404}
    done_job.refresh_from_db()
    assert done_job.state == ImportJob.State.DONE


def test_an_admin_may_open_and_undo_anyones_import(
    done_job: ImportJob, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert admin_client.get(job_urls(done_job)["detail"]).status_code == 200

    with django_capture_on_commit_callbacks(execute=False) as undo_task:
        response = admin_client.post(job_urls(done_job)["undo"])
    done_job.refresh_from_db()
    assert done_job.state == ImportJob.State.UNDOING
    page = admin_client.get(response["Location"]).content.decode()
    assert "Undoing the import…" in page
    assert f"0 of {done_job.created_count} talents · so far removed: 0" in page

    undo_task[0]()  # the background undo

    done_job.refresh_from_db()
    assert done_job.state == ImportJob.State.UNDONE
    assert done_job.undo_summary == {"removed": done_job.created_count, "reverted": 0, "kept": 0}


def test_the_menu_offers_the_import_to_editors_only(
    recruiter_client: Client, viewer_client: Client
) -> None:
    link = f'href="{UPLOAD_URL}"'

    assert link in recruiter_client.get(reverse("talents:talent-list")).content.decode()
    assert link not in viewer_client.get(reverse("talents:talent-list")).content.decode()


def test_posts_without_the_csrf_token_are_refused(done_job: ImportJob, rita: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita)

    response = client.post(job_urls(done_job)["undo"])

    assert response.status_code == 403
    done_job.refresh_from_db()
    assert done_job.state == ImportJob.State.DONE


# --- upload and history ------------------------------------------------------------------


def test_a_file_that_is_no_spreadsheet_is_refused_on_the_page_and_nothing_is_kept(
    recruiter_client: Client, settings: Any
) -> None:
    response = upload(recruiter_client, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "cv.xlsx")

    assert response.status_code == 422
    assert "This is not a spreadsheet (Excel, OpenDocument or CSV)." in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in (settings.MEDIA_ROOT).rglob("*"))


def test_an_upload_goes_on_to_the_mapping_with_the_suggestion(recruiter_client: Client) -> None:
    response = upload(recruiter_client, workbook([person(1)]))

    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import-mapping", args=[job.pk])
    assert job.original_name == "talente.xlsx"
    assert [field for field, _key in job.mapping] == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "city",
    ]


def test_the_file_picker_offers_every_format_read_and_an_xls_goes_on_to_the_mapping(
    recruiter_client: Client, tmp_path: Path
) -> None:
    page = recruiter_client.get(UPLOAD_URL).content.decode()
    accept = re.search(r'accept="([^"]*)"', page)

    response = upload(
        recruiter_client, xls(tmp_path / "t.xls", [person(1)], HEADERS).read_bytes(), "export.xls"
    )

    assert accept is not None
    assert {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv"} <= set(accept[1].split(","))
    assert "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV/TSV." in page
    job = latest_job()
    assert response["Location"] == reverse("imports:import-mapping", args=[job.pk])
    assert (job.headers, job.sample) == (
        HEADERS,
        [["Vorname1", "Nachname1", "talent1@example.com", "030 1234567", "Berlin"]],
    )


def test_the_mapping_says_when_the_same_file_was_imported_before(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    content = workbook([person(1), person(2)])
    upload(recruiter_client, content, "herbst.xlsx")
    first = latest_job()
    first_mapping = recruiter_client.get(reverse("imports:import-mapping", args=[first.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(
            reverse("imports:import-mapping", args=[first.pk]), mapping_data(first)
        )
    start(recruiter_client, first, django_capture_on_commit_callbacks)
    assert first.state == ImportJob.State.DONE

    upload(recruiter_client, content, "herbst (1).xlsx")
    again = latest_job()
    html = recruiter_client.get(reverse("imports:import-mapping", args=[again.pk])).text

    assert 'id="imported-before"' not in first_mapping.text
    notice = re.search(r'id="imported-before">(.*?)</div>', html, re.S)
    assert notice is not None
    assert "This file was imported before (herbst.xlsx, " in notice.group(1)
    assert reverse("imports:import-detail", args=[first.pk]) in notice.group(1)
    # Another file, and the same file once its import is undone, say nothing.
    upload(recruiter_client, workbook([person(3)]), "winter.xlsx")
    other = recruiter_client.get(reverse("imports:import-mapping", args=[latest_job().pk]))
    assert 'id="imported-before"' not in other.text
    ImportJob.objects.filter(pk=first.pk).update(state=ImportJob.State.UNDONE)
    html = recruiter_client.get(reverse("imports:import-mapping", args=[again.pk])).text
    assert 'id="imported-before"' not in html


def test_the_same_file_imported_by_someone_else_is_named_only_for_an_admin(
    recruiter_client: Client, admin_client: Client, rita: User, alice: User
) -> None:
    content = workbook([person(1)])
    upload(admin_client, content, "alices.xlsx")
    ImportJob.objects.filter(pk=latest_job().pk).update(state=ImportJob.State.DONE)

    upload(recruiter_client, content, "ritas.xlsx")
    ritas = latest_job()
    rita_sees = recruiter_client.get(reverse("imports:import-mapping", args=[ritas.pk])).text
    alice_sees = admin_client.get(reverse("imports:import-mapping", args=[ritas.pk])).text

    assert 'id="imported-before"' not in rita_sees
    assert "This file was imported before (alices.xlsx, " in alice_sees


def test_a_recruiter_sees_their_own_imports_and_an_admin_sees_all(
    recruiter_client: Client, admin_client: Client, alice: User
) -> None:
    upload(recruiter_client, workbook([person(1)]), "ritas.xlsx")
    upload(admin_client, workbook([person(2)]), "alices.xlsx")

    ritas_page = recruiter_client.get(UPLOAD_URL).content.decode()
    alices_page = admin_client.get(UPLOAD_URL).content.decode()

    assert "ritas.xlsx" in ritas_page
    assert "alices.xlsx" not in ritas_page
    assert "ritas.xlsx" in alices_page
    assert "alices.xlsx" in alices_page
    assert "Rita" in alices_page  # who uploaded it


def test_the_history_offers_undo_for_a_finished_import(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    html = recruiter_client.get(UPLOAD_URL).content.decode()

    assert f'href="{job_urls(done_job)["undo"]}"' in html
    assert "Imported" in html


def test_the_result_says_how_the_talents_are_asked_for_consent(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    html = recruiter_client.get(job_urls(done_job)["detail"]).content.decode()

    assert "asked for their consent in the next weekly batch" in html


def test_after_asking_right_away_the_result_and_the_undo_say_the_emails_went_out(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    start(recruiter_client, checked_job, django_capture_on_commit_callbacks, consent="ask_now")
    urls = job_urls(checked_job)

    result = recruiter_client.get(urls["detail"]).content.decode()
    undo = recruiter_client.get(urls["undo"]).content.decode()

    assert "asked for their consent by email right after the import" in result
    assert "the links in those emails no longer work" in undo


def test_the_decisions_groups_are_named_and_their_errors_tied_to_them(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    response = start(
        recruiter_client, checked_job, django_capture_on_commit_callbacks, pools=["99999"]
    )
    html = response.content.decode()

    # Radio buttons and checkbox lists are groups a screen reader names by their legend.
    assert re.search(r'<fieldset class="field">\s*<legend>Talents that already exist', html)
    group = re.search(r'<fieldset class="field has-error" aria-describedby="([^"]+)">', html)
    assert group is not None
    assert re.search(rf'<ul class="errorlist" id="{group[1]}"><li>Select a valid choice', html)


def test_an_admin_on_someone_elses_upload_is_told_why_consent_elsewhere_is_not_offered(
    checked_job: ImportJob, admin_client: Client, recruiter_client: Client
) -> None:
    admins = admin_client.get(job_urls(checked_job)["detail"]).content.decode()
    recruiters = recruiter_client.get(job_urls(checked_job)["detail"]).content.decode()

    assert 'value="recorded"' not in admins
    assert "only by the admin who uploaded the file" in admins
    assert "only by the admin who uploaded the file" not in recruiters


def test_the_undo_says_consent_recorded_for_known_talents_stays(
    alice: User, admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    make_talent(email="talent1@example.com")
    upload(admin_client, workbook([person(1), person(2)]))
    job = latest_job()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:import-mapping", args=[job.pk]), mapping_data(job))
    start(
        admin_client,
        job,
        django_capture_on_commit_callbacks,
        consent="recorded",
        consent_note="Messe-Liste",
    )

    undo = admin_client.get(job_urls(job)["undo"]).content.decode()

    assert job.state == ImportJob.State.DONE
    assert "for talents that were already there stays recorded" in undo


# --- the template -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_template_headers_are_all_mapped_by_the_suggestion(
    recruiter_client: Client, rita: User, language: str
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Kündigungsfrist")
    rita.language = language
    rita.save()

    response = recruiter_client.get(reverse("imports:import-template"))

    assert isinstance(response, FileResponse)
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    headers = [str(cell) for cell in next(sheet.iter_rows(values_only=True))]
    with translation.override(language):
        targets = suggest_mapping(headers, list(CustomField.objects.all()))
        meant = [target for _header, target in template_columns()]
    assert targets == meant
    assert {target.field for target in targets} >= {"first_name", "last_name", "email", "custom"}
    assert ("Vorname" in headers) == (language == "de")


def test_the_template_keeps_the_zero_in_front_of_a_postcode_or_phone_typed_into_it(
    recruiter_client: Client,
) -> None:
    response = recruiter_client.get(reverse("imports:import-template"))

    assert isinstance(response, FileResponse)
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    text_columns = {
        str(sheet.cell(1, index).value)
        for index, column in enumerate(sheet.iter_cols(max_row=1), start=1)
        if sheet.column_dimensions[column[0].column_letter].number_format == "@"
    }
    assert text_columns == {"Postcode", "Phone"}


# --- mapping ---------------------------------------------------------------------------


def test_the_mapping_page_shows_the_header_row_examples_and_every_target(
    recruiter_client: Client,
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    content = workbook([person(n, city=city) for n, city in enumerate(["Köln", "", "Jena"])])
    upload(recruiter_client, content)
    job = latest_job()

    html = recruiter_client.get(reverse("imports:import-mapping", args=[job.pk])).content.decode()

    assert "The headers are in row 1" in html
    assert "Köln" in html
    assert "Jena" in html
    assert '<option value="custom:notice">custom field: Notice period</option>' in html
    assert re.search(r'<option value="email" selected>Email</option>', html)
    assert "Country of phone numbers without a country code" in html


def test_the_countries_of_phone_numbers_are_named_in_the_readers_language(
    recruiter_client: Client, rita: User
) -> None:
    upload(recruiter_client, workbook([person(1)]))
    url = reverse("imports:import-mapping", args=[latest_job().pk])
    english = recruiter_client.get(url).content.decode()
    rita.language = "de"
    rita.save()
    german = recruiter_client.get(url).content.decode()

    assert re.search(r'<option value="DE" selected>Germany</option>', english)
    assert re.search(r'<option value="DE" selected>Deutschland</option>', german)
    assert '<option value="AT">Österreich</option>' in german


def test_a_job_uploaded_before_its_examples_were_kept_reads_them_once(
    recruiter_client: Client,
) -> None:
    upload(recruiter_client, workbook([person(1, city="Köln")], sheets=("Talente", "Alt")))
    job = latest_job()
    ImportJob.objects.filter(pk=job.pk).update(sheets=[], sample=[])

    html = recruiter_client.get(reverse("imports:import-mapping", args=[job.pk])).content.decode()

    assert "Köln" in html
    assert 'value="Alt"' in html  # the sheet can be chosen
    job.refresh_from_db()
    assert (job.sheets, job.sample[0][-1]) == (["Talente", "Alt"], "Köln")


def test_a_mapping_without_an_email_column_is_refused_with_the_reason(
    recruiter_client: Client,
) -> None:
    upload(recruiter_client, workbook([person(1)]))
    job = latest_job()

    response = recruiter_client.post(
        reverse("imports:import-mapping", args=[job.pk]), mapping_data(job, column_2="ignore")
    )

    assert response.status_code == 422
    assert "No column goes into “email”." in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.MAPPING
    assert job.mapping[2] == ["email", ""]


def test_two_columns_in_one_field_are_named_with_their_letters(recruiter_client: Client) -> None:
    upload(recruiter_client, workbook([person(1)]))
    job = latest_job()

    response = recruiter_client.post(
        reverse("imports:import-mapping", args=[job.pk]), mapping_data(job, column_3="city")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Two columns go into “city”: “Telefon” (column D) and “Ort” (column E)." in html
    # The two selects are marked and described by the message; the others are not.
    marked = re.findall(r'<select name="(column_\d+)"[^>]*aria-invalid="true"', html)
    assert marked == ["column_3", "column_4"]
    assert html.count('aria-describedby="mapping-problem"') == 2


def test_submitting_the_mapping_checks_the_file_and_shows_the_preview(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    make_talent(email="TALENT2@example.com")
    graz = "0316 123456"
    rows = [
        person(1, phone=graz),
        person(2, phone=graz),
        person(1, phone=graz, email="TALENT1@Example.com"),
        person(3, phone=graz, email="kaputt"),
    ]
    upload(recruiter_client, workbook(rows))
    job = latest_job()

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            reverse("imports:import-mapping", args=[job.pk]),
            mapping_data(job, column_4="note", default_country="AT"),
        )
    html = recruiter_client.get(response["Location"]).content.decode()

    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    assert job.mapping[4] == ["note", ""]
    assert job.default_country == "AT"
    assert re.search(r'id="preview-new">1<', html)
    assert re.search(r'id="preview-existing">1<', html)
    assert re.search(r'id="preview-repeated">1<', html)
    assert re.search(r'id="preview-invalid">1<', html)
    assert "Repeats row 2 (same email address)." in html
    assert "+43 316 123456" in html  # Austrian: the default country
    assert "Vorname1" in html


def test_an_outlook_email_cell_and_a_phone_remark_import_the_address_and_note_the_rest(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    cell = "Nachname1, Vorname1 <talent1@example.com>; vorname1@firma.de;"
    rows = [person(1, email=cell, phone="030 1234567 (abends)")]
    html = preview_of(recruiter_client, workbook(rows), django_capture_on_commit_callbacks)

    assert re.search(r'id="preview-new">1<', html)
    assert re.search(r'id="preview-invalid">0<', html)
    assert "<td>talent1@example.com</td>" in html
    # The note's lines, each on its own.
    assert "<td>Further email address: vorname1@firma.de<br>Telefon: abends</td>" in html
    start(recruiter_client, latest_job(), django_capture_on_commit_callbacks)
    talent = Talent.objects.get()
    assert (talent.email, talent.phone) == ("talent1@example.com", "+49301234567")
    assert [note.text for note in talent.notes.all()] == [
        "Further email address: vorname1@firma.de\nTelefon: abends"
    ]


def test_a_cell_with_a_known_talents_second_address_updates_that_talent(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    known = make_talent(first_name="Vorname1", email="vorname1@firma.de")
    rows = [person(1, email="talent1@example.com; Vorname1@firma.de")]
    html = preview_of(recruiter_client, workbook(rows), django_capture_on_commit_callbacks)

    assert re.search(r'id="preview-new">0<', html)
    assert re.search(r'id="preview-existing">1<', html)
    start(recruiter_client, latest_job(), django_capture_on_commit_callbacks)
    assert list(Talent.objects.values_list("pk", flat=True)) == [known.pk]
    assert [note.text for note in known.notes.all()] == [
        "Further email address: talent1@example.com"
    ]


@pytest.mark.django_db
def test_the_preview_shows_a_notes_first_lines_each_shortened() -> None:
    note = "\n".join(["Academic title: Dr.", "x" * 100, "Mobil: nur abends", "3", "4"])
    first = [{"row": 2, "exists": False, "fields": {"first_name": "Anna"}, "note": note}]

    table = preview_table(first)

    assert table.headers == ["First name", "Note"]
    lines = ["Academic title: Dr.", "x" * 79 + "…", "Mobil: nur abends", "3", "…"]
    assert table.rows[0]["cells"] == ["Anna", "\n".join(lines)]


def test_the_preview_of_an_export_shows_salaries_and_custom_numbers_as_the_talent_page_does(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    CustomField.objects.create(
        key="notice", label_en="Notice period (weeks)", kind=CustomField.Kind.NUMBER
    )
    headers = ["First name", "Last name", "Email", "Salary expectation", "Currency"]
    headers += ["Salary period", "Notice period (weeks)", "Skills"]
    rows: list[list[Cell]] = [
        [
            "Anna",
            "Berg",
            "anna@example.com",
            "61000,00",
            "EUR",
            "per year",
            12,
            "SAP S/4HANA, Excel",
        ],
        ["Ben", "Ohm", "ben@example.com", None, "EUR", "per year", None, None],
    ]
    html = preview_of(recruiter_client, workbook(rows, headers), django_capture_on_commit_callbacks)

    cells = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
        for row in re.findall(r"<tr>.*?</tr>", html.split('class="preview-table"')[1], re.S)[1:3]
    ]
    assert cells[0][-3:] == ["SAP S/4HANA, Excel", "61,000 EUR · per year", "12"]
    assert cells[1][-3:] == ["", "", ""]  # a currency and period alone: no salary


def test_the_preview_names_the_files_tags_and_those_it_will_make(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    Tag.objects.create(name="Messe")
    headers = ["First name", "Email", "Tags"]
    rows: list[list[Cell]] = [
        ["Anna", "anna@example.com", "Messe, Java"],
        ["Ben", "ben@example.com", "java; Senior"],
    ]
    html = preview_of(recruiter_client, workbook(rows, headers), django_capture_on_commit_callbacks)

    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "The file's rows give their talents these 3 tags: Java, Messe, Senior." in text
    assert "2 are new and are made when the import starts: Java, Senior." in text
    table = html.split('class="preview-table"')[1]
    assert "<th>Tags</th>" in table
    assert "<td>Messe, Java</td>" in table
    assert "<td>java, Senior</td>" in table


def test_a_row_with_several_problems_is_one_invalid_row_naming_each_in_preview_and_report(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    upload(recruiter_client, workbook([person(1), person(2, first="", email="kaputt")]))
    job = latest_job()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(reverse("imports:import-mapping", args=[job.pk]), mapping_data(job))
    html = recruiter_client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())

    assert re.search(r'id="preview-invalid">1<', html)
    assert (
        "3 Vorname, E-Mail Vorname: A first name is required. "
        "E-Mail: “kaputt”: Enter a valid email address." in text
    )
    start(recruiter_client, job, django_capture_on_commit_callbacks)
    report = recruiter_client.get(reverse("imports:import-rejected", args=[job.pk]))
    assert isinstance(report, FileResponse)
    content = b"".join(report.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == (
        3,
        "Vorname, E-Mail",
        "Vorname: A first name is required. E-Mail: “kaputt”: Enter a valid email address.",
    )


def saved_from_a_first_file(
    client: Client, capture: Capture, name: str, **columns: str
) -> SavedMapping:
    """A first file's mapping, with `columns` changed, checked and saved under `name`."""
    upload(client, workbook([person(1)]))
    first = latest_job()
    with capture(execute=True):
        client.post(
            reverse("imports:import-mapping", args=[first.pk]),
            mapping_data(first, **columns, save_as=name),
        )
    return SavedMapping.objects.get(name=name)


def test_a_postcode_and_city_column_next_to_a_city_column_is_refused(
    recruiter_client: Client,
) -> None:
    upload(recruiter_client, workbook([person(1)]))
    job = latest_job()

    response = recruiter_client.post(
        reverse("imports:import-mapping", args=[job.pk]),
        mapping_data(job, column_3="postcode_city"),
    )

    assert response.status_code == 422
    assert "Two columns go into “city”: “Telefon” (column D) and “Ort” (column E)." in (
        response.content.decode()
    )


def test_a_mapping_can_be_saved_and_applied_to_another_file(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    saved = saved_from_a_first_file(
        recruiter_client, django_capture_on_commit_callbacks, "ATS export", column_4="ignore"
    )
    upload(recruiter_client, workbook([person(2)], ["Vorname", "Nachname", "E-Mail", "Tel", "Ort"]))
    second = latest_job()

    recruiter_client.post(
        reverse("imports:import-mapping", args=[second.pk]),
        {"action": "saved", "saved-saved": saved.pk},
    )

    second.refresh_from_db()
    assert second.mapping[4] == ["ignore", ""]
    # "Tel", which the saved mapping does not know, as the suggestion has it.
    assert second.mapping[3] == ["phone", ""]


def test_a_column_a_saved_mapping_does_not_know_is_not_put_into_a_field_it_fills(
    db: None,
) -> None:
    saved = SavedMapping(columns={"lieblingsstadt": ["city", ""]}, default_country="AT")
    job = ImportJob(headers=["Vorname", "E-Mail", "Lieblingsstadt", "Stadt"])

    services.apply_saved_mapping(job, saved)

    # "Stadt" would be the city by its header; the saved mapping has a city already.
    assert job.mapping == [["first_name", ""], ["email", ""], ["city", ""], ["ignore", ""]]
    assert job.default_country == "AT"


def test_a_column_a_saved_mapping_does_not_know_is_not_split_into_a_field_it_fills(
    db: None,
) -> None:
    saved = SavedMapping(columns={"lieblingsstadt": ["city", ""]}, default_country="DE")
    job = ImportJob(headers=["Vorname", "E-Mail", "Lieblingsstadt", "PLZ/Ort"])

    services.apply_saved_mapping(job, saved)

    # "PLZ/Ort" would be split into postcode and city; the saved mapping has a city already.
    assert job.mapping[2:] == [["city", ""], ["ignore", ""]]


def test_a_saved_mapping_is_not_named_for_a_file_with_a_column_it_does_not_know(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    """A cover sheet of one column, ignored, is not "mapped as the saved mapping says"."""
    saved_from_a_first_file(recruiter_client, django_capture_on_commit_callbacks, "Messe")
    upload(recruiter_client, workbook([["Stand: November"]], ["Deckblatt"]))
    job = latest_job()

    page = recruiter_client.get(reverse("imports:import-mapping", args=[job.pk])).content.decode()

    assert "saved mapping “Messe”" not in page


def test_the_mapping_page_names_the_saved_mapping_its_columns_follow(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    saved = saved_from_a_first_file(
        recruiter_client, django_capture_on_commit_callbacks, "Messe", column_4="note"
    )
    upload(recruiter_client, workbook([person(2)]))
    second = latest_job()
    url = reverse("imports:import-mapping", args=[second.pk])

    page = recruiter_client.get(url).content.decode()

    assert "The columns below are mapped as the saved mapping “Messe” says." in page
    assert f'<option value="{saved.pk}" selected>Messe</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, mapping_data(second, column_4="ignore"))
    page = recruiter_client.get(url).content.decode()
    assert "saved mapping “Messe”" not in page
    assert f'<option value="{saved.pk}">Messe</option>' in page


def test_the_mapping_page_and_starting_the_check_do_not_open_the_file_again(
    recruiter_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(recruiter_client, workbook([person(1)]))
    job = latest_job()
    url = reverse("imports:import-mapping", args=[job.pk])
    opened: list[int] = []
    glance_at = services.glance_at

    def counted(job: ImportJob, sheet: str | None = None) -> Glance:
        opened.append(job.pk)
        return glance_at(job, sheet)

    monkeypatch.setattr(services, "glance_at", counted)

    page = recruiter_client.get(url)
    response = recruiter_client.post(url, mapping_data(job))

    assert page.status_code == 200
    assert response["Location"] == reverse("imports:import-detail", args=[job.pk])
    assert opened == []  # the upload kept the sheets and the examples


def test_choosing_another_sheet_reads_its_header_and_drops_the_check(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Talente", "Stand März"])
    book.active.append(["Vorname", "E-Mail"])
    book.active.append(["Anna", "anna@example.com"])
    other = book.create_sheet("Hinweise")
    other.append(["Hinweis", "Datum", "Wer"])
    other.append(["Bitte prüfen", "2026-01-01", "Rita"])
    out = io.BytesIO()
    book.save(out)
    upload(recruiter_client, out.getvalue())
    job = latest_job()
    url = reverse("imports:import-mapping", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, mapping_data(job))

    recruiter_client.post(url, {"action": "sheet", "sheet-sheet": "Hinweise"})

    job.refresh_from_db()
    assert job.sheet == "Hinweise"
    assert job.headers == ["Hinweis", "Datum", "Wer"]
    assert job.state == ImportJob.State.MAPPING
    assert job.preview == {}
    assert "Hinweise" in recruiter_client.get(url).content.decode()


POLISH_CSV = "Vorname;Nachname;E-Mail\r\nJędrzej;Pędrak;jedrzej@example.pl\r\n".encode("cp1250")


def test_a_csv_files_encoding_can_be_chosen_and_the_file_is_read_again_in_it(
    recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    upload(recruiter_client, POLISH_CSV, "kandydaci.csv")
    job = latest_job()
    url = reverse("imports:import-mapping", args=[job.pk])
    recognised = recruiter_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, mapping_data(job))

    response = recruiter_client.post(url, {"action": "encoding", "encoding-encoding": "cp1250"})

    assert (job.encoding, job.sample) == ("cp1252", [["Jêdrzej", "Pêdrak", "jedrzej@example.pl"]])
    assert '<option value="cp1252" selected>Western European (Windows-1252)</option>' in recognised
    assert "Jêdrzej" in recognised
    assert response["Location"] == url
    job.refresh_from_db()
    assert (job.encoding, job.sample, job.state, job.preview) == (
        "cp1250",
        [["Jędrzej", "Pędrak", "jedrzej@example.pl"]],
        ImportJob.State.MAPPING,
        {},
    )
    page = recruiter_client.get(url).content.decode()
    assert '<option value="cp1250" selected>Central European (Windows-1250)</option>' in page
    assert "Jędrzej" in page
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(url, mapping_data(job))
    job.refresh_from_db()
    start(recruiter_client, job, django_capture_on_commit_callbacks)
    talent = Talent.objects.get()
    assert (talent.first_name, talent.last_name) == ("Jędrzej", "Pędrak")


def test_an_encoding_the_file_is_not_in_is_refused_and_the_file_read_as_before(
    recruiter_client: Client,
) -> None:
    upload(recruiter_client, "Vorname;E-Mail\r\nJürgen;j@example.de\r\n".encode("cp1252"), "t.csv")
    job = latest_job()
    url = reverse("imports:import-mapping", args=[job.pk])

    response = recruiter_client.post(url, {"action": "encoding", "encoding-encoding": "utf-8"})

    assert response.status_code == 422
    assert (
        "the chosen text encoding does not have; choose another one." in response.content.decode()
    )
    job.refresh_from_db()
    assert (job.encoding, job.headers) == ("cp1252", ["Vorname", "E-Mail"])
    assert "Jürgen" in recruiter_client.get(url).content.decode()


def test_only_a_text_file_offers_a_text_encoding(recruiter_client: Client) -> None:
    upload(recruiter_client, workbook([person(1)]))
    job = latest_job()
    url = reverse("imports:import-mapping", args=[job.pk])

    page = recruiter_client.get(url).content.decode()
    refused = recruiter_client.post(url, {"action": "encoding", "encoding-encoding": "utf-8"})

    assert job.encoding == ""
    assert 'name="encoding-encoding"' not in page
    assert refused.status_code == 422  # no such choice for a workbook
    job.refresh_from_db()
    assert job.encoding == ""


# --- checking and the preview -------------------------------------------------------------


def test_while_checking_the_page_polls_and_then_sends_the_browser_to_the_preview(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    url = job_urls(checked_job)["detail"]
    ImportJob.objects.filter(pk=checked_job.pk).update(state=ImportJob.State.CHECKING)

    page = recruiter_client.get(url).content.decode()
    poll = recruiter_client.get(url, {"fragment": "checking"}, headers={"HX-Request": "true"})
    ImportJob.objects.filter(pk=checked_job.pk).update(state=ImportJob.State.READY)
    done = recruiter_client.get(url, {"fragment": "checking"}, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in page
    assert "Checking the rows of the file…" in page
    assert poll.content.decode().lstrip().startswith('<div class="panel"')
    assert "<html" not in poll.content.decode()
    assert done["HX-Redirect"] == url


def test_a_check_that_failed_says_why_and_leads_back_to_the_mapping(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    ImportJob.objects.filter(pk=checked_job.pk).update(
        state=ImportJob.State.MAPPING, preview={"error": "The file is damaged and cannot be read."}
    )

    html = recruiter_client.get(job_urls(checked_job)["detail"]).content.decode()

    assert "The file is damaged and cannot be read." in html
    assert f'href="{job_urls(checked_job)["mapping"]}"' in html


def test_a_long_list_of_problems_says_how_many_more_there_are(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    problems = [
        {"row": n, "column": "E-Mail", "reason": "Enter a valid email."} for n in range(200)
    ]
    preview = {**checked_job.preview, "invalid": 250, "repeated": 5, "problems": problems}
    ImportJob.objects.filter(pk=checked_job.pk).update(preview=preview)

    html = recruiter_client.get(job_urls(checked_job)["detail"]).content.decode()

    assert "and 55 more — all in the report after the import." in html


def test_the_preview_does_not_offer_recorded_consent_to_recruiters(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    html = recruiter_client.get(job_urls(checked_job)["detail"]).content.decode()

    assert 'value="weekly"' in html
    assert 'value="recorded"' not in html


def test_a_recruiter_cannot_record_consent_obtained_elsewhere(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    response = start(
        recruiter_client,
        checked_job,
        django_capture_on_commit_callbacks,
        consent="recorded",
        consent_note="Signed up at the fair",
    )

    assert response.status_code == 422
    assert (
        "Only admins can record consent obtained elsewhere, for files they uploaded."
        in response.content.decode()
    )
    assert checked_job.state == ImportJob.State.READY


@pytest.fixture
def admins_job(checked_job: ImportJob, alice: User) -> ImportJob:
    """The checked file, uploaded by Alice the admin."""
    ImportJob.objects.filter(pk=checked_job.pk).update(uploaded_by=alice)
    checked_job.refresh_from_db()
    return checked_job


def test_an_admin_cannot_record_consent_for_someone_elses_upload(
    checked_job: ImportJob, admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    response = start(
        admin_client,
        checked_job,
        django_capture_on_commit_callbacks,
        consent="recorded",
        consent_note="Signed up at the fair",
    )

    assert response.status_code == 422
    assert 'value="recorded"' not in admin_client.get(job_urls(checked_job)["detail"]).text


def test_recorded_consent_needs_a_note(
    admins_job: ImportJob, admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    checked_job = admins_job
    response = start(
        admin_client, checked_job, django_capture_on_commit_callbacks, consent="recorded"
    )

    assert response.status_code == 422
    assert "it is the proof of consent" in response.content.decode()
    assert checked_job.state == ImportJob.State.READY


def test_an_admin_records_consent_obtained_elsewhere_with_the_note(
    admins_job: ImportJob, admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    checked_job = admins_job
    start(
        admin_client,
        checked_job,
        django_capture_on_commit_callbacks,
        consent="recorded",
        consent_note="Campus sign-up sheet 2025, HR archive",
    )

    assert checked_job.state == ImportJob.State.DONE
    record = ConsentRecord.objects.get(talent__email="talent1@example.com")
    assert record.note == "Campus sign-up sheet 2025, HR archive"


def test_stopping_at_invalid_rows_is_refused_when_the_file_has_some(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    response = start(
        recruiter_client, checked_job, django_capture_on_commit_callbacks, invalid="stop"
    )

    assert response.status_code == 422
    assert (
        "The file has 1 invalid row, so “stop” would stop the import" in response.content.decode()
    )
    assert checked_job.state == ImportJob.State.READY
    assert not Talent.objects.exists()


def test_new_tags_typed_in_are_made_and_given_to_every_imported_talent(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    Tag.objects.create(name="Runner-up")
    tags_before = Tag.objects.count()

    start(
        recruiter_client,
        checked_job,
        django_capture_on_commit_callbacks,
        new_tags="Messe Dresden 2026, runner-up, ",
    )

    assert checked_job.state == ImportJob.State.DONE
    assert Tag.objects.count() == tags_before + 1  # "runner-up" is the one there
    for talent in Talent.objects.filter(email__startswith="talent"):
        names = sorted(link.tag.name for link in talent.talent_tags.all())
        assert names == ["Messe Dresden 2026", "Runner-up"]


def test_the_undo_of_an_import_deletes_the_new_tags_typed_in_for_it(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    Tag.objects.create(name="Runner-up")
    start(
        recruiter_client,
        checked_job,
        django_capture_on_commit_callbacks,
        new_tags="Messe Dresden 2026, runner-up",
    )
    url = job_urls(checked_job)["undo"]

    question = recruiter_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(url)
    result = recruiter_client.get(response["Location"]).content.decode()

    assert (
        "The tag it created is deleted, unless a talent, a web form, a saved search or another "
        "import has it: Messe Dresden 2026"
    ) in question
    assert (
        "The tag the import created is deleted too, as nothing else has it: Messe Dresden 2026"
        in result
    )
    assert not Tag.objects.filter(name="Messe Dresden 2026").exists()
    assert Tag.objects.filter(name="Runner-up").exists()


def test_a_new_tag_too_long_is_refused_before_anything_starts(
    checked_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    tags_before = Tag.objects.count()

    response = start(
        recruiter_client, checked_job, django_capture_on_commit_callbacks, new_tags="x" * 81
    )

    assert response.status_code == 422
    assert "A tag&#x27;s name has at most 80 characters" in response.content.decode()
    assert checked_job.state == ImportJob.State.READY
    assert Tag.objects.count() == tags_before


# --- running ---------------------------------------------------------------------------


def test_starting_applies_the_decisions_to_every_imported_talent(
    checked_job: ImportJob,
    recruiter_client: Client,
    alice: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    pool = Pool.objects.create(name="Backend")
    tag = Tag.objects.create(name="Messe 2026")
    status = Status.objects.get(key="contacted")

    response = start(
        recruiter_client,
        checked_job,
        django_capture_on_commit_callbacks,
        pools=[pool.pk],
        tags=[tag.pk],
        status=status.pk,
        owner=alice.pk,
        rejected_applicants="on",
    )

    assert response["Location"] == job_urls(checked_job)["detail"]
    assert checked_job.state == ImportJob.State.DONE
    assert checked_job.rejected_applicants
    talents = Talent.objects.filter(email__startswith="talent")
    assert talents.count() == 3
    for talent in talents:
        assert list(talent.pools.all()) == [pool]
        assert [link.tag for link in talent.talent_tags.all()] == [tag]
        assert talent.status == status
        assert talent.owner == alice
        assert talent.source_label == "talente.xlsx"


def test_an_upload_not_imported_can_be_discarded_with_its_file(
    recruiter_client: Client,
) -> None:
    upload(recruiter_client, workbook([person(1)]), "falsche-datei.xlsx")
    job = latest_job()
    stored = Path(job.file.path)
    mapping_page = recruiter_client.get(job_urls(job)["mapping"]).content.decode()
    history = recruiter_client.get(UPLOAD_URL).content.decode()
    assert mapping_page.count(f'action="{job_urls(job)["discard"]}"') == 1
    assert history.count(f'action="{job_urls(job)["discard"]}"') == 1

    response = recruiter_client.post(job_urls(job)["discard"], follow=True)

    assert response.redirect_chain == [(UPLOAD_URL, 302)]
    assert (
        "“falsche-datei.xlsx” was discarded: the file is deleted, nothing was imported from it."
        in response.content.decode()
    )
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not stored.exists()


def test_a_started_import_is_not_discarded(done_job: ImportJob, recruiter_client: Client) -> None:
    history = recruiter_client.get(UPLOAD_URL).content.decode()
    assert job_urls(done_job)["discard"] not in history

    response = recruiter_client.post(job_urls(done_job)["discard"], follow=True)

    assert response.redirect_chain == [(job_urls(done_job)["detail"], 302)]
    assert "This import has started, so it cannot be discarded" in response.content.decode()
    assert ImportJob.objects.filter(pk=done_job.pk).exists()


def test_a_second_click_on_start_changes_nothing_and_says_so(
    done_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    """Another tab's start, with other choices: they did not count, and the page says so."""
    response = start(
        recruiter_client, done_job, django_capture_on_commit_callbacks, existing="skip"
    )

    assert response["Location"] == job_urls(done_job)["detail"]
    assert done_job.existing == ImportJob.Existing.FILL
    assert Talent.objects.count() == 3
    page = recruiter_client.get(response["Location"]).content.decode()
    assert "This import had been started already, with the choices made then" in page


def test_the_example_rows_are_forgotten_once_the_import_starts(done_job: ImportJob) -> None:
    assert done_job.sample == []
    assert done_job.sheets == ["Talente"]


@pytest.fixture
def running_job(checked_job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=checked_job.pk).update(
        state=ImportJob.State.RUNNING,
        total_rows=10_000,
        cursor=3_000,
        created_count=2_900,
        rejected_count=100,
        started_at=timezone.now() - datetime.timedelta(seconds=30),
    )
    checked_job.refresh_from_db()
    return checked_job


@pytest.mark.parametrize(
    ("last_row", "shown"),
    [
        (100_002, "40,000 of about 100,000 rows checked · 10,000 rows per second · less than"),
        (0, "40,000 rows checked · 10,000 rows per second"),
    ],
    ids=["sheet's size known", "not known"],
)
def test_while_checking_the_page_shows_the_rows_checked_so_far(
    checked_job: ImportJob, recruiter_client: Client, rita: User, last_row: int, shown: str
) -> None:
    url = job_urls(checked_job)["detail"]
    # What the check reports while it reads (services/check.py): 40,000 rows in 4 s.
    ImportJob.objects.filter(pk=checked_job.pk).update(
        state=ImportJob.State.CHECKING,
        header_row=2,
        last_row=last_row,
        preview={"checked": 40_000, "seconds": 4.0},
    )

    poll = recruiter_client.get(url, {"fragment": "checking"}, headers={"HX-Request": "true"})
    html = poll.content.decode()

    assert shown in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    bar = re.search(r'<progress id="checking-bar"\s+value="40000"\s+max="100000"', html)
    assert bool(bar) == bool(last_row)
    rita.language = "de"
    rita.save()
    german = recruiter_client.get(url).content.decode()
    if last_row:
        assert "40.000 von etwa 100.000 Zeilen geprüft · 10.000 Zeilen pro Sekunde" in " ".join(
            re.sub(r"<[^>]+>", " ", german).split()
        )


def test_the_progress_shows_rows_done_rate_time_left_and_counts(
    running_job: ImportJob, recruiter_client: Client
) -> None:
    url = job_urls(running_job)["detail"]
    assert running_job.started_at is not None
    # The clock stands still 30 s after the start: 3,000 rows in 30 s.
    with time_machine.travel(running_job.started_at + datetime.timedelta(seconds=30), tick=False):
        html = recruiter_client.get(url).content.decode()
        poll = recruiter_client.get(url, {"fragment": "progress"}, headers={"HX-Request": "true"})

    assert re.search(r'<progress id="progress-bar"\s+value="3000"\s+max="10000"', html)
    assert "3,000 of 10,000 rows" in html
    assert "100 rows per second" in html
    assert "1\xa0minute left" in html
    assert re.search(r'id="count-created">2,900<', html)
    assert 'hx-trigger="every 1s"' in html
    assert 'action="{}"'.format(job_urls(running_job)["cancel"]) in html
    assert poll.content.decode().lstrip().startswith("<section")


def test_the_progress_poll_brings_the_jobs_state_along(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    url = job_urls(checked_job)["detail"]
    ImportJob.objects.filter(pk=checked_job.pk).update(state=ImportJob.State.QUEUED)
    page = recruiter_client.get(url).content.decode()
    ImportJob.objects.filter(pk=checked_job.pk).update(state=ImportJob.State.RUNNING)

    poll = recruiter_client.get(url, {"fragment": "progress"}, headers={"HX-Request": "true"})

    chip = r'<span id="job-state"\s+class="chip import-{}"\s+{}>{}</span>'
    assert re.search(chip.format("queued", "", "Waiting to start"), page)
    assert re.search(
        chip.format("running", 'hx-swap-oob="true"', "Importing"), poll.content.decode()
    )


def test_the_progress_poll_sends_the_browser_to_the_result_when_done(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    url = job_urls(done_job)["detail"]

    poll = recruiter_client.get(url, {"fragment": "progress"}, headers={"HX-Request": "true"})

    assert poll["HX-Redirect"] == url


def test_cancelling_a_running_import_asks_it_to_stop_after_its_batch(
    running_job: ImportJob, recruiter_client: Client
) -> None:
    response = recruiter_client.post(job_urls(running_job)["cancel"])

    running_job.refresh_from_db()
    assert response["Location"] == job_urls(running_job)["detail"]
    assert running_job.cancel_requested
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "Cancelling after the current batch…" in html


def test_cancelling_a_queued_import_cancels_it(
    checked_job: ImportJob, recruiter_client: Client
) -> None:
    ImportJob.objects.filter(pk=checked_job.pk).update(state=ImportJob.State.QUEUED)

    response = recruiter_client.post(job_urls(checked_job)["cancel"])

    checked_job.refresh_from_db()
    assert checked_job.state == ImportJob.State.CANCELLED
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "The import was cancelled before it started." in html


# --- the result, the report, undo ----------------------------------------------------------


def test_the_result_shows_counts_the_report_and_the_created_talents(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    html = recruiter_client.get(job_urls(done_job)["detail"]).content.decode()

    assert "The import is done." in html
    assert re.search(r'id="count-created">3<', html)
    assert re.search(r'id="count-rejected">1<', html)
    assert re.search(r'<progress id="progress-bar"\s+value="4"\s+max="4"', html)
    assert f'href="{job_urls(done_job)["rejected"]}"' in html
    talents_url = reverse("talents:talent-list") + f"?import_job={done_job.pk}"
    assert f'href="{talents_url}"' in html
    assert "Show the 3 created talents in the list" in html
    assert f'href="{job_urls(done_job)["undo"]}"' in html


def test_the_export_of_an_imports_talents_names_the_import(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    export_url = reverse("imports:talent-export") + f"?import_job={done_job.pk}"

    html = recruiter_client.get(export_url).content.decode()

    assert "3 talents match the list's current filters." in html
    assert re.search(r'<li><span class="muted">Import:</span> talente.xlsx</li>', html)


def test_the_rejected_rows_report_has_row_column_reason_and_the_cells(
    done_job: ImportJob, recruiter_client: Client
) -> None:
    response = recruiter_client.get(job_urls(done_job)["rejected"])

    assert isinstance(response, FileResponse)
    assert "talente - not imported.xlsx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Row", "Column", "Reason", "Vorname")
    assert rows[1][:3] == (
        5,
        "E-Mail",
        "No email address: without one the talent could not be recognised again.",
    )
    assert rows[1][3] == "Vorname4"


def test_undo_asks_first_then_removes_the_created_talents(
    done_job: ImportJob, recruiter_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    url = job_urls(done_job)["undo"]

    question = recruiter_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(url)
    result = recruiter_client.get(response["Location"]).content.decode()

    assert "The 3 talents it created are deleted, unless someone changed them since." in question
    assert "talents it updated" not in question  # it updated none
    assert "pools and tags it added" not in question  # it added to none
    assert not Talent.objects.filter(email__startswith="talent").exists()
    assert "The import was undone." in result
    assert "Created talents removed: 3 · updated talents reverted: 0 · kept because" in result
    assert f'href="{url}"' not in result


# --- pages opened in the wrong state --------------------------------------------------------


def test_each_page_opened_in_the_wrong_state_leads_to_the_right_one(
    recruiter_client: Client, done_job: ImportJob
) -> None:
    upload(recruiter_client, workbook([person(9)]))
    mapping = latest_job()
    urls = job_urls(mapping)
    done = job_urls(done_job)

    assert recruiter_client.get(urls["detail"])["Location"] == urls["mapping"]
    assert recruiter_client.post(urls["start"])["Location"] == urls["detail"]
    assert recruiter_client.get(urls["undo"])["Location"] == urls["detail"]
    assert recruiter_client.get(urls["rejected"])["Location"] == urls["detail"]
    assert recruiter_client.post(urls["cancel"])["Location"] == urls["detail"]
    assert recruiter_client.get(done["mapping"])["Location"] == done["detail"]
    assert recruiter_client.post(done["start"])["Location"] == done["detail"]


# --- the talent list, filtered by import ----------------------------------------------------


def test_the_talent_list_shows_only_the_talents_an_import_created(
    recruiter_client: Client, rita: User, django_capture_on_commit_callbacks: Capture
) -> None:
    make_talent(rita, first_name="Old", last_name="Friend", email="talent1@example.com")
    make_talent(rita, first_name="Not", last_name="Imported")
    upload(recruiter_client, workbook([person(1), person(2)]))
    job = latest_job()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(reverse("imports:import-mapping", args=[job.pk]), mapping_data(job))
    start(recruiter_client, job, django_capture_on_commit_callbacks)

    html = recruiter_client.get(reverse("talents:talent-list"), {"import_job": job.pk})

    content = html.content.decode()
    assert "Vorname2 Nachname2" in content
    assert "Old Friend" not in content  # updated, not created by the import
    assert "Not Imported" not in content
    assert "Only talents created by the import of talente.xlsx" in content
    assert f'<input type="hidden" name="import_job" value="{job.pk}"' in content


def test_another_recruiters_import_is_no_filter_of_the_list(
    done_job: ImportJob, rita: User
) -> None:
    rolf = User.objects.create_user("rolf", "rolf@example.com", "pw", role=User.Role.RECRUITER)

    html = logged_in(rolf).get(reverse("talents:talent-list"), {"import_job": done_job.pk})

    content = html.content.decode()
    assert "These filters were ignored" in content
    assert "Import: not one of your imports, or deleted since." in content
    assert "talente.xlsx" not in content


def test_choosing_an_empty_sheet_says_so_and_keeps_the_mapping(recruiter_client: Client) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook([person(1)])))
    book.create_sheet("Notizen")
    content = io.BytesIO()
    book.save(content)
    upload(recruiter_client, content.getvalue())
    job = latest_job()

    response = recruiter_client.post(
        job_urls(job)["mapping"], {"action": "sheet", "sheet-sheet": "Notizen"}
    )

    assert response.status_code == 422
    assert "The file is empty." in response.content.decode()
    job.refresh_from_db()
    assert (job.sheet, job.state) == ("Talente", ImportJob.State.MAPPING)


def test_the_history_is_paged(recruiter_client: Client, rita: User) -> None:
    ImportJob.objects.bulk_create(
        ImportJob(uploaded_by=rita, original_name=f"liste-{n}.csv", size=1, sha256="x")
        for n in range(51)
    )

    first = recruiter_client.get(UPLOAD_URL).content.decode()
    second = recruiter_client.get(UPLOAD_URL, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert first.count('">liste-') == 50  # the links to them
    assert second.count('">liste-') == 1
