"""Sending follow-up forms to talents: the email and its working link, who is skipped and
why, the key that makes a double click harmless, and large selections in the background."""

import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.models import Policy, Suppression
from silverpool.privacy.services import suppress
from silverpool.talents.models import Event, Talent
from silverpool.webforms.models import Form
from silverpool.webforms.services import (
    FollowUpRefused,
    bulk_send_follow_up,
    send_follow_up,
    send_to_selection,
)
from silverpool.webforms.tasks import send_follow_up_forms

from ..privacy.factories import give_consent
from ..talents.factories import make_pool, make_talent
from .factories import make_follow_up_form, make_talent_form
from .test_public_page import inputs

Callbacks = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def form(db: None) -> Form:
    return make_follow_up_form("Update your profile")


@pytest.fixture
def lena(rita: User) -> Talent:
    return reachable(
        rita,
        first_name="Lena",
        last_name="Vogel",
        email="lena@example.com",
        job_title="Backend developer",
        city="Berlin",
    )


def reachable(actor: User | None = None, **fields: Any) -> Talent:
    """A talent who consented to be contacted about the talent pool."""
    talent = make_talent(actor, **fields)
    give_consent(talent)
    return talent


def links_sent(talent: Talent) -> list[Event]:
    return list(talent.events.filter(kind=Event.Kind.FORM_LINK_SENT))


