"""Follow-up forms from the recruiter's side: the profile's "Send follow-up form", the
talent list's bulk action, what the profile and the timeline show of the forms a talent
sent in, and the API's `data_confirmed_at`."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import ApiToken, User
from silverpool.outreach.models import OutboundEmail
from silverpool.talents.models import Talent
from silverpool.webforms.models import Form
from silverpool.webforms.services import Entry, requests, submit_follow_up

from ..privacy.factories import give_consent
from ..talents.factories import make_talent
from ..talents.test_detail_page import detail, text_of
from .factories import QUESTION_LABEL, make_follow_up_form
from .test_public_page import inputs

Callbacks = Callable[..., AbstractContextManager[Any]]
NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)
BULK = reverse("talents:talent-bulk")
LIST = reverse("talents:talent-list")


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def _no_starter_forms(db: None) -> None:
    """Only the forms a test makes are on offer (the product ships a follow-up form)."""
    Form.objects.update(is_active=False)


@pytest.fixture
def form(db: None) -> Form:
    return make_follow_up_form("Update your profile")


def reachable(actor: User | None = None, **fields: Any) -> Talent:
    """A talent who consented to be contacted about the talent pool."""
    talent = make_talent(actor, **fields)
    give_consent(talent)
    return talent


@pytest.fixture
def lena(rita: User) -> Talent:
    return reachable(rita, first_name="Lena", last_name="Vogel", email="lena@example.com")


def send_url(talent: Talent) -> str:
    return reverse("talents:follow-up-send", args=[talent.pk])


def send_form_of(html: str) -> dict[str, str]:
    """What the profile's "Send follow-up form" posts (the page's other hidden inputs are
    left out)."""
    hidden = inputs(html).hidden
    return {name: hidden[name] for name in ("key", "follow_up_form") if name in hidden}


def forms_panel(html: str) -> str:
    start = html.index('id="forms"')
    return text_of(html[start : html.index("</section>", start)])


def timeline_text(html: str) -> str:
    return text_of(html[html.index('id="timeline"') :])


# The profile


def test_with_one_follow_up_form_a_recruiter_sends_it_with_one_click(
    form: Form, lena: Talent, recruiter_client: Client
) -> None:
    page = detail(recruiter_client, lena)
    assert "Send follow-up form “Update your profile”" in forms_panel(page)

    response = recruiter_client.post(send_url(lena), send_form_of(page), follow=True)

    html = response.content.decode()
    assert "Follow-up form “Update your profile” sent to lena@example.com." in html
    assert "Rita sent the link to the form Update your profile" in timeline_text(html)
    [email] = OutboundEmail.objects.all()
    assert (email.to_email, email.template) == ("lena@example.com", "form_link")


def test_a_double_click_sends_one_email_and_a_reload_lets_the_recruiter_send_again(
    form: Form, lena: Talent, recruiter_client: Client
) -> None:
    data = send_form_of(detail(recruiter_client, lena))

    first = recruiter_client.post(send_url(lena), data, follow=True)
    second = recruiter_client.post(send_url(lena), data, follow=True)

    assert OutboundEmail.objects.count() == 1
    for response in (first, second):
        assert "sent to lena@example.com" in response.content.decode()
    assert timeline_text(second.content.decode()).count("sent the link to the form") == 1
    recruiter_client.post(send_url(lena), send_form_of(detail(recruiter_client, lena)))
    assert OutboundEmail.objects.count() == 2


def test_with_several_forms_the_recruiter_chooses_among_the_active_ones(
    form: Form, lena: Talent, recruiter_client: Client
) -> None:
    salary = make_follow_up_form("Salary and availability")
    make_follow_up_form("Old survey", is_active=False)

    page = detail(recruiter_client, lena)
    data = {**send_form_of(page), "follow_up_form": str(salary.pk)}
    response = recruiter_client.post(send_url(lena), data, follow=True)

    panel = forms_panel(page)
    assert "Salary and availability" in panel
    assert "Update your profile" in panel
    assert "Old survey" not in panel
    assert "Follow-up form “Salary and availability” sent to" in response.content.decode()
    assert OutboundEmail.objects.get().subject == "Salary and availability – your personal link"


def test_an_inactive_form_posted_anyway_is_not_sent(lena: Talent, recruiter_client: Client) -> None:
    old = make_follow_up_form("Old survey", is_active=False)

    response = recruiter_client.post(
        send_url(lena), {"follow_up_form": str(old.pk), "key": "k" * 16}, follow=True
    )

    assert "This follow-up form is no longer active." in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_the_profile_says_why_a_talent_cannot_get_the_form_and_a_post_says_so_too(
    form: Form, rita: User, recruiter_client: Client
) -> None:
    talent = make_talent(rita, first_name="Lena", last_name="Vogel", email="")
    page = detail(recruiter_client, talent)

    response = recruiter_client.post(
        send_url(talent), send_form_of(page), headers={"HX-Request": "true"}
    )

    assert "disabled" in page[page.index('id="forms"') : page.index("follow-up-refusal")]
    assert "Lena Vogel has no email address to send the form to." in forms_panel(page)
    assert response.status_code == 422
    assert "Lena Vogel has no email address to send the form to." in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_a_viewer_sees_no_send_button_and_cannot_send(
    form: Form, lena: Talent, viewer_client: Client, recruiter_client: Client
) -> None:
    data = send_form_of(detail(recruiter_client, lena))

    page = detail(viewer_client, lena)
    response = viewer_client.post(send_url(lena), data)

    assert "Send follow-up form" not in page
    assert response.status_code == 403
    assert not OutboundEmail.objects.exists()


def test_without_an_active_follow_up_form_the_profile_says_so(
    lena: Talent, recruiter_client: Client
) -> None:
    make_follow_up_form("Old survey", is_active=False)

    panel = forms_panel(detail(recruiter_client, lena))

    assert "No active follow-up form to send." in panel
    assert "Send follow-up form" not in panel


def test_the_profile_shows_when_the_talent_last_confirmed_their_data_and_what_they_answered(
    form: Form, lena: Talent, recruiter_client: Client, clock: TimeMachineFixture
) -> None:
    before = forms_panel(detail(recruiter_client, lena))
    clock.move_to(NOW + datetime.timedelta(hours=2), tick=False)

    submit_follow_up(
        form,
        lena,
        Entry(
            language="en",
            values={"city": "Köln"},
            answers=[{"question": QUESTION_LABEL, "answer": "Data science in Köln"}],
            campaign={"utm_source": "newsletter"},
        ),
    )
    html = detail(recruiter_client, lena)

    assert "Data last confirmed by the talent never" in before
    assert "No forms sent in yet." in before
    panel = forms_panel(html)
    assert "Data last confirmed by the talent 2 Mar 2027, 13:00 (via Update your profile)" in (
        panel
    )
    assert f"{QUESTION_LABEL} Data science in Köln" in panel
    assert "Campaign: utm_source=newsletter" in panel
    timeline = timeline_text(html)
    assert (
        "Talent sent in the form Update your profile (campaign: utm_source=newsletter) "
        f"{QUESTION_LABEL}: Data science in Köln"
    ) in timeline
    assert "Talent set city to Köln" in timeline


def test_answers_on_the_profile_and_the_timeline_are_shown_as_text(
    form: Form, lena: Talent, recruiter_client: Client
) -> None:
    submit_follow_up(
        form,
        lena,
        Entry(language="en", answers=[{"question": "Why?", "answer": "<script>alert(1)</script>"}]),
    )

    html = detail(recruiter_client, lena)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The talent list


def bulk_data(form: Form, talents: list[Talent], batch_key: str) -> dict[str, Any]:
    return {
        "action": "send_follow_up",
        "ids": [t.pk for t in talents],
        "follow_up_form": str(form.pk),
        "batch_key": batch_key,
        "query": "",
    }


def list_batch_key(client: Client) -> str:
    return inputs(client.get(LIST).content.decode()).hidden["batch_key"]


def test_the_list_sends_the_follow_up_form_to_a_selection_and_names_the_counts(
    form: Form, rita: User, recruiter_client: Client
) -> None:
    talents = [reachable(rita), reachable(rita), make_talent(rita, email="")]

    response = recruiter_client.post(
        BULK, bulk_data(form, talents, list_batch_key(recruiter_client)), follow=True
    )

    assert (
        "Follow-up form “Update your profile” sent to 2 talents. 1 skipped (no email address: 1)."
    ) in response.content.decode()
    assert OutboundEmail.objects.count() == 2


def test_a_double_click_on_the_bulk_action_sends_each_talent_one_email(
    form: Form, rita: User, recruiter_client: Client
) -> None:
    talents = [reachable(rita), reachable(rita)]
    data = bulk_data(form, talents, list_batch_key(recruiter_client))

    recruiter_client.post(BULK, data)
    again = recruiter_client.post(BULK, data, follow=True)

    assert "sent to 2 talents." in again.content.decode()
    assert OutboundEmail.objects.count() == 2


def test_the_bulk_action_needs_a_follow_up_form_and_the_pages_key(
    form: Form, rita: User, recruiter_client: Client
) -> None:
    talents = [reachable(rita)]
    data = bulk_data(form, talents, list_batch_key(recruiter_client))

    no_form = recruiter_client.post(BULK, {**data, "follow_up_form": ""}, follow=True)
    no_key = recruiter_client.post(BULK, {**data, "batch_key": ""}, follow=True)

    assert "Choose a follow-up form." in no_form.content.decode()
    assert "The page was out of date. Please reload it and send again." in (no_key.content.decode())
    assert not OutboundEmail.objects.exists()


def test_a_large_selection_from_the_list_is_sent_in_the_background(
    form: Form,
    rita: User,
    recruiter_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    monkeypatch.setattr(requests, "SEND_AT_ONCE_MAX", 2)
    talents = [reachable(rita) for _ in range(3)]

    with django_capture_on_commit_callbacks() as callbacks:
        response = recruiter_client.post(
            BULK, bulk_data(form, talents, list_batch_key(recruiter_client)), follow=True
        )

    assert "is being sent to 3 talents." in response.content.decode()
    assert not OutboundEmail.objects.exists()
    for callback in callbacks:
        callback()
    assert OutboundEmail.objects.count() == 3


def test_the_bulk_bar_offers_the_action_only_with_an_active_follow_up_form(
    rita: User, recruiter_client: Client
) -> None:
    reachable(rita)
    without = recruiter_client.get(LIST).content.decode()
    make_follow_up_form("Update your profile")

    with_form = recruiter_client.get(LIST).content.decode()

    assert 'value="send_follow_up"' not in without
    assert 'value="send_follow_up"' in with_form


# The API


def test_the_api_shows_when_the_talent_last_confirmed_their_data(
    form: Form, lena: Talent, rita: User
) -> None:
    _token, raw = ApiToken.issue(rita, "CRM sync")
    api = Client(headers={"authorization": f"Bearer {raw}"})
    url = f"/api/v1/talents/{lena.pk}"
    before = api.get(url).json()

    submit_follow_up(form, lena, Entry(language="en", values={"city": "Köln"}))
    after = api.get(url).json()

    assert before["data_confirmed_at"] is None
    assert datetime.datetime.fromisoformat(after["data_confirmed_at"]) == NOW
