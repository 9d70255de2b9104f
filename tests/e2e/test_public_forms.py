"""Public forms in the browser: a form embedded in another site's page (allowed and
refused), the two-step flow, and a follow-up form updating a profile. The other site is a
small HTTP server on 127.0.0.1; Silverpool's live server runs on localhost, so the two are
different origins (and different sites) to the browser."""

import re
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, FilePayload, FrameLocator, Page, expect

from silverpool.accounts.models import User
from silverpool.talents.models import Pool, Talent
from silverpool.webforms.models import Form, Submission
from silverpool.webforms.services import follow_up_url
from tests.mailserver import MailServer
from tests.talents.factories import make_talent
from tests.talents.test_documents import minimal_pdf
from tests.webforms.factories import make_follow_up_form, make_talent_form

from .conftest import log_in, make_user

EMAIL = "lena.vogel@example.com"
CONSENT = re.compile(r"^I agree that my profile, my CV and my contact details")


class HostSite:
    """Another website (a careers page) on its own port, serving the pages it is given."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                body = pages.get(urlsplit(self.path).path)
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def embed(self, path: str, form: Form, silverpool: str) -> str:
        """Put a page with the embed snippet for `form` at `path`; returns its URL."""
        self.pages[path] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Careers at Example</title></head>
<body>
<h1>Careers at Example</h1>
<iframe src="{silverpool}/f/{form.public_id}/?embed=1" data-silverpool-form="{form.public_id}"
        title="Join our talent pool" style="width: 100%; height: 150px; border: 0"></iframe>
<script src="{silverpool}/static/silverpool/embed.js"></script>
</body></html>"""
        return self.origin + path


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    site = HostSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(autouse=True)
def _forms_on_the_live_server(settings: Any, live_server: Any) -> None:
    """Links in emails point at the live server; a form may be sent as soon as it is
    filled in (the browser is quicker than the minimum fill time)."""
    settings.SITE_URL = live_server.url
    settings.FORM_MIN_FILL_SECONDS = 0


@pytest.fixture
def rita() -> User:
    return make_user("rita", User.Role.RECRUITER, first_name="Rita", last_name="Recruiter")


def fill_in(form: Page | FrameLocator) -> None:
    form.get_by_label("First name").fill("Lena")
    form.get_by_label("Last name").fill("Vogel")
    form.get_by_role("textbox", name="Email").fill(EMAIL)
    form.get_by_role("checkbox", name=CONSENT).check()


def expect_iframe_fits(page: Page, *, taller_than: int = 0, shorter_than: int = 100_000) -> None:
    """Wait until embed.js has sized the iframe to a height in the range, then check that it
    is exactly the height of the page inside (the host page cannot look into the frame)."""
    page.wait_for_function(
        "([low, high]) => { const h = document.querySelector('iframe').offsetHeight;"
        " return h > low && h < high; }",
        arg=[taller_than, shorter_than],
    )
    [child] = page.main_frame.child_frames
    child.wait_for_load_state("load")
    inner = child.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    iframe = page.locator("iframe[data-silverpool-form]")
    expect(iframe).to_have_attribute("style", re.compile(rf"height: {inner}px"))


def email_with_subject(smtp_server: MailServer, subject: str) -> EmailMessage:
    [message] = [m for m in smtp_server.to(EMAIL) if m["Subject"] == subject]
    return message


def form_link(message: EmailMessage) -> str:
    match = re.search(r"http://\S+/f/\S+/u/\S+/", message.get_content())
    assert match, f"no form link in:\n{message.get_content()}"
    return match.group()


