"""Consent by email, end to end: a recruiter asks, the email goes through a real SMTP
server, the candidate answers on the consent page and later uses their privacy page; the
recruiter sees each step on the profile. The candidate browses in a context of their own
(`phone_page`: a phone, not logged in), as someone opening the link from their mail app."""

import json
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.privacy.services import request_consent
from silverpool.talents.models import Talent
from tests.mailserver import MailServer
from tests.talents.factories import make_talent

from .conftest import log_in, make_user

EMAIL = "lena.vogel@example.com"
PRIVACY_LINE = "See, download or delete your data, or withdraw consent: "
WITHDRAW = re.compile(r"^Withdraw\b")


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings: Any, live_server: Any) -> None:
    """Links in emails point at the server the browser talks to."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def rita() -> User:
    return make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")


@pytest.fixture
def lena() -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email=EMAIL, country="GB")


@pytest.fixture
def missing_pages(console_errors: list[str]) -> Iterator[list[str]]:
    """Addresses the test expects to answer 404: the browser logs each such answer as an
    error, which is what the test wants here, not a fault of the page."""
    urls: list[str] = []
    yield urls
    console_errors[:] = [
        error
        for error in console_errors
        if not any(error.endswith(f"status of 404 (Not Found) ({url})") for url in urls)
    ]


def open_missing(page: Page, url: str, missing_pages: list[str]) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 404
    missing_pages.append(response.url)


def the_email(smtp_server: MailServer) -> EmailMessage:
    [message] = smtp_server.to(EMAIL)
    return message


def consent_link(message: EmailMessage) -> str:
    match = re.search(r"http://\S+/privacy/consent/\S+", message.get_content())
    assert match, f"no consent link in:\n{message.get_content()}"
    return match.group()


def privacy_link(message: EmailMessage) -> str:
    """The link in the email's last line, the one every email to a talent ends with."""
    content: str = message.get_content()
    last_line = content.rstrip().splitlines()[-1]
    assert last_line.startswith(PRIVACY_LINE), last_line
    return last_line.removeprefix(PRIVACY_LINE)


def test_candidate_consents_by_email_and_later_withdraws_on_the_privacy_page(
    page: Page, phone_page: Page, smtp_server: MailServer, rita: User, lena: Talent
) -> None:
    candidate = phone_page
    log_in(page, "rita")
    page.goto(f"/talents/{lena.pk}/")
    panel = page.locator("#privacy")
    expect(panel.locator(".legal-basis")).to_contain_text("Awaiting consent")
    expect(panel).to_contain_text("Not asked yet")

    # given the recruiter asks for consent on the profile
    panel.get_by_role("button", name="Ask for consent").click()

    # then the panel says so, and the email arrives at the mail server
    expect(
        page.get_by_role("status").filter(has_text=f"Consent request sent to {EMAIL}.")
    ).to_be_visible()
    expect(panel.get_by_role("button", name="Ask for consent")).to_be_disabled()
    expect(panel).to_contain_text("Lena Vogel was asked less than a day ago.")
    expect(page.locator("#timeline")).to_contain_text("Consent requested")
    message = the_email(smtp_server)
    assert message["Subject"] == "May we keep your profile in our talent pool?"
    assert message.get_content().startswith("Hello Lena,")

    # when the candidate opens the link in the email and consents to the talent pool only
    candidate.goto(consent_link(message))
    expect(candidate.get_by_role("heading", level=1)).to_have_text(
        "May we keep your profile in our talent pool?"
    )
    talent_pool = candidate.get_by_role("checkbox", name="Talent pool")
    campaigns = candidate.get_by_role("checkbox", name="Job news by email")
    expect(talent_pool).not_to_be_checked()
    expect(campaigns).not_to_be_checked()
    talent_pool.check()
    candidate.get_by_role("button", name="Save my choice").click()

    # then the candidate sees the choice saved
    expect(candidate.get_by_role("status")).to_have_text("Thank you. Your choice is saved.")
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your choice")
    summary = candidate.locator(".consent-summary")
    expect(summary.get_by_role("listitem").filter(has_text="Talent pool")).to_contain_text("agreed")
    expect(summary.get_by_role("listitem").filter(has_text="Job news by email")).to_contain_text(
        "not agreed"
    )

    # and the recruiter's profile shows the consent with its proof
    page.reload()
    expect(panel.locator(".legal-basis")).to_contain_text("Consent valid")
    expect(panel.locator(".legal-basis")).to_contain_text("Talent pool")
    given = panel.locator("table.proof tbody tr").filter(has_text="Given")
    expect(given).to_have_count(1)
    expect(given).to_contain_text("Talent pool")
    expect(given).to_contain_text("version 1, English")
    expect(given).to_contain_text("Consent page (link in an email)")
    expect(given).to_contain_text("IP 127.0.0.1")
    expect(given).to_contain_text("asked by Rita Recruiter")
    declined = panel.locator("table.proof tbody tr").filter(has_text="Declined")
    expect(declined).to_contain_text("Job news by email")

    # when the candidate opens the privacy page from the same email and withdraws
    candidate.goto(privacy_link(message))
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your data with us")
    expect(candidate.get_by_text("We keep your profile until")).to_contain_text(
        "and will ask you before then whether you would like to stay."
    )
    pool_line = candidate.locator("#purpose-talent_pool")
    expect(pool_line).to_contain_text("Given")
    pool_line.get_by_role("button", name=WITHDRAW).click()

    # then it takes effect with that one click
    expect(candidate.get_by_role("status")).to_have_text(
        "Your consent to “Talent pool” is withdrawn."
    )
    expect(pool_line).to_contain_text("Not given")
    expect(pool_line.get_by_role("button", name=WITHDRAW)).to_have_count(0)

    # and the recruiter's profile shows the withdrawal at once, due for deletion
    page.reload()
    expect(panel.locator(".legal-basis")).to_contain_text("Consent withdrawn")
    expect(panel.locator(".legal-basis")).to_contain_text("Deleted or anonymised on")
    withdrawn = panel.locator("table.proof tbody tr").first
    expect(withdrawn).to_contain_text("Withdrawn")
    expect(withdrawn).to_contain_text("Talent pool")
    expect(withdrawn).to_contain_text("Privacy page (link in an email)")
    expect(withdrawn).to_contain_text("IP 127.0.0.1")
    expect(panel.get_by_role("button", name="Ask for consent")).to_be_disabled()