def test_the_email_carries_a_link_that_opens_the_form_with_the_talents_data(
    form: Form, lena: Talent, rita: User, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://talents.example.com"

    sent = send_follow_up(form, lena, actor=rita, key="page-1")

    assert sent is True
    [email] = OutboundEmail.objects.all()
    assert email.to_email == "lena@example.com"
    assert email.subject == "Update your profile – your personal link"
    assert email.created_by == rita
    match = re.search(r"https://talents\.example\.com(/f/\S+/u/\S+/)", email.body_text)
    assert match, email.body_text
    page = client.get(match.group(1))
    assert page.status_code == 200
    values = inputs(page.content.decode()).values
    assert (values["first_name"], values["job_title"], values["city"]) == (
        "Lena",
        "Backend developer",
        "Berlin",
    )
    [event] = links_sent(lena)
    assert event.actor == rita
    assert event.data["form"] == "Update your profile"


def test_the_same_key_again_sends_no_second_email_and_no_second_timeline_entry(
    form: Form, lena: Talent, rita: User
) -> None:
    first = send_follow_up(form, lena, actor=rita, key="page-1")
    again = send_follow_up(form, lena, actor=rita, key="page-1")

    assert (first, again) == (True, False)
    assert OutboundEmail.objects.count() == 1
    assert len(links_sent(lena)) == 1


def test_a_new_key_sends_the_form_again(form: Form, lena: Talent, rita: User) -> None:
    send_follow_up(form, lena, actor=rita, key="page-1")
    send_follow_up(form, lena, actor=rita, key="page-2")

    assert OutboundEmail.objects.count() == 2
    assert len(links_sent(lena)) == 2


def test_a_talent_without_email_is_refused_with_a_reason(form: Form, rita: User) -> None:
    talent = make_talent(rita, first_name="Lena", last_name="Vogel", email="")

    with pytest.raises(FollowUpRefused) as refused:
        send_follow_up(form, talent, actor=rita, key="page-1")

    assert refused.value.code == "no_email"
    assert refused.value.message == "Lena Vogel has no email address to send the form to."
    assert not OutboundEmail.objects.exists()


def test_a_talent_who_has_not_consented_is_refused_and_pointed_to_consent(
    form: Form, rita: User
) -> None:
    talent = make_talent(rita, first_name="Lena", last_name="Vogel")

    with pytest.raises(FollowUpRefused) as refused:
        send_follow_up(form, talent, actor=rita, key="page-1")

    assert refused.value.code == "no_consent"
    assert "ask for consent first" in refused.value.message
    assert not OutboundEmail.objects.exists()


def test_with_the_gdpr_function_off_a_talent_without_consent_gets_the_form(
    form: Form, rita: User
) -> None:
    Policy.objects.update(enabled=False)
    talent = make_talent(rita)

    assert send_follow_up(form, talent, actor=rita, key="page-1") is True
    assert OutboundEmail.objects.count() == 1


def test_a_suppressed_address_is_refused(form: Form, lena: Talent, rita: User) -> None:
    suppress(lena.email, Suppression.Reason.WITHDRAWN)

    with pytest.raises(FollowUpRefused) as refused:
        send_follow_up(form, lena, actor=rita, key="page-1")

    assert refused.value.code == "suppressed"
    assert not OutboundEmail.objects.exists()
    assert links_sent(lena) == []


@pytest.mark.parametrize(
    "make_form",
    [
        lambda: make_follow_up_form(is_active=False),
        lambda: make_talent_form(),
    ],
    ids=["inactive follow-up form", "talent form"],
)
def test_only_an_active_follow_up_form_is_sent(
    make_form: Callable[[], Form], lena: Talent, rita: User
) -> None:
    with pytest.raises(FollowUpRefused) as refused:
        send_follow_up(make_form(), lena, actor=rita, key="page-1")

    assert refused.value.code == "form_inactive"
    assert not OutboundEmail.objects.exists()


def test_a_talent_the_recruiter_may_not_see_is_refused(form: Form, rita: User, alice: User) -> None:
    secret = make_talent(alice, pools=[make_pool("Board", is_private=True)])

    with pytest.raises(FollowUpRefused) as refused:
        send_follow_up(form, secret, actor=rita, key="page-1")

    assert refused.value.code == "not_visible"
    assert not OutboundEmail.objects.exists()


def test_a_rule_sends_as_the_system_to_any_talent(form: Form, alice: User) -> None:
    secret = reachable(
        alice, email="board@example.com", pools=[make_pool("Board", is_private=True)]
    )

    sent = send_follow_up(form, secret, actor=None, key="rule:7:event:42")

    assert sent is True
    [event] = links_sent(secret)
    assert (event.actor, event.actor_label) == (None, "")


def test_a_selection_counts_who_got_the_form_and_why_the_others_did_not(
    form: Form, rita: User, alice: User
) -> None:
    reached = [reachable(rita, email=f"t{n}@example.com") for n in range(2)]
    no_email = make_talent(rita, email="")
    suppressed = reachable(rita, email="gone@example.com")
    suppress(suppressed.email, Suppression.Reason.ERASED)
    no_consent = make_talent(rita)
    hidden = reachable(alice, pools=[make_pool("Board", is_private=True)])
    deleted = reachable(rita)
    ids = [t.pk for t in [*reached, no_email, suppressed, no_consent, hidden, deleted]]
    deleted.delete()

    counts = bulk_send_follow_up(form, ids, actor=rita, batch_key="batch-1")

    assert counts == {
        "sent": 2,
        "no_email": 1,
        "suppressed": 1,
        "no_consent": 1,
        "not_visible": 2,
    }
    assert sorted(OutboundEmail.objects.values_list("to_email", flat=True)) == [
        "t0@example.com",
        "t1@example.com",
    ]


def test_the_same_selection_sent_twice_with_one_batch_key_emails_nobody_twice(
    form: Form, rita: User
) -> None:
    ids = [reachable(rita).pk for _ in range(2)]

    first = bulk_send_follow_up(form, ids, actor=rita, batch_key="batch-1")
    again = bulk_send_follow_up(form, ids, actor=rita, batch_key="batch-1")

    assert first == {"sent": 2}
    assert again == {"already_sent": 2}
    assert OutboundEmail.objects.count() == 2


def test_a_selection_of_up_to_100_is_sent_while_the_page_waits(
    form: Form, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    ids = [reachable(rita).pk for _ in range(3)] + [make_talent(rita, email="").pk]

    with django_capture_on_commit_callbacks():
        message = send_to_selection(form, ids, actor=rita, batch_key="batch-1")

    assert message == (
        "Follow-up form “Update your profile” sent to 3 talents. 1 skipped (no email address: 1)."
    )
    assert OutboundEmail.objects.count() == 3


def test_a_selection_of_more_than_100_is_sent_in_the_background(
    form: Form, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    ids = [reachable(rita).pk for _ in range(101)]

    with django_capture_on_commit_callbacks() as callbacks:
        message = send_to_selection(form, ids, actor=rita, batch_key="batch-1")

    assert message.startswith(
        "The follow-up form “Update your profile” is being sent to 101 talents."
    )
    assert not OutboundEmail.objects.exists()
    for callback in callbacks:
        callback()
    assert OutboundEmail.objects.count() == 101


def test_the_background_task_run_twice_emails_nobody_twice(form: Form, rita: User) -> None:
    ids = [reachable(rita).pk for _ in range(2)] + [make_talent(rita, email="").pk]

    first = send_follow_up_forms.call(form.pk, ids, rita.pk, "batch-1")
    again = send_follow_up_forms.call(form.pk, ids, rita.pk, "batch-1")

    assert first == {"sent": 2, "no_email": 1}
    assert again == {"already_sent": 2, "no_email": 1}
    assert OutboundEmail.objects.count() == 2


def test_an_inactive_form_cannot_be_sent_to_a_selection(rita: User) -> None:
    form = make_follow_up_form(is_active=False)

    with pytest.raises(FollowUpRefused):
        send_to_selection(form, [reachable(rita).pk], actor=rita, batch_key="batch-1")

    assert not OutboundEmail.objects.exists()


def test_a_selection_leaves_out_who_got_the_same_form_less_than_a_day_ago(
    form: Form, lena: Talent, rita: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    send_follow_up(form, lena, actor=rita, key="page-1")
    other = reachable(rita)

    again = bulk_send_follow_up(form, [lena.pk, other.pk], actor=rita, batch_key="batch-2")
    time_machine.shift(datetime.timedelta(days=1, minutes=1))
    next_day = bulk_send_follow_up(form, [lena.pk], actor=rita, batch_key="batch-3")

    assert again == {"sent": 1, "sent_recently": 1}
    assert next_day == {"sent": 1}
    assert len(links_sent(lena)) == 2


def test_a_large_selection_is_not_sent_once_its_sender_may_no_longer_edit(
    form: Form, rita: User
) -> None:
    ids = [reachable(rita).pk for _ in range(2)]
    rita.role = User.Role.VIEWER
    rita.save()

    counts = send_follow_up_forms.call(form.pk, ids, rita.pk, "batch-1")

    assert counts == {}
    assert not OutboundEmail.objects.exists()
