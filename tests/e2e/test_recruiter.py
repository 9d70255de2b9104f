"""A recruiter's day in the browser: log in, add a talent, find it, work on its profile."""

import re

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.talents.models import Pool, Tag, Talent
from tests.talents.factories import make_talent

from .conftest import PASSWORD, log_in, make_user


def test_recruiter_logs_in_through_the_form(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")
    page.goto("/talents/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/talents/$"))

    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/talents/$"))
    expect(page.get_by_role("heading", name="Talents", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Rita Recruiter")).to_be_visible()


def test_recruiter_creates_a_talent_with_pool_tag_and_owner(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER)
    olga = make_user("olga", User.Role.RECRUITER, first_name="Olga", last_name="Owner")
    Pool.objects.create(name="Backend Berlin")
    Tag.objects.create(name="Django")
    log_in(page, "rita")

    page.get_by_role("link", name="New talent").click()
    page.get_by_label("First name").fill("Brigitte")
    page.get_by_label("Last name").fill("Sommerfeld")
    page.get_by_label("Email").fill("brigitte.sommerfeld@example.com")
    page.get_by_label("Phone").fill("030 1234567")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Backend Berlin").check()
    page.get_by_label("Django", exact=True).check()
    page.get_by_label("Owner").select_option(label="Olga Owner")
    page.get_by_role("button", name="Create talent").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Brigitte Sommerfeld")
    expect(page.get_by_role("status").filter(has_text="was added")).to_be_visible()
    meta = page.locator("#meta")
    expect(meta.locator(".chip.pool")).to_contain_text("Backend Berlin")
    expect(meta.locator(".chip").filter(has_text="Django")).to_be_visible()
    expect(page.get_by_label("Owner", exact=True)).to_have_value(str(olga.pk))
    expect(page.locator("#field-phone")).to_contain_text("+49 30 1234567")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("added to pool Backend Berlin")
    expect(timeline).to_contain_text("added tag Django")
    expect(timeline).to_contain_text("made Olga Owner the owner")


def test_recruiter_finds_a_talent_by_typing_in_the_search_box(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER)
    make_talent(first_name="Brigitte", last_name="Sommerfeld", job_title="Backend developer")
    make_talent(first_name="Jonas", last_name="Becker", job_title="Data engineer")
    log_in(page, "rita")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Jonas Becker")).to_be_visible()

    page.get_by_role("searchbox", name="Search").fill("Sommerfeld")

    expect(page).to_have_url(re.compile(r"[?&]q=Sommerfeld"))
    expect(results.get_by_role("link", name="Brigitte Sommerfeld")).to_be_visible()
    expect(results.get_by_role("link", name="Jonas Becker")).to_have_count(0)
    expect(page.locator("#total")).to_have_text("1 talent")


def test_recruiter_filters_the_list_by_pool_and_by_tag(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER)
    backend = Pool.objects.create(name="Backend Berlin")
    django = Tag.objects.create(name="Django")
    make_talent(first_name="Brigitte", last_name="Sommerfeld", pools=[backend])
    make_talent(first_name="Jonas", last_name="Becker", tags=[django])
    make_talent(first_name="Mia", last_name="Wagner")
    log_in(page, "rita")
    results = page.locator("#results")
    expect(page.locator("#total")).to_have_text("3 talents")

    filters = page.get_by_role("search")
    filters.get_by_text("Filters and sort").click()
    filters.get_by_label("Pool").select_option(label="Backend Berlin")

    expect(page).to_have_url(re.compile(rf"[?&]pool={backend.pk}"))
    expect(page.locator("#total")).to_have_text("1 talent")
    expect(results.get_by_role("link", name="Brigitte Sommerfeld")).to_be_visible()

    filters.get_by_label("Pool").select_option(label="Any pool")
    filters.get_by_label("Tag").select_option(label="Django")

    expect(page).to_have_url(re.compile(rf"[?&]tag={django.pk}"))
    expect(page.locator("#total")).to_have_text("1 talent")
    expect(results.get_by_role("link", name="Jonas Becker")).to_be_visible()


def test_recruiter_edits_a_field_in_place_and_adds_a_note(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")
    talent = make_talent(first_name="Brigitte", last_name="Sommerfeld", city="Berlin")
    log_in(page, "rita")
    page.get_by_role("link", name="Brigitte Sommerfeld").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brigitte Sommerfeld")
    city = page.locator("#field-city")
    timeline = page.locator("#timeline")

    # given the city edited in place
    city.get_by_role("link", name="Edit City").click()
    city.get_by_label("City").fill("Köln")
    city.get_by_role("button", name="Save").click()

    # then the new value shows without a page load, and the timeline has the change
    expect(city.locator(".value")).to_have_text("Köln")
    expect(page).to_have_url(re.compile(rf"/talents/{talent.pk}/$"))
    expect(timeline).to_contain_text("Rita Recruiter changed city from Berlin to Köln")

    # when a note is added
    page.get_by_label("New note").fill("Called her: open to offers from June.")
    page.get_by_role("button", name="Add note").click()

    # then the note is on the page and both changes are on the timeline, newest first
    expect(page.locator("#notes .note")).to_have_text("Called her: open to offers from June.")
    expect(page.get_by_label("New note")).to_have_value("")
    entries = timeline.locator("li .event-text")
    expect(entries.nth(0)).to_contain_text(
        "Rita Recruiter added a note: Called her: open to offers from June."
    )
    expect(entries.nth(1)).to_contain_text("changed city from Berlin to Köln")
    page.reload()
    expect(city.locator(".value")).to_have_text("Köln")
    assert Talent.objects.get(pk=talent.pk).city == "Köln"


def test_recruiter_adds_selected_talents_to_a_pool_and_removes_some_again(page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER)
    pool = Pool.objects.create(name="Frontend Hamburg")
    for first_name in ("Agnes", "Bruno", "Carla"):
        make_talent(rita, first_name=first_name, last_name="Lindqvist")
    log_in(page, "rita")

    page.goto("/talents/?q=lindqvist")
    page.get_by_label("Select all on this page").check()
    expect(page.locator("#selection-count")).to_have_text("3")
    bar = page.locator("#bulk-bar")
    bar.get_by_label("Pool").select_option(label="Frontend Hamburg")
    bar.get_by_role("button", name="Add to pool").click()

    expect(page.get_by_role("status")).to_have_text("3 talents added to pool Frontend Hamburg")
    expect(
        page.locator(".talent-table tbody tr").filter(has_text="Frontend Hamburg")
    ).to_have_count(3)

    page.get_by_label("Select Agnes Lindqvist").check()
    page.get_by_label("Select Bruno Lindqvist").check()
    expect(page.locator("#selection-count")).to_have_text("2")
    bar.get_by_label("Pool").select_option(label="Frontend Hamburg")
    bar.get_by_role("button", name="Remove from pool").click()

    expect(page.get_by_role("status")).to_have_text("2 talents removed from pool Frontend Hamburg")
    expect(
        page.locator(".talent-table tbody tr").filter(has_text="Frontend Hamburg")
    ).to_have_count(1)
    assert [t.first_name for t in pool.talents.all()] == ["Carla"]
    page.get_by_role("link", name="Agnes Lindqvist").click()
    expect(page.locator("#timeline")).to_contain_text("removed from pool Frontend Hamburg")
