"""The interface switched to German on the user's profile page."""

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.talents.models import Talent
from tests.talents.factories import make_talent

from .conftest import log_in, make_user


def test_recruiter_switches_the_interface_to_german(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER)
    talent = make_talent(first_name="Lena", last_name="Vogel", country="DE")
    Talent.objects.filter(pk=talent.pk).update(created_at=datetime(2024, 3, 5, 10, 0, tzinfo=UTC))
    log_in(page, "rita")
    page.goto(f"/talents/{talent.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#field-country .value")).to_have_text("Germany")

    page.goto("/accounts/profile/")
    page.get_by_label("Interface language").select_option(label="Deutsch")
    page.get_by_role("button", name="Save").click()

    # After the switch the labels may be German, so the checks below go by ids and values.
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#id_language")).to_have_value("de")
    page.goto(f"/talents/{talent.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    # Our own catalogue, django-countries', Django's month names and the status names
    # from the database: all German now.
    expect(page.get_by_role("navigation").get_by_role("link", name="Talente")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.locator("#field-country .value")).to_have_text("Deutschland")
    expect(page.locator("#meta time[datetime^='2024-03-05']")).to_contain_text("März 2024")
    expect(page.locator("#status-select option:checked")).to_have_text("Neu")