def test_candidate_downloads_a_copy_and_deletes_their_data(
    page: Page,
    phone_page: Page,
    smtp_server: MailServer,
    rita: User,
    lena: Talent,
    tmp_path: Path,
    missing_pages: list[str],
) -> None:
    candidate = phone_page
    request_consent(lena, actor=rita)
    candidate.goto(privacy_link(the_email(smtp_server)))
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your data with us")

    # the data as a file
    with candidate.expect_download() as download:
        candidate.get_by_role("link", name="Download my data (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    profile = {entry["field"]: entry["value"] for entry in data["profile"]}
    assert profile["email"] == EMAIL
    assert profile["last_name"] == "Vogel"

    # the readable copy
    candidate.get_by_role("link", name="Readable copy").click()
    expect(candidate.locator("main")).to_contain_text(EMAIL)
    expect(candidate.locator("main")).to_contain_text("Vogel")
    candidate.go_back()

    # deleting: asked once, then gone at once
    candidate.get_by_role("link", name="Delete my data").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Delete my data?")
    candidate.get_by_role("button", name="Yes, delete my data").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your data has been deleted")
    open_missing(candidate, privacy_link(the_email(smtp_server)), missing_pages)
    expect(candidate.get_by_role("heading", level=1)).to_have_text("This link does not work")

    # and the recruiter finds nothing left
    log_in(page, "rita")
    expect(page.locator("#total")).to_have_text("0 talents")
    open_missing(page, f"/talents/{lena.pk}/", missing_pages)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_a_tampered_consent_link_shows_a_clear_page_and_changes_nothing(
    page: Page,
    phone_page: Page,
    smtp_server: MailServer,
    rita: User,
    lena: Talent,
    missing_pages: list[str],
) -> None:
    candidate = phone_page
    request_consent(lena, actor=rita)
    link = consent_link(the_email(smtp_server))
    # One character of the signature changed, as a mail program might mangle it.
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]

    open_missing(candidate, tampered, missing_pages)

    expect(candidate.get_by_role("heading", level=1)).to_have_text("This link does not work")
    expect(candidate.locator("main")).to_contain_text("Nothing was changed.")
    expect(candidate.get_by_role("checkbox")).to_have_count(0)

    # A German browser gets the page in German.
    candidate.set_extra_http_headers({"Accept-Language": "de-DE,de;q=0.9"})
    open_missing(candidate, tampered, missing_pages)
    expect(candidate.locator("html")).to_have_attribute("lang", "de")
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Dieser Link funktioniert nicht")

    # The genuine link still asks (in the language of the email), and the profile still
    # awaits the answer.
    candidate.goto(link)
    expect(candidate.get_by_role("button", name="Save my choice")).to_be_visible()
    log_in(page, "rita")
    page.goto(f"/talents/{lena.pk}/")
    expect(page.locator("#privacy .legal-basis")).to_contain_text("Awaiting consent")
    expect(page.locator("#privacy")).to_contain_text("No consent decisions recorded yet.")
