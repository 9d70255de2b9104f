"""The public form page as candidates use it: language, what a sent form stores and sends,
duplicates, every bad input and the abuse guards, the framing headers, follow-up links
and the two-step flow."""

import datetime
import errno
import re
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.models import ConsentRecord, LegalBasis, Purpose, Suppression
from silverpool.privacy.services import erase_talent, is_suppressed, may_email, suppress
from silverpool.talents.models import CustomField, Document, Event, Pool, Status, Talent
from silverpool.webforms import services
from silverpool.webforms.models import Form, FormField, FormHit, Submission
from silverpool.webforms.services import follow_up_url
from tests.mailserver import MailServer

from ..conftest import logged_in
from ..talents.factories import make_pool, make_tag, make_talent
from ..talents.test_detail_page import detail, text_of
from ..talents.test_documents import docx_bytes, found_by, minimal_pdf
from .factories import QUESTION, QUESTION_LABEL, make_follow_up_form, make_talent_form

Callbacks = Callable[..., AbstractContextManager[Any]]

EMAIL = "lena.vogel@example.com"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
SUMMARY = "Please correct the marked fields:"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings: Any) -> None:
    """A test client fills a form at once; the fill time is tested on its own."""
    settings.FORM_MIN_FILL_SECONDS = 0


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag != "input" or not name:
            return
        self.values[name] = attributes.get("value") or ""
        if attributes.get("type") == "hidden":
            self.hidden[name] = attributes.get("value") or ""


