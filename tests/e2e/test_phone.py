"""The talent list and a profile on a phone-width screen (390 px)."""

import re

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Pool, Tag
from tests.talents.factories import make_talent

from .conftest import log_in, make_user

OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def _long_talent(owner: User) -> int:
    """A talent with the long values that push a narrow layout sideways."""
    pools = [Pool.objects.create(name=f"Backend engineering Berlin {n}") for n in range(3)]
    tags = [Tag.objects.create(name=f"Kubernetes-certified {n}") for n in range(4)]
    talent = make_talent(
        first_name="Maximiliane-Friederike",
        last_name="Schwarzenberg-Hohenlohe",
        email="maximiliane.schwarzenberg-hohenlohe@verylongcompanyname-example.com",
        job_title="Senior principal platform reliability engineering lead",
        linkedin_url="https://www.linkedin.com/in/maximiliane-friederike-schwarzenberg-hohenlohe",
        skills="Python, Django, PostgreSQL, Kubernetes, Terraform, observability-engineering",
        city="Frankfurt am Main",
        owner=owner,
        pools=pools,
        tags=tags,
    )
    services.add_note(talent, "Anrufen " + "sehr-langes-wort-ohne-leerzeichen" * 4, author=owner)
    return talent.pk


def test_talent_list_and_profile_fit_a_phone_screen(phone_page: Page) -> None:
    rita = make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")
    pk = _long_talent(rita)
    make_talent(first_name="Jonas", last_name="Becker", job_title="Data engineer")
    log_in(phone_page, "rita")

    expect(phone_page.locator("#results").get_by_role("link", name="Jonas Becker")).to_be_visible()
    assert phone_page.evaluate(OVERFLOW) <= 0

    phone_page.get_by_role("link", name="Maximiliane-Friederike Schwarzenberg-Hohenlohe").click()
    expect(phone_page).to_have_url(re.compile(rf"/talents/{pk}/$"))
    expect(phone_page.locator("#notes .note")).to_be_visible()
    assert phone_page.evaluate(OVERFLOW) <= 0


def test_menu_opens_and_closes_on_a_phone_screen(phone_page: Page) -> None:
    make_user("rita", User.Role.RECRUITER)
    log_in(phone_page, "rita")
    pools = phone_page.get_by_role("navigation", name="Main").get_by_role("link", name="Pools")
    expect(pools).to_be_hidden()

    phone_page.locator("label[for=nav-toggle]").click()
    expect(pools).to_be_visible()
    pools.click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Pools")
    expect(pools).to_be_hidden()
    phone_page.locator("label[for=nav-toggle]").click()
    expect(pools).to_be_visible()
    phone_page.locator("label[for=nav-toggle]").click()
    expect(pools).to_be_hidden()
