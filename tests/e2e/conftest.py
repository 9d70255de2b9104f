"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    expect,
    sync_playwright,
)

from silverpool.accounts.models import User

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# to arrange data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-Passw0rd!"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def make_user(username: str, role: User.Role, **fields: Any) -> User:
    return User.objects.create_user(
        username, f"{username}@example.com", PASSWORD, role=role, **fields
    )


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/talents/**")


@pytest.fixture(scope="session", autouse=True)
def _patient_expect() -> None:
    """expect() waits as long as the page's actions do (its own default is 5 s), so that a
    busy CI machine slows the tests down instead of failing them."""
    expect.set_options(timeout=10_000)


@pytest.fixture(autouse=True)
def console_errors(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Errors the pages logged to the console (CSP violations among them) or threw.

    Collected from `page` and `phone_page` when a test uses them; any error fails the test.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium asks for /favicon.ico by itself; we serve none, and it is not a page error.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location['url']})")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught {error.name}: {error.message}")

    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            watched: Page = request.getfixturevalue(name)
            watched.on("console", on_console)
            watched.on("pageerror", on_page_error)
    yield errors
    assert errors == [], "\n".join(errors)
