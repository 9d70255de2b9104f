"""A viewer (a hiring manager) reads talents but can change nothing."""

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Note, Pool
from tests.talents.factories import make_talent

from .conftest import log_in, make_user


def test_viewer_sees_the_list_and_a_profile_without_any_edit_control(page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER)
    make_user("victor", User.Role.VIEWER)
    pool = Pool.objects.create(name="Backend Berlin")
    talent = make_talent(first_name="Brigitte", last_name="Sommerfeld", city="Berlin", pools=[pool])
    services.add_note(talent, "Strong in Django.", author=rita)
    log_in(page, "victor")

    results = page.locator("#results")
    expect(results.get_by_role("link", name="Brigitte Sommerfeld")).to_be_visible()
    expect(page.get_by_role("link", name="New talent")).to_have_count(0)
    expect(page.locator("main").get_by_role("checkbox")).to_have_count(0)
    expect(page.locator("#bulk-form")).to_have_count(0)

    results.get_by_role("link", name="Brigitte Sommerfeld").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Brigitte Sommerfeld")
    expect(page.locator("#field-city .value")).to_have_text("Berlin")
    expect(page.locator("#notes .note")).to_have_text("Strong in Django.")
    expect(page.locator("#meta")).to_contain_text("Backend Berlin")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("textbox")).to_have_count(0)
    expect(main.get_by_role("combobox")).to_have_count(0)
    expect(main.locator("form")).to_have_count(0)


def test_viewer_gets_403_when_posting_a_change_directly(page: Page) -> None:
    make_user("victor", User.Role.VIEWER)
    talent = make_talent(first_name="Brigitte", last_name="Sommerfeld", city="Berlin")
    log_in(page, "victor")
    page.goto(f"/talents/{talent.pk}/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": page.url}

    note = page.request.post(
        f"/talents/{talent.pk}/notes/", form={"text": "Sneaky note"}, headers=headers
    )
    field = page.request.post(
        f"/talents/{talent.pk}/field/city/", form={"city": "Köln"}, headers=headers
    )

    assert (note.status, field.status) == (403, 403)
    talent.refresh_from_db()
    assert talent.city == "Berlin"
    assert not Note.objects.filter(talent=talent).exists()
