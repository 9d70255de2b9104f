"""The talent list export: columns, filters, visibility, formulas, formats, audit."""

import csv
import datetime
import io
import re
from typing import Any

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl.worksheet.worksheet import Worksheet

from silverpool.accounts.models import User
from silverpool.privacy.models import AuditEntry
from silverpool.talents import services
from silverpool.talents.models import CustomField

from ..talents.factories import make_talent

EXPORT_URL = reverse("imports:talent-export")


def download(client: Client, query: str = "", **data: Any) -> Any:
    response = client.post(f"{EXPORT_URL}?{query}", {"format": "csv", **data})
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response: StreamingHttpResponse) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert text.startswith("\ufeff")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def xlsx_rows(response: FileResponse) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)  # type: ignore[arg-type]
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_export_page_offers_default_columns_and_custom_fields(
    recruiter_client: Client, rita: User
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    make_talent(rita, city="Berlin")

    html = recruiter_client.get(f"{EXPORT_URL}?city=Berlin").content.decode()

    assert re.search(r'value="email"[^>]*checked', html)
    assert not re.search(r'value="postcode"[^>]*checked', html)
    assert "Notice period" in html
    assert f'action="{EXPORT_URL}?city=Berlin"' in html


def summary(html: str) -> list[str]:
    """The filters the export page names, one line each."""
    found = re.search(r'<ul class="filter-summary"[^>]*>(.*?)</ul>', html, re.S)
    if found is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_export_page_names_the_filters_it_exports_by(recruiter_client: Client, rita: User) -> None:
    pool = services.save_pool(None, name="Java backend", actor=rita)
    make_talent(rita, city="Berlin")
    query = (
        f"q=java&city=Berlin&pool={pool.pk}&source_kind=import&created_min=2026-11-01"
        "&country=AT&sort=name&tag=999999"
    )

    html = recruiter_client.get(f"{EXPORT_URL}?{query}").content.decode()

    # The sort changes no talent, and the unknown tag is ignored, as the list ignores it.
    assert summary(html) == [
        "Search: java",
        "Pool: Java backend",
        "Source: Import",
        "Created on or after: 1 Nov 2026",
        "City: Berlin",
        "Country: Austria",
    ]
    assert "The list has no filters" not in html


def test_export_page_without_filters_says_it_exports_every_visible_talent(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita)

    html = recruiter_client.get(EXPORT_URL).content.decode()

    assert summary(html) == []
    assert "The list has no filters: that is every talent you may see." in html


def test_export_page_names_the_filters_in_the_users_language(
    recruiter_client: Client, rita: User
) -> None:
    rita.language = "de"
    rita.save()

    html = recruiter_client.get(f"{EXPORT_URL}?created_min=2026-11-01&owner=none").content.decode()

    assert summary(html) == [
        "Betreuer:in: Nicht zugewiesen",
        "Erstellt am oder nach: 1. November 2026",
    ]


def test_list_page_links_to_the_export_with_its_filters(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, city="Berlin")

    html = recruiter_client.get(reverse("talents:talent-list"), {"city": "Berlin"}).content

    assert f'href="{EXPORT_URL}?city=Berlin"'.encode() in html


def test_csv_has_the_chosen_columns_in_offered_order(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Anna", last_name="Berg", email="anna@example.com")

    rows = csv_rows(download(recruiter_client, columns=["email", "name"]))

    assert rows == [["Name", "Email"], ["Anna Berg", "anna@example.com"]]


def test_export_applies_the_list_filters(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Anna", city="Berlin")
    make_talent(rita, first_name="Bernd", city="Hamburg")

    rows = csv_rows(download(recruiter_client, "city=Berlin", columns=["name", "city"]))

    assert [row[1] for row in rows[1:]] == ["Berlin"]


def test_invisible_talents_and_private_pool_names_are_left_out(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    mine = services.save_pool(None, name="Mine", is_private=True, members=[rita], actor=alice)
    secret = services.save_pool(None, name="Board search", is_private=True, actor=alice)
    shared = make_talent(alice, first_name="Shared")
    services.add_to_pool(shared, mine, actor=alice)
    services.add_to_pool(shared, secret, actor=alice)
    hidden = make_talent(alice, first_name="Hidden")
    services.add_to_pool(hidden, secret, actor=alice)

    response = download(recruiter_client, columns=["name", "pools"])
    rows = csv_rows(response)

    assert [row[0] for row in rows[1:]] == [shared.full_name]
    assert rows[1][1] == "Mine"
    assert "Board search" not in str(rows)


def test_formulas_are_neutralised_in_csv_and_xlsx(recruiter_client: Client, rita: User) -> None:
    make_talent(
        rita,
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="",
        job_title="@SUM(A1)",
    )

    csv_cells = csv_rows(download(recruiter_client, columns=["name", "job_title"]))[1]
    xlsx = download(recruiter_client, columns=["name", "job_title"], format="xlsx")

    assert csv_cells == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"]
    # In the workbook text cells, marked as Excel marks text typed with a ' in front (which
    # it hides): shown as they are, never run, not even once edited.
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert isinstance(sheet, Worksheet)
    assert [(c.value, c.data_type, c.quotePrefix) for c in sheet[2]] == [
        ('=HYPERLINK("http://evil.example","x")', "s", True),
        ("@SUM(A1)", "s", True),
    ]


def test_xlsx_reads_well_header_in_view_columns_wide_enough(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Anna", last_name="Berg", phone="+4935155555")

    xlsx = download(recruiter_client, columns=["name", "email", "phone", "created"], format="xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert isinstance(sheet, Worksheet)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [24, 30, 18, 19]
    # The phone number as the talent's page shows it; the import reads it as it is.
    assert sheet["C2"].value == "+49 351 55555"


def test_xlsx_is_readable_with_real_dates(recruiter_client: Client, rita: User) -> None:
    CustomField.objects.create(key="start", label_en="Start", label_de="Beginn", kind="date")
    make_talent(
        rita,
        first_name="Anna",
        last_name="Berg",
        available_from=datetime.date(2027, 3, 1),
        custom_values={"start": "2027-04-01"},
    )

    response = download(
        recruiter_client,
        columns=["name", "available_from", "created", "custom:start"],
        format="xlsx",
    )
    rows = xlsx_rows(response)

    assert response["Content-Disposition"].startswith('attachment; filename="talents-')
    assert rows[0] == ("Name", "Available from", "Created", "Start")
    assert rows[1][0] == "Anna Berg"
    # openpyxl reads every date cell back as a datetime: a string would stay a string.
    assert rows[1][1].date() == datetime.date(2027, 3, 1)
    assert isinstance(rows[1][2], datetime.datetime)
    assert rows[1][3].date() == datetime.date(2027, 4, 1)


def test_csv_with_semicolons_is_parseable(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Jörg", last_name="Weiß", skills=["Python", "Go"])

    response = download(
        recruiter_client, columns=["name", "skills", "available_from"], format="csv_semicolon"
    )
    rows = csv_rows(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[1] == ["Jörg Weiß", "Python, Go", ""]


@pytest.mark.parametrize(("fmt", "amount"), [("csv", "65000.50"), ("csv_semicolon", "65000,50")])
def test_csv_numbers_have_the_decimal_mark_of_their_excel(
    recruiter_client: Client, rita: User, fmt: str, amount: str
) -> None:
    make_talent(rita, salary_amount="65000.50")

    columns = ["salary_amount", "salary_currency"]
    rows = csv_rows(download(recruiter_client, columns=columns, format=fmt))

    assert rows[1] == [amount, "EUR"]


def test_one_audit_entry_per_export_without_personal_data(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Anna", city="Berlin")
    make_talent(rita, first_name="Anja", city="Berlin")

    download(recruiter_client, "q=an&city=Berlin", columns=["name", "email"])

    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert entry.actor == rita
    assert entry.talent_id is None
    assert entry.detail == {
        "what": "talent_list",
        "format": "csv",
        "columns": ["name", "email"],
        "count": 2,
        "filters": ["city", "q"],
    }
    assert "Berlin" not in str(entry.detail)


def test_export_adds_nothing_to_talent_timelines(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita)
    events_before = talent.events.count()

    download(recruiter_client, columns=["name"])

    assert talent.events.count() == events_before


def test_viewers_may_not_export(viewer_client: Client, rita: User) -> None:
    make_talent(rita)

    page = viewer_client.get(EXPORT_URL)
    file = viewer_client.post(EXPORT_URL, {"columns": ["name"], "format": "csv"})

    assert page.status_code == file.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).exists()


def test_no_column_chosen_shows_the_page_again(recruiter_client: Client) -> None:
    response = recruiter_client.post(EXPORT_URL, {"format": "csv"})

    assert response.status_code == 200
    assert b"Choose at least one column" in response.content
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_headers_and_file_name_follow_the_users_language(
    recruiter_client: Client, rita: User, fmt: str
) -> None:
    rita.language = "de"
    rita.save()
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    make_talent(rita)

    response = download(
        recruiter_client, columns=["name", "city", "available_from", "custom:notice"], format=fmt
    )
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)

    with translation.override("de"):
        assert list(rows[0]) == ["Name", "Ort", "Verfügbar ab", "Frist"]
    assert response["Content-Disposition"].startswith('attachment; filename="talente-')
