"""Putting email into the outbox: the one way Silverpool sends email to anyone."""

from collections.abc import Mapping
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from ...accounts.models import User
from ...privacy.links import privacy_url
from ...talents.models import Talent
from ..models import OutboundEmail
from .templates import company_name, email_language, privacy_footer, render_email


def _recipient(to: str | None, talent: Talent | None) -> str:
    """The address to send to, refusing anything that could add a header of its own."""
    address = to if to is not None else (talent.email if talent is not None else "")
    if "\r" in address or "\n" in address:
        raise ValueError("An email address must not contain line breaks.")
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValueError(f"Not an email address: {address!r}") from exc
    return address


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "silverpool"
    return make_msgid(domain=domain)


@transaction.atomic
def queue_email(
    *,
    template: str,
    language: str,
    context: Mapping[str, Any],
    talent: Talent | None,
    to: str | None = None,
    idempotency_key: str,
    actor: User | None,
    kind: OutboundEmail.Kind = OutboundEmail.Kind.PRIVACY,
) -> OutboundEmail:
    """Render template `template` now and queue it for sending after the transaction
    commits. Sent to `to`, or else the talent's address.

    Idempotent on `idempotency_key`: a second call with the same key returns the first
    email and queues nothing, so callers derive the key from what the email is about
    (e.g. `consent-request:<request id>`). The talent's names, the company and the
    privacy-page link are filled in; `context` adds or overrides placeholders. Every
    email to a talent ends with the link to their privacy page.

    Raises ValueError for an address that is not exactly one email address.
    """
    existing = OutboundEmail.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    address = _recipient(to, talent)
    language = email_language(language)
    values: dict[str, Any] = {"company": company_name(language)}
    link = ""
    if talent is not None:
        link = privacy_url(talent.legal_basis)
        values |= {"first_name": talent.first_name, "last_name": talent.last_name}
        values["privacy_url"] = link
    subject, body = render_email(template, language, {**values, **context})
    if talent is not None:
        body = privacy_footer(body, link, language)
    email = OutboundEmail(
        talent=talent,
        to_email=address,
        subject=subject[:500],
        body_text=body,
        language=language,
        template=template,
        kind=kind,
        idempotency_key=idempotency_key,
        message_id=_message_id(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # The same key was queued concurrently: that email is the one.
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    from ..tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def cancel_emails_for(talent: Talent) -> int:
    """Stop every email still queued for `talent`, e.g. when they withdraw or object.
    One being sent right now cannot be called back. Returns how many were stopped."""
    return OutboundEmail.objects.filter(talent=talent, state=OutboundEmail.State.QUEUED).update(
        state=OutboundEmail.State.CANCELLED
    )
