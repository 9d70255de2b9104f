"""Sending what is in the outbox: claim, check, send, record, retry.

Delivery is at least once, and in all but one case exactly once. The one window: the SMTP
server accepted the message, and the worker was killed before it marked the email as sent.
The lease then expires and the email is sent again, so the talent gets it twice at most.
No protocol closes that window (SMTP has no idempotency key); both copies carry the same
Message-ID, which lets mail clients that de-duplicate show it once.
"""

import datetime
import logging
import smtplib

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ...privacy.models import Purpose
from ...privacy.services import may_email
from ...talents.models import Event
from ...talents.services.events import record_event
from ..models import OutboundEmail

logger = logging.getLogger(__name__)

State = OutboundEmail.State
# A send takes seconds (the SMTP timeout is 30 s); a lease this long outlives any of them.
LEASE = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 6
# Waits of 5, 15, 45 minutes, then 2¼ and 6¾ hours: about ten hours of trying in all,
# enough for a greylisting server or a mail server that is down for the night.
RETRY_BASE = datetime.timedelta(minutes=5)
RETRY_FACTOR = 3
# The scheduler leaves fresh emails to the task enqueued when they were queued.
OVERDUE = datetime.timedelta(minutes=1)
REAPER_BATCH = 500


def _abandoned(now: datetime.datetime) -> Q:
    # A worker that died mid-send leaves an expired lease.
    return Q(state=State.SENDING, lease_until__lt=now)


def _claimable(now: datetime.datetime) -> Q:
    return Q(state=State.QUEUED, next_attempt_at__lte=now) | _abandoned(now)


def due_emails(now: datetime.datetime | None = None) -> list[int]:
    """Ids of emails a worker should try now: queued ones that are overdue (their task got
    lost, or a retry is due) and those whose worker died mid-send."""
    now = now or timezone.now()
    overdue = Q(state=State.QUEUED, next_attempt_at__lte=now - OVERDUE)
    emails = OutboundEmail.objects.filter(overdue | _abandoned(now))
    emails = emails.order_by("next_attempt_at", "id")
    return list(emails.values_list("pk", flat=True)[:REAPER_BATCH])


def deliver_email(email_id: int) -> None:
    """Send one email from the outbox if it is due, and record the outcome. Idempotent:
    the row is claimed with a conditional UPDATE, so a duplicate task does nothing.

    Talent emails are checked again at send time: an erased talent's emails are gone
    with it, and a campaign goes out only while the talent consents to campaigns (R11).
    Privacy emails (consent requests, notices) go to anyone with an address: they ask
    for consent or inform. Temporary failures (4xx, connection trouble) are retried
    with growing waits up to MAX_ATTEMPTS; a permanent one (5xx) fails at once.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(_claimable(now), pk=email_id).update(
        state=State.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    email = OutboundEmail.objects.select_related("talent", "created_by").get(pk=email_id)
    if email.attempts > MAX_ATTEMPTS:
        _fail(email, "The worker stopped while sending, on every attempt.")
        return
    if email.kind == OutboundEmail.Kind.CAMPAIGN and (
        email.talent is None or not may_email(email.talent, Purpose.EMAIL_CAMPAIGNS)
    ):
        _finish(email, State.CANCELLED, error="No consent to campaign emails at send time.")
        return
    try:
        _send(email)
    # Whatever the mail backend raises is recorded on the email, never lost in a worker log.
    except Exception as exc:
        _failed_attempt(email, exc)
        return
    _sent(email)


def _send(email: OutboundEmail) -> None:
    message = EmailMessage(
        subject=email.subject,
        body=email.body_text,
        to=[email.to_email],
        headers={"Message-ID": email.message_id},
    )
    message.send(using="default")


@transaction.atomic
def _sent(email: OutboundEmail) -> None:
    if not _finish(email, State.SENT, error="", sent_at=timezone.now()):
        return
    if email.talent is not None:
        record_event(
            email.talent,
            Event.Kind.EMAIL_SENT,
            actor=email.created_by,
            subject=email.subject,
            template=email.template,
        )


def _finish(email: OutboundEmail, state: str, *, error: str, **fields: object) -> bool:
    """Leave the sending state; False if the email is no longer ours (erased meanwhile)."""
    return bool(
        OutboundEmail.objects.filter(pk=email.pk, state=State.SENDING).update(
            state=state, lease_until=None, last_error=error[:2000], **fields
        )
    )


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # Disconnects, refused connections and timeouts.
    return isinstance(exc, smtplib.SMTPException | OSError)


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _failed_attempt(email: OutboundEmail, exc: Exception) -> None:
    error = _describe(exc)
    if _is_temporary(exc) and email.attempts < MAX_ATTEMPTS:
        wait = RETRY_BASE * RETRY_FACTOR ** (email.attempts - 1)
        logger.warning(
            "Email %s: attempt %s failed (%s), retrying", email.pk, email.attempts, error
        )
        _finish(email, State.QUEUED, error=error, next_attempt_at=timezone.now() + wait)
        return
    logger.error("Email %s failed: %s", email.pk, error)
    _fail(email, error)


@transaction.atomic
def _fail(email: OutboundEmail, error: str) -> None:
    if not _finish(email, State.FAILED, error=error):
        return
    if email.talent is not None:
        record_event(
            email.talent,
            Event.Kind.EMAIL_FAILED,
            actor=email.created_by,
            subject=email.subject,
            template=email.template,
            error=error[:300],
        )
