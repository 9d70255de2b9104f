"""A flagged duplicate merged on the compare page, then the merge undone from the timeline."""

import re

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Talent

from .conftest import log_in, make_user


def _intake(email: str, city: str) -> Talent:
    data = {
        "first_name": "Jonas",
        "last_name": "Becker",
        "phone": "+49 30 1234567",
        "email": email,
        "city": city,
    }
    return services.intake_talent(data, actor=None, source_kind=Talent.SourceKind.API).talent


def test_recruiter_merges_a_flagged_duplicate_and_undoes_the_merge(page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")
    primary = _intake("jonas.becker@example.com", "Berlin")
    secondary = _intake("j.becker@example.org", "Hamburg")
    services.add_note(secondary, "Prefers remote work.", author=rita)
    log_in(page, "rita")

    # given the duplicate banner on the first profile
    page.goto(f"/talents/{primary.pk}/")
    banner = page.locator("#duplicates")
    expect(banner).to_contain_text(
        "This may be the same person as Jonas Becker: same name and phone number."
    )

    # when the two are compared, the second one's city is kept, and they are merged
    banner.get_by_role("link", name="Compare and merge").click()
    expect(page.get_by_role("heading", name="Compare and merge")).to_be_visible()
    city = page.get_by_role("row", name=re.compile(r"^City"))
    city.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Merge", exact=True).click()

    # then one profile shows the chosen city and the other profile's note, and no banner
    expect(page).to_have_url(re.compile(rf"/talents/{primary.pk}/$"))
    flash = page.locator("#messages")
    expect(flash).to_contain_text("Jonas Becker was merged into this profile.")
    expect(page.locator("#field-city .value")).to_have_text("Hamburg")
    expect(page.locator("#notes .note")).to_have_text("Prefers remote work.")
    expect(banner).to_be_empty()
    timeline = page.locator("#timeline")
    expect(timeline.locator("li").first).to_contain_text("Rita Recruiter merged with Jonas Becker")
    page.goto("/talents/?q=Becker")
    expect(page.locator("#total")).to_have_text("1 talent")

    # when the merge is undone from the timeline
    page.goto(f"/talents/{primary.pk}/")
    timeline.get_by_role("button", name="Undo merge").click()

    # then both talents are back, each with what was theirs
    expect(flash).to_contain_text("Merge undone: Jonas Becker is a separate profile again.")
    expect(page.locator("#field-city .value")).to_have_text("Berlin")
    expect(page.locator("#notes")).not_to_contain_text("Prefers remote work.")
    expect(timeline.get_by_role("button", name="Undo merge")).to_have_count(0)
    expect(banner).to_contain_text("This may be the same person as Jonas Becker")
    page.get_by_role("link", name="All talents").click()
    page.get_by_role("searchbox", name="Search").fill("Becker")
    expect(page.locator("#total")).to_have_text("2 talents")
    rows = page.locator("#results").get_by_role("link", name="Jonas Becker")
    expect(rows).to_have_count(2)
    page.goto(f"/talents/{secondary.pk}/")
    expect(page.locator("#field-city .value")).to_have_text("Hamburg")
    expect(page.locator("#notes .note")).to_have_text("Prefers remote work.")
