"""Keeping bots and floods off the public forms without a third-party captcha: a signed,
timestamped token in every form (a minimum fill time, and a form sent from a page that
was really served), a honeypot field, and rate limits per address and per form.

Embedded forms get no cookies in many browsers (SameSite, Safari), so nothing here needs
a session: the token carries what is needed, the Origin header shows where a post came from.
"""

import datetime
import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone

from ..models import Form, FormHit

TOKEN_SALT = "silverpool.webforms.token"  # noqa: S105 - a salt names a use, it is no secret
# A page left open over a weekend still sends; an older token is reissued with the values kept.
TOKEN_MAX_AGE = datetime.timedelta(days=3)
RATE_WINDOW = datetime.timedelta(minutes=10)
HONEYPOT = "website"


class TokenProblem(Exception):
    """The form's token is missing, tampered with or expired; `expired` tells which."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class RateLimited(Exception):
    """Too many submissions; the next one is accepted after `retry_after` seconds."""

    retry_after: int


def form_token(form: Form) -> str:
    return signing.dumps([form.public_id, time.time()], salt=TOKEN_SALT)


def token_age(form: Form, token: str) -> datetime.timedelta:
    """How long ago the page with `token` was served; raises TokenProblem."""
    try:
        public_id, issued = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenProblem(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenProblem(expired=False) from exc
    if public_id != form.public_id or not isinstance(issued, float | int):
        raise TokenProblem(expired=False)
    return datetime.timedelta(seconds=time.time() - issued)


def too_fast(age: datetime.timedelta) -> bool:
    """Sent sooner after the page was served than a person can fill in a form."""
    return age < datetime.timedelta(seconds=settings.FORM_MIN_FILL_SECONDS)


def own_origin() -> str:
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def same_origin(origin: str | None, host_origin: str) -> bool:
    """Whether a post's Origin header names Silverpool itself. Browsers send it with every
    form post; one without it (an old client, a script) is let through to the token check."""
    if origin is None:
        return True
    return origin in {own_origin(), host_origin}


def client_key(address: str) -> str:
    """The address as counted: a keyed hash, so the table holds no IP addresses."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def count_submission(form: Form, address: str) -> None:
    """Count one submission attempt; raises RateLimited past either limit."""
    _one_count_at_a_time()
    now = timezone.now()
    since = now - RATE_WINDOW
    key = client_key(address)
    for hits, limit in (
        (FormHit.objects.filter(client=key), settings.FORM_SUBMISSIONS_PER_ADDRESS),
        (FormHit.objects.filter(form=form), settings.FORM_SUBMISSIONS_PER_FORM),
    ):
        recent = hits.filter(created_at__gt=since).order_by("-created_at")
        times = list(recent.values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            oldest = times[-1]
            raise RateLimited(retry_after=max(1, int((oldest + RATE_WINDOW - now).total_seconds())))
    FormHit.objects.create(form=form, client=key)


def _one_count_at_a_time() -> None:
    # Two requests counting at once would both see the last free slot. Locking the form's
    # row would not do: one address sending to several forms would still slip through. This
    # lock mode excludes itself but not readers, and is held for a count and an insert.
    # SQLite runs one write transaction at a time anyway (transaction_mode IMMEDIATE).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {FormHit._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def forget_old_hits() -> int:
    deleted, _ = FormHit.objects.filter(created_at__lte=timezone.now() - RATE_WINDOW).delete()
    return deleted
