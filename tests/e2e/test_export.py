"""A recruiter exports the talents of a filtered list as a spreadsheet, in the browser."""

import csv
import io

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
    page.get_by_label("CSV, separated by commas").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()

    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Hanna" in cell for cell in rows[1])
    assert all("Jonas" not in cell for row in rows for cell in row)
