"""A recruiter exports the talents of a filtered list as a spreadsheet, in the browser."""

import csv
import io
import re

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from tests.talents.factories import make_talent

from .conftest import log_in, make_user


def test_recruiter_exports_the_filtered_list_as_csv(page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER)
    make_talent(rita, first_name="Hanna", last_name="Vogel", city="Leipzig", email="h@example.org")
    make_talent(rita, first_name="Jonas", last_name="Krüger", city="Bremen", email="j@example.org")
    log_in(page, "rita")

    page.goto("/talents/?city=Leipzig")
    page.get_by_role("link", name="Export these talents").click()
    expect(page.get_by_text("1 talent matches the list's current filters.")).to_be_visible()
    filters = page.get_by_role("list", name="The list's current filters")
    expect(filters.get_by_role("listitem")).to_have_text(["City: Leipzig"])
    page.get_by_label("CSV, separated by commas").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()

    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Hanna" in cell for cell in rows[1])
    assert all("Jonas" not in cell for row in rows for cell in row)


def test_recruiter_exports_the_rows_ticked_on_the_list(page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER)
    for first, last in (("Hanna", "Vogel"), ("Jonas", "Krüger"), ("Lena", "Özdemir")):
        make_talent(rita, first_name=first, last_name=last, city="Leipzig")
    log_in(page, "rita")

    page.goto("/talents/?city=Leipzig")
    page.get_by_label("Select Hanna Vogel").check()
    page.get_by_label("Select Lena Özdemir").check()
    page.get_by_role("button", name="Export selected").click()
    expect(page.get_by_text("2 talents selected on the list.")).to_be_visible()
    page.get_by_label("CSV, separated by semicolons (Excel in German)").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()

    text = download_info.value.path().read_text(encoding="utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert header[0] == "Name"
    assert sorted(row[0] for row in rows) == ["Hanna Vogel", "Lena Özdemir"]
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(r"/talents/\?city=Leipzig$"))