def inputs(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def form_url(form: Form) -> str:
    return reverse("webforms:form", args=[form.public_id])


def open_form(client: Client, form: Form, query: str = "", **extra: Any) -> dict[str, str]:
    """Load the form page as a browser would; returns its hidden inputs (token, language,
    campaign parameters), which the browser sends back."""
    response = client.get(form_url(form) + query, **extra)
    assert response.status_code == 200
    return inputs(response.content.decode()).hidden


def filled(**values: Any) -> dict[str, Any]:
    """What a candidate types: a complete talent form with the talent-pool box ticked."""
    return {
        "first_name": "Lena",
        "last_name": "Vogel",
        "email": EMAIL,
        f"q_{QUESTION}": "Backend roles in Berlin",
        f"consent_{Purpose.TALENT_POOL}": "on",
        **values,
    }


def send(client: Client, form: Form, data: dict[str, Any], origin: str = "", **extra: Any) -> Any:
    headers = {"User-Agent": BROWSER} | ({"Origin": origin} if origin else {})
    return client.post(form_url(form), data, headers=headers, **extra)


def fill_and_send(
    client: Client, form: Form, query: str = "", *, address: str = "127.0.0.1", **values: Any
) -> Any:
    """Open the form and send it from `address` with `values` over the defaults."""
    hidden = open_form(client, form, query, REMOTE_ADDR=address)
    return send(client, form, {**hidden, **filled(**values)}, REMOTE_ADDR=address)


def nothing_stored() -> bool:
    return not (
        Talent.objects.exists()
        or Submission.objects.exists()
        or Document.objects.exists()
        or ConsentRecord.objects.exists()
        or OutboundEmail.objects.exists()
    )


def cv(name: str = "cv.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf("Kubernetes expert") if data is None else data)


# Language


def test_the_page_is_in_the_language_the_browser_asks_for(client: Client) -> None:
    form = make_talent_form(languages=["en", "de"])

    german = client.get(form_url(form), headers={"Accept-Language": "de-DE,de;q=0.9"})
    english = client.get(form_url(form), headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert '<html lang="de">' in german.content.decode()
    assert "Vorname" in german.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "First name" in english.content.decode()


def test_a_form_in_one_language_is_shown_in_it_whatever_the_browser_asks(
    client: Client,
) -> None:
    form = make_talent_form(languages=["de"])

    response = client.get(form_url(form), headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert '<html lang="de">' in response.content.decode()
    assert "Vorname" in response.content.decode()
    assert response["Content-Language"] == "de"


def test_the_language_links_switch_the_page_and_keep_the_campaign(client: Client) -> None:
    form = make_talent_form(languages=["en", "de"])

    english = client.get(form_url(form) + "?utm_source=careers")
    german = client.get(
        form_url(form) + "?utm_source=careers&lang=de", headers={"Accept-Language": "en"}
    )

    assert 'href="?utm_source=careers&amp;lang=de"' in english.content.decode()
    assert '<html lang="de">' in german.content.decode()
    assert inputs(german.content.decode()).hidden["lang"] == "de"


def test_an_inactive_form_says_it_is_no_longer_available(client: Client) -> None:
    form = make_talent_form(is_active=False)

    response = client.get(form_url(form))
    sent = send(client, form, filled())

    assert response.status_code == 410
    assert "This form is no longer available." in response.content.decode()
    assert 'name="email"' not in response.content.decode()
    assert sent.status_code == 410
    assert nothing_stored()


def test_a_follow_up_form_is_not_shown_without_a_personal_link(client: Client) -> None:
    form = make_follow_up_form()

    response = client.get(form_url(form))

    assert response.status_code == 404
    assert "personal link in your email" in response.content.decode()
    assert "<form" not in response.content.decode()


# What a sent form does


def test_a_sent_form_brings_the_candidate_into_the_pool_with_consent_and_cv(
    client: Client,
    recruiter_client: Client,
    rita: User,
    alice: User,
    statuses: dict[str, Status],
    smtp_server: MailServer,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    # given a form that puts new talents in a pool, tagged, with a status and an owner
    pool, tag = make_pool("Backend Berlin"), make_tag("Careers site")
    form = make_talent_form(
        "Careers site 2026",
        pools=[pool],
        tags=[tag],
        status=statuses["contacted"],
        owner=alice,
        notify=[rita],
    )
    hidden = open_form(client, form, "?utm_source=careers&utm_campaign=spring&ref=newsletter")

    # when a candidate fills it in with a CV and ticks the talent-pool box
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, form, {**hidden, **filled(cv=cv())}, origin="http://testserver")

    # then they see the thank-you page
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert "Your details have arrived." in thanks.content.decode()
    # and the talent is in the pool as the form says
    talent = Talent.objects.get()
    assert (talent.first_name, talent.last_name, talent.email) == ("Lena", "Vogel", EMAIL)
    assert talent.source_kind == Talent.SourceKind.FORM
    assert talent.source_label == "Careers site 2026"
    assert list(talent.pools.all()) == [pool]
    assert list(talent.tags.all()) == [tag]
    assert talent.status == statuses["contacted"]
    assert talent.owner == alice
    assert talent.data_confirmed_at is not None
    # with the consent and its proof
    [record] = ConsentRecord.objects.filter(talent=talent)
    assert record.purpose.key == Purpose.TALENT_POOL
    assert record.decision == ConsentRecord.Decision.GIVEN
    assert record.method == ConsentRecord.Method.FORM
    assert record.text is not None
    assert (record.text.version, record.text.language) == (1, "en")
    assert record.ip_address == "127.0.0.1"
    assert record.user_agent == BROWSER
    basis = LegalBasis.objects.get(talent=talent)
    assert basis.state == LegalBasis.State.CONSENT_VALID
    assert basis.purposes == [Purpose.TALENT_POOL]
    # the CV stored, its text read and searchable
    document = Document.objects.get(talent=talent)
    assert document.original_name == "cv.pdf"
    assert document.extraction == Document.Extraction.DONE
    assert found_by("kubernetes") == [talent.pk]
    listing = recruiter_client.get(reverse("talents:talent-list"), {"q": "Kubernetes"})
    assert "Lena Vogel" in listing.content.decode()
    # the answer and the campaign on the submission and the timeline
    submission = Submission.objects.get()
    answers = [{"question": QUESTION_LABEL, "answer": "Backend roles in Berlin"}]
    campaign = {"utm_source": "careers", "utm_campaign": "spring", "ref": "newsletter"}
    assert (submission.talent, submission.created_talent) == (talent, True)
    assert (submission.answers, submission.campaign, submission.language) == (
        answers,
        campaign,
        "en",
    )
    event = talent.events.get(kind=Event.Kind.FORM_SUBMITTED)
    assert event.actor is None
    assert event.actor_label == "Talent"
    assert event.data["form"] == "Careers site 2026"
    assert (event.data["answers"], event.data["campaign"]) == (answers, campaign)
    # the candidate's confirmation and the recruiter's notification went out
    [confirmation] = smtp_server.to(EMAIL)
    assert confirmation["Subject"] == "Thank you – we have received your details"
    assert '"Careers site 2026"' in confirmation.get_content()
    [notification] = smtp_server.to("rita@example.com")
    assert notification["Subject"] == 'Form "Careers site 2026" sent in'
    assert "A new talent has sent in the form" in notification.get_content()
    assert f"/talents/{talent.pk}/" in notification.get_content()
    assert "Vogel" not in notification["Subject"] + notification.get_content()
    assert smtp_server.to("alice@example.com") == []


def test_a_form_sent_in_german_records_the_german_consent_text_and_confirms_in_german(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form(languages=["de", "en"])

    with django_capture_on_commit_callbacks(execute=True):
        response = fill_and_send(client, form, "?lang=de")

    assert response.status_code == 303
    assert "lang=de" in response["Location"]
    record = ConsentRecord.objects.get()
    assert record.text is not None
    assert (record.text.language, record.language) == ("de", "de")
    assert Submission.objects.get().language == "de"
    email = OutboundEmail.objects.get(template="form_confirmation")
    assert email.subject == "Danke – wir haben Ihre Angaben erhalten"


def test_the_consent_proof_names_no_address_where_none_could_be_read(client: Client) -> None:
    form = make_talent_form()

    # A Unix socket between proxy and server, and no proxy header: no client address.
    response = fill_and_send(client, form, address="")

    assert response.status_code == 303
    assert ConsentRecord.objects.get().ip_address is None


def test_a_form_with_a_redirect_sends_the_candidate_there_unless_embedded(
    client: Client,
) -> None:
    form = make_talent_form(redirect_url="https://careers.example.com/thanks")

    direct = fill_and_send(client, form, email="a@example.com")
    embedded = fill_and_send(client, form, "?embed=1", email="b@example.com")

    assert (direct.status_code, direct["Location"]) == (303, "https://careers.example.com/thanks")
    # In an iframe the thank-you page shows, with a link that opens the page in the top window.
    assert embedded["Location"].startswith(reverse("webforms:thanks", args=[form.public_id]))
    thanks = client.get(embedded["Location"]).content.decode()
    assert 'href="https://careers.example.com/thanks" target="_top"' in thanks


def test_a_form_with_a_redirect_lets_the_browser_follow_it(client: Client) -> None:
    form = make_talent_form(redirect_url="https://careers.example.com/thanks?from=form")

    policy = client.get(form_url(form))["Content-Security-Policy"]
    other = client.get(form_url(make_talent_form("Other")))["Content-Security-Policy"]

    # Browsers hold the redirect after a post to form-action too: without the site, the
    # candidate's browser stops on the form page although the form arrived.
    assert "form-action 'self' https://careers.example.com;" in policy + ";"
    assert "form-action 'self';" in other + ";"


def test_campaign_parameters_are_kept_as_text(client: Client) -> None:
    form = make_talent_form()

    response = client.get(form_url(form) + '?utm_source="><script>alert(1)</script>&other=x')

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert inputs(html).hidden["utm_source"] == '"><script>alert(1)</script>'
    assert "other" not in inputs(html).hidden


def test_a_docx_cv_is_read_for_search_too(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form()

    with django_capture_on_commit_callbacks(execute=True):
        response = fill_and_send(
            client, form, cv=cv("Lebenslauf.docx", docx_bytes("Terraform and Ansible"))
        )

    assert response.status_code == 303
    assert found_by("terraform") == [Talent.objects.get().pk]


def test_the_recruiter_the_candidate_names_is_told_and_owns_the_new_talent(
    client: Client, rita: User, alice: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    User.objects.create_user("jdoe42", "jd@example.com", "pw-jdoe-123", role=User.Role.RECRUITER)
    form = make_talent_form()
    FormField.objects.create(form=form, kind=FormField.Kind.RECRUITER, key="recruiter", position=9)

    html = client.get(form_url(form)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = fill_and_send(client, form, recruiter=str(rita.pk))

    # Recruiters by name; a public page shows no login names.
    assert ">Rita</option>" in html
    assert ">Alice</option>" in html
    assert "jdoe42" not in html
    assert response.status_code == 303
    assert Talent.objects.get().owner == rita
    notification = OutboundEmail.objects.get(template="form_notification")
    assert notification.to_email == "rita@example.com"


def test_a_recruiter_who_may_not_see_the_talent_is_not_notified(
    client: Client, rita: User, alice: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    secret = Pool.objects.create(name="Executive search", is_private=True)
    secret.members.add(alice)
    form = make_talent_form(pools=[secret], notify=[rita, alice])

    with django_capture_on_commit_callbacks(execute=True):
        fill_and_send(client, form)

    notified = OutboundEmail.objects.filter(template="form_notification")
    assert list(notified.values_list("to_email", flat=True)) == ["alice@example.com"]


def test_a_custom_field_deleted_since_the_form_was_built_is_left_out(client: Client) -> None:
    custom = CustomField.objects.create(
        key="notice_period", label_en="Notice period", label_de="Kündigungsfrist"
    )
    form = make_talent_form()
    FormField.objects.create(
        form=form, kind=FormField.Kind.CUSTOM, key=custom.key, required=True, position=9
    )
    custom.delete()

    page = client.get(form_url(form)).content.decode()
    response = fill_and_send(client, form)

    assert "custom_notice_period" not in page
    assert response.status_code == 303
    assert Talent.objects.get().email == EMAIL


def test_the_browser_is_told_what_to_fill_in_each_field(client: Client) -> None:
    form = make_talent_form()

    html = client.get(form_url(form)).content.decode()

    tags = {name: tag for tag, name in re.findall(r'(<input[^>]*name="(\w+)"[^>]*>)', html)}
    assert 'autocomplete="given-name"' in tags["first_name"]
    assert 'autocomplete="family-name"' in tags["last_name"]
    assert 'autocomplete="email"' in tags["email"]


def test_an_address_on_the_suppression_list_stays_there_and_gets_no_mail(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    """Anyone can type any address into a public form: ticking consent there does not
    bring a person who withdrew back (only the link in an email to them can)."""
    form = make_talent_form(second_step=make_follow_up_form("Tell us more"))
    suppress(EMAIL, Suppression.Reason.WITHDRAWN)
    suppress("anna@example.com", Suppression.Reason.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=True):
        without = fill_and_send(client, form, **{f"consent_{Purpose.TALENT_POOL}": ""})
        consenting = fill_and_send(client, form, email="anna@example.com")

    assert (without.status_code, consenting.status_code) == (303, 303)
    assert not OutboundEmail.objects.filter(to_email__in=[EMAIL, "anna@example.com"]).exists()
    assert is_suppressed(EMAIL)
    assert is_suppressed("anna@example.com")
    anna = Talent.objects.get(email="anna@example.com")
    assert not may_email(anna, Purpose.EMAIL_CAMPAIGNS)


def test_a_cv_that_cannot_be_stored_leaves_no_talent_behind(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = make_talent_form()

    def disk_full(*args: Any, **kwargs: Any) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)

    with pytest.raises(OSError, match="No space left"):
        fill_and_send(client, form, cv=cv())

    assert nothing_stored()


def test_the_same_email_again_updates_the_talent_and_keeps_status_and_owner(
    client: Client,
    rita: User,
    alice: User,
    statuses: dict[str, Status],
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    talent = make_talent(
        rita, first_name="Lena", email=EMAIL, status=statuses["contacted"], owner=rita
    )
    pool = make_pool("Backend Berlin")
    form = make_talent_form(pools=[pool], status=statuses["new"], owner=alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = fill_and_send(
            client, form, email="Lena.VOGEL@Example.com", last_name="Vogel-Berg", cv=cv()
        )

    assert response.status_code == 303
    assert Talent.objects.count() == 1
    talent.refresh_from_db()
    assert talent.email == EMAIL
    assert talent.last_name == "Vogel-Berg"
    assert talent.status == statuses["contacted"]
    assert talent.owner == rita
    assert list(talent.pools.all()) == [pool]
    assert talent.documents.count() == 1
    submission = Submission.objects.get()
    assert (submission.talent, submission.created_talent) == (talent, False)
    kinds = set(talent.events.values_list("kind", flat=True))
    assert {Event.Kind.UPDATED, Event.Kind.FORM_SUBMITTED} <= kinds
    changed = talent.events.get(kind=Event.Kind.FIELD_CHANGED, data__field="last_name")
    assert changed.actor_label == "Talent"
    page = text_of(detail(logged_in(rita), talent))
    assert "Talent changed last name from" in page


# Bad input: a clear message, nothing stored


def test_missing_required_fields_are_named_next_to_the_field_and_in_the_summary(
    client: Client,
) -> None:
    form = make_talent_form()

    response = fill_and_send(client, form, first_name="", email="", cv=cv())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Careers site</title>" in html
    assert SUMMARY in html
    assert '<a href="#id_first_name">First name: This field is required.</a>' in html
    assert '<a href="#id_email">Email: This field is required.</a>' in html
    assert '<div class="error" id="id_first_name_error">This field is required.</div>' in html
    assert 'aria-describedby="id_email_error"' in html
    # What was typed stays, so only the missing fields need filling.
    assert inputs(html).values["last_name"] == "Vogel"
    assert nothing_stored()


def test_an_invalid_email_is_refused_with_the_intake_message(client: Client) -> None:
    form = make_talent_form()

    response = fill_and_send(client, form, email="lena at example")

    assert response.status_code == 200
    assert SUMMARY in response.content.decode()
    assert 'id="id_email_error"' in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("cv.pdf", b"<html><script>alert(1)</script></html>"),
        ("cv.docx", b"#!/bin/sh\nrm -rf /\n"),
    ],
    ids=["exe-named-pdf", "html-named-pdf", "script-named-docx"],
)
def test_a_file_that_is_no_document_is_refused_by_its_content(
    client: Client, name: str, data: bytes
) -> None:
    form = make_talent_form()

    response = fill_and_send(client, form, cv=cv(name, data))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<div class="error" id="id_cv_error">Only PDF, Word (.docx) and OpenDocument (.odt) '
        "files are accepted.</div>"
    ) in html
    assert SUMMARY in html
    assert nothing_stored()


def test_an_oversized_file_is_refused(client: Client, settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 2048
    form = make_talent_form()

    response = fill_and_send(client, form, cv=cv("cv.pdf", minimal_pdf("x" * 4000)))

    assert response.status_code == 200
    assert re.search(r'id="id_cv_error">The file is [\d.]+ MB; at most', response.content.decode())
    assert nothing_stored()


def test_a_missing_required_cv_is_named(client: Client) -> None:
    form = make_talent_form(cv_required=True)

    response = fill_and_send(client, form)

    assert '<a href="#id_cv">CV: This field is required.</a>' in response.content.decode()
    assert nothing_stored()


# Abuse guards


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client: Client) -> None:
    form = make_talent_form()

    response = fill_and_send(client, form, website="https://spam.example", cv=cv())

    assert response.status_code == 303
    assert response["Location"].startswith(reverse("webforms:thanks", args=[form.public_id]))
    assert nothing_stored()


def test_a_form_sent_too_fast_is_refused_with_the_values_kept(
    client: Client, settings: Any
) -> None:
    settings.FORM_MIN_FILL_SECONDS = 60
    form = make_talent_form()

    response = fill_and_send(client, form, cv=cv())

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please take a moment to check your entries, then send the form again." in html
    assert "Please choose your file again." in html
    values = inputs(html).values
    assert (values["first_name"], values["email"]) == ("Lena", EMAIL)
    assert nothing_stored()


def test_a_tampered_token_is_refused(client: Client) -> None:
    form = make_talent_form()
    hidden = open_form(client, form)
    token = hidden["form_token"]
    hidden["form_token"] = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = send(client, form, {**hidden, **filled()})

    assert response.status_code == 400
    assert "The form could not be read. Please reload the page" in response.content.decode()
    assert inputs(response.content.decode()).values["first_name"] == "Lena"
    assert nothing_stored()


def test_a_token_of_another_form_is_refused(client: Client) -> None:
    form, other = make_talent_form(), make_talent_form("Other")

    response = send(client, form, {**open_form(client, other), **filled()})

    assert response.status_code == 400
    assert nothing_stored()


def test_a_page_left_open_for_days_asks_to_send_again_and_then_goes_through(
    client: Client,
) -> None:
    form = make_talent_form()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=4)):
        hidden = open_form(client, form)

    expired = send(client, form, {**hidden, **filled()})

    assert expired.status_code == 400
    assert "This page was open for a long time." in expired.content.decode()
    assert nothing_stored()
    # The page came back with a fresh token and everything typed, so sending it again works.
    again = send(client, form, {**inputs(expired.content.decode()).values})
    assert again.status_code == 303
    assert Talent.objects.get().email == EMAIL


def test_a_post_from_another_site_is_forbidden(client: Client) -> None:
    form = make_talent_form()

    response = send(
        client,
        form,
        {**open_form(client, form), **filled()},
        origin="https://evil.example",
    )

    assert response.status_code == 403
    assert "This form can only be sent from its own page." in response.content.decode()
    assert nothing_stored()


def test_the_eleventh_form_from_one_address_within_ten_minutes_is_refused(
    client: Client, settings: Any
) -> None:
    settings.FORM_SUBMISSIONS_PER_ADDRESS = 10
    form, other = make_talent_form(), make_talent_form("Other")
    for number in range(10):
        target = form if number % 2 else other
        assert fill_and_send(client, target, email=f"c{number}@example.com").status_code == 303

    refused = fill_and_send(client, form, email="eleventh@example.com")

    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 0 < retry_after <= 600
    assert "Many forms were sent in the last few minutes." in refused.content.decode()
    assert "Please try again in 10 minutes." in refused.content.decode()
    # What was typed stays on the page, to send again later.
    assert inputs(refused.content.decode()).values["email"] == "eleventh@example.com"
    assert Talent.objects.count() == 10
    assert not Talent.objects.filter(email="eleventh@example.com").exists()
    # Another address is not held up, and the first one may send again once the window passed.
    other_address = fill_and_send(client, form, email="x@example.com", address="10.0.0.7")
    assert other_address.status_code == 303
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert fill_and_send(client, form, email="later@example.com").status_code == 303


def test_a_form_refuses_more_than_its_limit_from_any_addresses(
    client: Client, settings: Any
) -> None:
    settings.FORM_SUBMISSIONS_PER_FORM = 3
    form, other = make_talent_form(), make_talent_form("Other")
    for number in range(3):
        response = fill_and_send(
            client, form, email=f"c{number}@example.com", address=f"10.0.0.{number + 1}"
        )
        assert response.status_code == 303

    refused = fill_and_send(client, form, email="fourth@example.com", address="10.0.0.9")
    elsewhere = fill_and_send(client, other, email="fifth@example.com", address="10.0.0.9")

    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    assert "Please try again in" in refused.content.decode()
    assert not Talent.objects.filter(email="fourth@example.com").exists()
    assert elsewhere.status_code == 303
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=9, seconds=30)):
        nearly = fill_and_send(client, form, email="sixth@example.com", address="10.0.0.9")
    assert "Please try again in 1 minute." in nearly.content.decode()


def test_the_rate_limit_keeps_no_address(client: Client) -> None:
    form = make_talent_form()

    fill_and_send(client, form, address="203.0.113.9")

    assert not FormHit.objects.filter(client__contains="203.0.113").exists()
    assert FormHit.objects.count() == 1


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        [(waiting,)] = cursor.fetchall()
    return bool(waiting)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
@pytest.mark.django_db(transaction=True)
def test_two_forms_sent_at_once_from_one_address_cannot_both_take_its_last_slot(
    settings: Any,
) -> None:
    settings.FORM_SUBMISSIONS_PER_ADDRESS = 1
    form, other = Form.objects.create(title="Careers site"), Form.objects.create(title="Other")
    counted, release = threading.Event(), threading.Event()
    second: list[str] = []

    def first_request() -> None:
        try:
            with transaction.atomic():
                services.count_submission(form, "203.0.113.9")
                counted.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def second_request() -> None:
        try:
            services.count_submission(other, "203.0.113.9")
            second.append("accepted")
        except services.RateLimited:
            second.append("refused")
        finally:
            connections.close_all()

    first = threading.Thread(target=first_request)
    first.start()
    assert counted.wait(timeout=10)
    later = threading.Thread(target=second_request)
    later.start()
    # The first commits once the second waits for it (or, were nothing locked, is done).
    deadline = time.monotonic() + 10
    while later.is_alive() and not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    first.join()
    later.join()

    assert second == ["refused"]
    assert FormHit.objects.count() == 1


# Framing


def test_a_form_with_allowed_sites_may_be_framed_by_exactly_those(client: Client) -> None:
    sites = ["https://careers.example.com", "https://jobs.example.org:8443"]
    form = make_talent_form(allowed_origins=sites)

    page = client.get(form_url(form) + "?embed=1")
    thanks = client.get(reverse("webforms:thanks", args=[form.public_id]) + "?embed=1")

    for response in (page, thanks):
        policy = response["Content-Security-Policy"]
        assert f"frame-ancestors {' '.join(sites)}" in policy
        assert not response.has_header("X-Frame-Options")


def test_a_form_without_allowed_sites_and_every_other_page_stay_unframeable(
    client: Client,
) -> None:
    form = make_talent_form()

    for response in (client.get(form_url(form)), client.get("/accounts/login/")):
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_an_embedded_form_hides_the_page_header(client: Client) -> None:
    form = make_talent_form(allowed_origins=["https://careers.example.com"])

    response = client.get(form_url(form) + "?embed=1&utm_source=careers")

    html = response.content.decode()
    assert 'class="embedded"' in html
    assert 'class="sheet-head"' not in html
    assert inputs(html).hidden == {
        "lang": "en",
        "embed": "1",
        "utm_source": "careers",
        "form_token": inputs(html).hidden["form_token"],
    }


def test_an_embedded_form_works_without_cookies(client: Client) -> None:
    """Browsers give another site's iframe no cookies (Safari, blocked third-party cookies)."""
    form = make_talent_form(allowed_origins=["https://careers.example.com"])
    page = client.get(form_url(form) + "?embed=1")
    hidden = inputs(page.content.decode()).hidden

    cookieless = Client()
    wrong = send(cookieless, form, {**hidden, **filled(email="")})
    sent = send(cookieless, form, {**hidden, **filled()})
    thanks = cookieless.get(sent["Location"])

    assert not any(response.cookies for response in (page, wrong, sent, thanks))
    assert (wrong.status_code, sent.status_code) == (200, 303)
    assert Talent.objects.get().email == EMAIL


# Follow-up links


def lena_with_profile(rita: User) -> Talent:
    return make_talent(
        rita,
        first_name="Lena",
        last_name="Vogel",
        email=EMAIL,
        job_title="Backend developer",
        city="Berlin",
        salary_amount="60000",
    )


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_a_follow_up_link_opens_the_form_with_the_talents_data(client: Client, rita: User) -> None:
    talent = lena_with_profile(rita)
    form = make_follow_up_form()

    response = client.get(path_of(follow_up_url(form, talent)))

    values = inputs(response.content.decode()).values
    assert response.status_code == 200
    assert values["first_name"] == "Lena"
    assert values["job_title"] == "Backend developer"
    assert values["city"] == "Berlin"
    assert values["salary_amount"] == "60000"
    assert "Update my details" in response.content.decode()
    # No consent boxes: the talent is already in the pool.
    assert "consent_" not in response.content.decode()
    # The page shows the talent's data: no cache along the way keeps it.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_follow_up_updates_the_profile_with_the_talent_as_the_actor(
    client: Client, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = lena_with_profile(rita)
    form = make_follow_up_form()
    url = path_of(follow_up_url(form, talent))
    hidden = inputs(client.get(url).content.decode()).values

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {**hidden, "salary_amount": "75000", "available_from": "2027-01-01", "city": ""},
        )

    assert response.status_code == 303
    talent.refresh_from_db()
    assert talent.salary_amount == Decimal("75000")
    assert talent.available_from == datetime.date(2027, 1, 1)
    assert talent.city == ""
    assert talent.job_title == "Backend developer"
    assert talent.data_confirmed_at is not None
    changes = talent.events.filter(kind=Event.Kind.FIELD_CHANGED)
    assert set(changes.values_list("data__field", flat=True)) == {
        "salary_amount",
        "available_from",
        "city",
    }
    assert {(e.actor, e.actor_label) for e in changes} == {(None, "Talent")}
    submission = Submission.objects.get()
    assert (submission.form, submission.talent) == (form, talent)
    page = text_of(detail(logged_in(rita), talent))
    assert "Talent changed salary expectation from 60,000 to 75,000" in page
    assert "Talent cleared city (was Berlin)" in page


def test_a_tampered_follow_up_link_says_it_is_not_valid(client: Client, rita: User) -> None:
    talent = lena_with_profile(rita)
    form = make_follow_up_form()
    url = path_of(follow_up_url(form, talent))
    tampered = url[:-4] + ("A" if url[-4] != "A" else "B") + url[-3:]

    response = client.get(tampered)
    sent = client.post(tampered, {"salary_amount": "1"})

    assert response.status_code == 400
    assert "This link is not valid. Please use the complete link from your email." in (
        response.content.decode()
    )
    assert "<form" not in response.content.decode()
    assert sent.status_code == 400
    talent.refresh_from_db()
    assert talent.salary_amount == Decimal("60000")


def test_a_link_to_one_form_does_not_open_another(client: Client, rita: User) -> None:
    talent = lena_with_profile(rita)
    form, other = make_follow_up_form(), make_follow_up_form("Other")
    link = follow_up_url(form, talent).rstrip("/").rsplit("/", 1)[1]

    response = client.get(reverse("webforms:follow-up", args=[other.public_id, link]))

    assert response.status_code == 400


def test_an_old_follow_up_link_has_expired(client: Client, rita: User, settings: Any) -> None:
    settings.FORM_LINK_DAYS = 30
    talent = lena_with_profile(rita)
    form = make_follow_up_form()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        old = path_of(follow_up_url(form, talent))
    with time_machine.travel(timezone.now() - datetime.timedelta(days=29)):
        recent = path_of(follow_up_url(form, talent))

    response = client.get(old)

    assert response.status_code == 410
    assert "This link has expired. Please ask us for a new one." in response.content.decode()
    assert client.get(recent).status_code == 200


def test_a_follow_up_link_of_an_erased_talent_is_not_valid(
    client: Client, rita: User, alice: User
) -> None:
    talent = lena_with_profile(rita)
    form = make_follow_up_form()
    url = path_of(follow_up_url(form, talent))

    erase_talent(talent, actor=alice, reason="request")
    response = client.get(url)

    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()
    assert "Lena" not in response.content.decode()


def test_a_follow_up_link_of_an_inactive_form_is_refused(client: Client, rita: User) -> None:
    talent = lena_with_profile(rita)
    form = make_follow_up_form(is_active=False)

    response = client.get(path_of(follow_up_url(form, talent)))

    assert response.status_code == 410
    assert "Lena" not in response.content.decode()


# Two-step forms


def test_a_two_step_form_emails_the_link_to_the_second_form_which_opens_prefilled(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Callbacks
) -> None:
    settings.SITE_URL = "https://talents.example.com"
    second = make_follow_up_form("Tell us more")
    form = make_talent_form("Quick sign-up", second_step=second)

    with django_capture_on_commit_callbacks(execute=True):
        response = fill_and_send(client, form)

    assert response.status_code == 303
    talent = Talent.objects.get()
    email = OutboundEmail.objects.get(template="form_link")
    assert email.to_email == EMAIL
    assert email.subject == "Tell us more – your personal link"
    match = re.search(r"https://talents\.example\.com(/f/\S+/)", email.body_text)
    assert match, email.body_text
    assert talent.events.filter(kind=Event.Kind.FORM_LINK_SENT).exists()
    second_page = client.get(match.group(1))
    assert second_page.status_code == 200
    assert "Tell us more" in second_page.content.decode()
    assert inputs(second_page.content.decode()).values["first_name"] == "Lena"


def test_the_second_step_is_emailed_in_the_language_of_the_first(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form("Kurzanmeldung", second_step=make_follow_up_form("Mehr über Sie"))

    with django_capture_on_commit_callbacks(execute=True):
        fill_and_send(client, form, "?lang=de", **{f"consent_{Purpose.TALENT_POOL}": ""})

    email = OutboundEmail.objects.get(template="form_link")
    assert email.subject == "Mehr über Sie – Ihr persönlicher Link"


def test_candidates_read_the_heading_in_their_language_and_the_title_stays_the_source(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form(
        "Careers site 2026",
        heading_de="Werden Sie Teil unseres Talentpools",
        heading_en="Join our talent pool",
    )

    german = client.get(form_url(form) + "?lang=de").content.decode()
    english = client.get(form_url(form) + "?lang=en").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fill_and_send(client, form, "?lang=de")

    assert "<h1>Werden Sie Teil unseres Talentpools</h1>" in german
    assert "<h1>Join our talent pool</h1>" in english
    assert "Careers site 2026" not in german + english
    assert Talent.objects.get().source_label == "Careers site 2026"
    confirmation = OutboundEmail.objects.get(template="form_confirmation")
    assert "„Werden Sie Teil unseres Talentpools“" in confirmation.body_text


def test_the_same_page_sent_twice_is_one_submission_with_one_set_of_emails(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form(second_step=make_follow_up_form("Tell us more"))
    hidden = open_form(client, form)

    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, form, {**hidden, **filled()})
        again = send(client, form, {**hidden, **filled(first_name="Lena Marie")})

    assert first.status_code == again.status_code == 303
    assert again["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert Talent.objects.get().first_name == "Lena"
    templates = OutboundEmail.objects.values_list("template", flat=True)
    assert sorted(templates) == ["form_confirmation", "form_link"]
