"""The outbox against a real SMTP server: what arrives, how often, and what the timeline says."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import timezone
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.outreach import services
from silverpool.outreach.models import OutboundEmail
from silverpool.outreach.services import delivery
from silverpool.outreach.tasks import send_due_emails
from silverpool.privacy.links import basis_for_privacy_token
from silverpool.privacy.models import ConsentRecord
from silverpool.privacy.services import ConsentGrant, record_consent, withdraw_consent
from silverpool.talents.models import Event, Talent
from silverpool.talents.services import delete_talent

from ..mailserver import MailServer
from ..talents.factories import make_talent
from .factories import CONSENT_URL, queue_consent_request

Callbacks = Callable[..., AbstractContextManager[Any]]
START = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)
FOOTER = "See, download or delete your data, or withdraw consent: "


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


def queued(callbacks: Callbacks, talent: Talent | None, **kwargs: Any) -> OutboundEmail:
    """Queue a consent request and commit, which hands it to the (immediate) worker."""
    with callbacks(execute=True):
        email = queue_consent_request(talent, **kwargs)
    email.refresh_from_db()
    return email


def events(talent: Talent, kind: Event.Kind) -> list[Event]:
    return list(talent.events.filter(kind=kind))


def test_a_queued_email_arrives_once_with_the_link_to_the_privacy_page(
    smtp_server: MailServer, lena: Talent, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    email = queued(django_capture_on_commit_callbacks, lena, actor=rita)

    [message] = smtp_server.messages
    body = message.get_content()
    assert message["To"] == "lena@example.com"
    assert message["Subject"] == "May we keep your profile in our talent pool?"
    assert message["Message-ID"] == email.message_id
    assert body.startswith("Hello Lena,")
    assert CONSENT_URL in body
    assert "by 15 Mar 2027" in body
    footer = body.rstrip().splitlines()[-1]
    assert footer.startswith(FOOTER + settings.SITE_URL)
    token = resolve(urlsplit(footer.removeprefix(FOOTER)).path).kwargs["token"]
    assert basis_for_privacy_token(token) == lena.legal_basis
    assert (email.state, email.attempts, email.sent_at is not None) == ("sent", 1, True)
    [sent] = events(lena, Event.Kind.EMAIL_SENT)
    assert sent.actor == rita
    assert sent.data == {"subject": email.subject, "template": "consent_request"}


def test_the_same_idempotency_key_sends_one_email(
    smtp_server: MailServer, lena: Talent, django_capture_on_commit_callbacks: Callbacks
) -> None:
    first = queued(django_capture_on_commit_callbacks, lena, key="consent:7")
    second = queued(django_capture_on_commit_callbacks, lena, key="consent:7")

    assert second.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_an_email_to_an_address_without_a_talent_has_no_privacy_footer(
    smtp_server: MailServer, db: None, django_capture_on_commit_callbacks: Callbacks
) -> None:
    queued(django_capture_on_commit_callbacks, None, to="someone@example.com")

    [message] = smtp_server.messages
    assert message["To"] == "someone@example.com"
    assert FOOTER not in message.get_content()


def test_a_temporary_refusal_is_retried_later_and_delivered_once(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    smtp_server.refuse_next("451 4.7.1 Greylisted, please try again later")

    email = queued(django_capture_on_commit_callbacks, lena)

    assert smtp_server.messages == []
    assert (email.state, email.attempts) == ("queued", 1)
    assert email.next_attempt_at == START + datetime.timedelta(minutes=5)
    assert "451" in email.last_error
    clock.shift(datetime.timedelta(minutes=3))
    send_due_emails.call()
    assert smtp_server.messages == []

    clock.shift(datetime.timedelta(minutes=4))
    send_due_emails.call()
    send_due_emails.call()

    email.refresh_from_db()
    assert len(smtp_server.to("lena@example.com")) == 1
    assert (email.state, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(events(lena, Event.Kind.EMAIL_SENT)) == 1


def test_an_unreachable_mail_server_is_tried_again(
    lena: Talent, settings: Any, django_capture_on_commit_callbacks: Callbacks
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Port 9 (discard) is closed on loopback: the connection is refused.
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }

    email = queued(django_capture_on_commit_callbacks, lena)

    assert (email.state, email.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in email.last_error


def test_a_permanent_refusal_fails_at_once_and_shows_on_the_timeline(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    smtp_server.refuse_next("550 5.1.1 No such user here")

    email = queued(django_capture_on_commit_callbacks, lena)
    clock.shift(datetime.timedelta(hours=12))
    send_due_emails.call()

    email.refresh_from_db()
    assert smtp_server.messages == []
    assert (email.state, email.attempts) == ("failed", 1)
    [failed] = events(lena, Event.Kind.EMAIL_FAILED)
    assert "550" in failed.data["error"]
    assert failed.data["template"] == "consent_request"
    assert events(lena, Event.Kind.EMAIL_SENT) == []


def test_an_email_gives_up_after_six_temporary_refusals(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    smtp_server.refuse_next(*["452 4.2.2 Mailbox full"] * 7)

    email = queued(django_capture_on_commit_callbacks, lena)
    waits = []
    while email.state == "queued":
        waits.append((email.next_attempt_at - timezone.now()) / datetime.timedelta(minutes=1))
        clock.move_to(email.next_attempt_at + delivery.OVERDUE)
        send_due_emails.call()
        email.refresh_from_db()

    assert waits == [5, 15, 45, 135, 405]
    assert (email.state, email.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert len(events(lena, Event.Kind.EMAIL_FAILED)) == 1
    assert smtp_server.messages == []


def test_an_email_whose_worker_died_before_sending_is_sent_by_the_scheduler(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_consent_request(lena)
    # A worker claimed it and was killed before it connected to the mail server.
    OutboundEmail.objects.filter(pk=email.pk).update(
        state="sending", attempts=1, lease_until=START + delivery.LEASE
    )

    send_due_emails.call()
    assert smtp_server.messages == []
    clock.shift(delivery.LEASE + datetime.timedelta(seconds=1))
    send_due_emails.call()
    send_due_emails.call()

    email.refresh_from_db()
    assert len(smtp_server.messages) == 1
    assert (email.state, email.attempts) == ("sent", 2)


def test_an_email_whose_worker_dies_on_every_attempt_fails_in_the_end(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_consent_request(lena)
    OutboundEmail.objects.filter(pk=email.pk).update(
        state="sending", attempts=delivery.MAX_ATTEMPTS, lease_until=START
    )
    clock.shift(datetime.timedelta(minutes=2))

    send_due_emails.call()

    email.refresh_from_db()
    assert email.state == "failed"
    assert smtp_server.messages == []
    assert len(events(lena, Event.Kind.EMAIL_FAILED)) == 1


def test_a_worker_killed_after_the_server_accepted_causes_one_duplicate_at_most(
    smtp_server: MailServer,
    lena: Talent,
    clock: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    """The window the delivery docstring describes: both copies have one Message-ID."""
    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_sent", lambda email: None)  # killed before recording
        email = queued(django_capture_on_commit_callbacks, lena)
    assert email.state == "sending"

    clock.shift(delivery.LEASE + datetime.timedelta(minutes=1))
    send_due_emails.call()
    clock.shift(datetime.timedelta(hours=1))
    send_due_emails.call()

    email.refresh_from_db()
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == email.message_id
    assert email.state == "sent"


def test_a_line_break_in_the_address_is_refused_and_nothing_is_queued(
    smtp_server: MailServer, lena: Talent
) -> None:
    with pytest.raises(ValueError, match="line breaks"):
        queue_consent_request(lena, to="lena@example.com\r\nBcc: eve@example.com")
    with pytest.raises(ValueError, match="Not an email address"):
        queue_consent_request(lena, to="lena@example.com, eve@example.com")

    assert OutboundEmail.objects.count() == 0


def test_a_line_break_in_a_name_cannot_add_a_header(
    smtp_server: MailServer,
    lena: Talent,
    alice: User,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    Talent.objects.filter(pk=lena.pk).update(first_name="Lena\r\nBcc: eve@example.com")
    lena.refresh_from_db()
    services.save_template(
        "consent_request", "en", subject="Hello {{ first_name }}", body="Hi", actor=alice
    )

    queued(django_capture_on_commit_callbacks, lena)

    [message] = smtp_server.messages
    assert message["Subject"] == "Hello Lena Bcc: eve@example.com"
    assert message["Bcc"] is None
    assert smtp_server.to("eve@example.com") == []


def test_erasing_a_talent_removes_its_queued_emails(
    smtp_server: MailServer,
    lena: Talent,
    alice: User,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_consent_request(lena)

    delete_talent(lena, actor=alice)
    for callback in callbacks:
        callback()

    assert OutboundEmail.objects.count() == 0
    assert smtp_server.messages == []


def test_cancelled_emails_are_not_sent(
    smtp_server: MailServer, lena: Talent, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_consent_request(lena)

    assert services.cancel_emails_for(lena) == 1
    for callback in callbacks:
        callback()
    send_due_emails.call()

    email.refresh_from_db()
    assert email.state == "cancelled"
    assert smtp_server.messages == []


def test_a_campaign_goes_only_to_talents_who_consent_to_campaigns_when_it_is_sent(
    smtp_server: MailServer, lena: Talent, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    anna = make_talent(first_name="Anna", email="anna@example.com")
    for talent in (lena, anna):
        grant = ConsentGrant(
            method=ConsentRecord.Method.RECRUITER,
            language="en",
            given=["talent_pool", "email_campaigns"],
            recorded_by=rita,
        )
        record_consent(talent, grant, actor=rita)
    campaign = OutboundEmail.Kind.CAMPAIGN
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        to_lena = queue_consent_request(lena, key="campaign:1:lena", kind=campaign)
        to_anna = queue_consent_request(anna, key="campaign:1:anna", kind=campaign)
    # Anna withdraws after the campaign was queued, before it goes out (R11).
    withdraw_consent(
        anna, ["email_campaigns"], method=ConsentRecord.Method.PRIVACY_PAGE, actor=None
    )

    for callback in callbacks:
        callback()

    to_lena.refresh_from_db()
    to_anna.refresh_from_db()
    assert [message["To"] for message in smtp_server.messages] == ["lena@example.com"]
    assert (to_lena.state, to_anna.state) == ("sent", "cancelled")