def test_a_form_embedded_in_an_allowed_site_brings_the_candidate_into_the_pool(
    page: Page, live_server: Any, host_site: HostSite, smtp_server: MailServer, rita: User
) -> None:
    # given a careers page on another site that embeds the form, opened from a campaign
    pool = Pool.objects.create(name="Backend Berlin")
    form = make_talent_form(
        "Careers site",
        pools=[pool],
        notify=[rita],
        allowed_origins=[host_site.origin],
        thank_you_en="Thank you, we will be in touch about platform roles.",
    )
    url = host_site.embed("/careers.html", form, live_server.url)
    page.goto(url + "?utm_source=careers")

    # then the form shows inside the iframe, which grows to the form's height
    frame = page.frame_locator("iframe[data-silverpool-form]")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Careers site")
    expect(frame.get_by_label("First name")).to_be_visible()
    expect_iframe_fits(page, taller_than=400)

    # when the candidate fills it in with a CV, consents and sends it
    fill_in(frame)
    frame.get_by_label("What kind of role are you looking for?").fill("Platform teams")
    cv: FilePayload = {
        "name": "Lena Vogel CV.pdf",
        "mimeType": "application/pdf",
        "buffer": minimal_pdf("Kubernetes and Terraform"),
    }
    frame.get_by_label("CV", exact=True).set_input_files(files=cv)
    frame.get_by_role("button", name="Send").click()

    # then the thank-you text shows in the iframe, on the careers page
    expect(frame.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(frame.get_by_role("status")).to_have_text(
        "Thank you, we will be in touch about platform roles."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Careers at Example")
    expect_iframe_fits(page, shorter_than=400)
    # and the campaign of the careers page came along with the submission
    assert Submission.objects.get().campaign == {"utm_source": "careers"}

    # when Rita looks at the pool
    log_in(page, "rita")
    page.goto(f"/talents/?pool={pool.pk}")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Lena Vogel")).to_be_visible()

    # then a word from the CV finds her
    page.goto("/talents/")
    page.get_by_role("searchbox", name="Search").fill("Kubernetes")
    expect(page).to_have_url(re.compile(r"[?&]q=Kubernetes"))
    expect(page.locator("#total")).to_have_text("1 talent")
    results.get_by_role("link", name="Lena Vogel").click()

    # and the profile shows the source, the pool, the consent and the CV
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Vogel")
    expect(page.locator("#meta .chip.pool")).to_contain_text("Backend Berlin")
    expect(page.locator("#meta")).to_contain_text("Form · Careers site")
    expect(page.locator("#privacy .legal-basis")).to_contain_text("Consent valid")
    expect(page.locator("#privacy .legal-basis")).to_contain_text("Talent pool")
    expect(page.locator("#documents")).to_contain_text("Lena_Vogel_CV.pdf")
    expect(page.locator("#timeline")).to_contain_text("Talent created the profile")
    assert [m["Subject"] for m in smtp_server.to("rita@example.com")] == [
        'Form "Careers site" sent in'
    ]


def test_an_embedded_form_fits_its_iframe_and_gets_the_campaign_when_the_script_loads_after_it(
    page: Page, live_server: Any, host_site: HostSite
) -> None:
    form = make_talent_form("Careers site", allowed_origins=[host_site.origin])
    # A slow embed.js: the form has loaded and told its height before anyone listened.
    host_site.pages["/late.html"] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Careers at Example</title></head>
<body>
<iframe src="{live_server.url}/f/{form.public_id}/?embed=1" data-silverpool-form="{form.public_id}"
        title="Join our talent pool" style="width: 100%; height: 150px; border: 0"></iframe>
<script>
document.querySelector("iframe").addEventListener("load", function () {{
  var script = document.createElement("script");
  script.src = "{live_server.url}/static/silverpool/embed.js";
  document.body.append(script);
}});
</script>
</body></html>"""

    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame.parent_frame else None)

    page.goto(host_site.origin + "/late.html?utm_campaign=spring&ref=newsletter")

    expect_iframe_fits(page, taller_than=400)
    # and the page's campaign reaches the form without loading it again (which would lose
    # what the candidate had typed by then)
    frame = page.frame_locator("iframe[data-silverpool-form]")
    expect(frame.locator('input[type="hidden"][name="utm_campaign"]')).to_have_value("spring")
    expect(frame.locator('input[type="hidden"][name="ref"]')).to_have_value("newsletter")
    assert len(loads) == 1


def test_an_embedding_page_cannot_set_the_forms_own_fields(
    page: Page, live_server: Any, host_site: HostSite
) -> None:
    form = make_talent_form("Careers site", allowed_origins=[host_site.origin])
    url = host_site.embed("/careers.html", form, live_server.url)
    page.goto(url + "?utm_source=careers")
    frame = page.frame_locator("iframe[data-silverpool-form]")
    expect(frame.locator('input[type="hidden"][name="utm_source"]')).to_have_value("careers")

    # when the page sends the form more than campaign parameters
    page.evaluate(
        """() => document.querySelector("iframe").contentWindow.postMessage(
            {silverpool: "campaign", campaign: {email: "someone@else.example", utm_term: "x"}},
            "*")"""
    )

    # then the form takes the campaign parameter only
    expect(frame.locator('input[type="hidden"][name="utm_term"]')).to_have_value("x")
    expect(frame.locator('input[type="hidden"][name="email"]')).to_have_count(0)


@pytest.mark.parametrize(
    "listed",
    [["http://127.0.0.1:1"], []],
    ids=["another-site-listed", "no-site-listed"],
)
def test_a_form_embedded_in_a_site_not_allowed_is_refused_by_the_browser(
    page: Page,
    live_server: Any,
    host_site: HostSite,
    console_errors: list[str],
    listed: list[str],
) -> None:
    form = make_talent_form("Careers site", allowed_origins=listed)
    url = host_site.embed("/careers.html", form, live_server.url)

    with page.expect_console_message(lambda message: "frame-ancestors" in message.text) as refusal:
        page.goto(url)

    refused: ConsoleMessage = refusal.value
    expect(page.get_by_role("heading", level=1)).to_have_text("Careers at Example")
    frame = page.frame_locator("iframe[data-silverpool-form]")
    expect(frame.get_by_label("First name")).to_have_count(0)
    [child] = page.main_frame.child_frames
    child.wait_for_url(re.compile(r"^chrome-error://"))
    if listed:
        assert "frame-ancestors http://127.0.0.1:1" in refused.text
    # The browser logs its refusal as an error: here that is the point of the test.
    console_errors[:] = [error for error in console_errors if refused.text not in error]


def test_a_form_with_a_redirect_takes_the_candidate_on_to_that_site(
    page: Page, host_site: HostSite
) -> None:
    host_site.pages["/welcome.html"] = (
        '<!doctype html><html lang="en"><title>Welcome</title><h1>Welcome aboard</h1></html>'
    )
    form = make_talent_form("Careers site", redirect_url=host_site.origin + "/welcome.html")

    page.goto(f"/f/{form.public_id}/")
    fill_in(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome aboard")
    assert Talent.objects.filter(email=EMAIL).exists()


def test_a_two_step_form_sends_the_second_form_which_opens_prefilled(
    page: Page, phone_page: Page, smtp_server: MailServer, rita: User
) -> None:
    candidate = phone_page
    second = make_follow_up_form(
        "Tell us more", keys=("first_name", "job_title", "salary_amount", "available_from")
    )
    form = make_talent_form("Quick sign-up", second_step=second)

    # given the candidate sends the short first step on its own page
    candidate.goto(f"/f/{form.public_id}/")
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Quick sign-up")
    fill_in(candidate)
    candidate.get_by_role("button", name="Send").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Thank you!")

    # when they open the link from the email that follows
    message = email_with_subject(smtp_server, "Tell us more – your personal link")
    assert message.get_content().startswith("Hello Lena,")
    candidate.goto(form_link(message))

    # then the second form knows them, and they complete it
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Tell us more")
    expect(candidate.get_by_label("First name")).to_have_value("Lena")
    expect(candidate.get_by_role("checkbox")).to_have_count(0)
    candidate.get_by_label("Current job title").fill("Site reliability engineer")
    candidate.get_by_label("Salary expectation").fill("72000")
    candidate.get_by_label("Available from").fill("2027-03-01")
    candidate.get_by_role("button", name="Update my details").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Thank you!")

    # and Rita sees the new values on the profile, confirmed by the talent
    talent = Talent.objects.get(email=EMAIL)
    log_in(page, "rita")
    page.goto(f"/talents/{talent.pk}/")
    expect(page.locator("#field-job_title")).to_contain_text("Site reliability engineer")
    expect(page.locator("#field-salary")).to_contain_text("72,000")
    expect(page.locator("#forms .data-confirmed")).to_contain_text("(via Tell us more)")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Talent set current job title to Site reliability engineer")


def test_a_follow_up_form_updates_the_profile_with_the_talent_on_the_timeline(
    page: Page, phone_page: Page, rita: User
) -> None:
    candidate = phone_page
    lena = make_talent(
        rita,
        first_name="Lena",
        last_name="Vogel",
        email=EMAIL,
        salary_amount="60000",
        available_from="2026-12-01",
    )
    form = make_follow_up_form("Still looking?", keys=("salary_amount", "available_from"))

    # given the talent opens their personal link
    candidate.goto(follow_up_url(form, lena))
    salary = candidate.get_by_label("Salary expectation")
    expect(salary).to_have_value("60000")
    expect(candidate.get_by_label("Available from")).to_have_value("2026-12-01")

    # when they change their salary expectation and availability and send
    salary.fill("75000")
    candidate.get_by_label("Available from").fill("2027-04-01")
    candidate.get_by_role("button", name="Update my details").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Thank you!")

    # then Rita sees both changes on the timeline, made by the talent
    log_in(page, "rita")
    page.goto(f"/talents/{lena.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Talent changed salary expectation from 60,000 to 75,000")
    expect(timeline).to_contain_text(re.compile(r"Talent changed available from from .+ to .+2027"))
    expect(page.locator("#field-salary")).to_contain_text("75,000")
    expect(page.locator("#forms .data-confirmed")).to_contain_text("(via Still looking?)")
