"""Login throttling: five failed logins for one username, or from one address, within
15 minutes refuse further attempts until the oldest of those five is 15 minutes old.

Failures are rows in the database (LoginFailure), so every web process on every machine
counts the same ones. While locked out, the password is not even checked, so a locked
account cannot be used to test guesses.
"""

import datetime
import ipaddress

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure, User

MAX_FAILURES = 5
WINDOW = datetime.timedelta(minutes=15)
# Where the address cannot be read (a Unix socket): all such clients share one count.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder value, nothing binds to it


class LoginLocked(Exception):
    """Too many failed logins; another attempt is accepted from `until` on."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(until)
        self.until = until


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind our proxy (BEHIND_HTTPS_PROXY) that is the last
    X-Forwarded-For entry, the one the proxy added: the client can make up earlier ones."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.BEHIND_HTTPS_PROXY:
        candidates.insert(0, request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return UNKNOWN_ADDRESS


def _username_key(username: str) -> str:
    return username.strip().lower()[:150]


def login_locked_until(username: str, address: str) -> datetime.datetime | None:
    """When a login for `username` from `address` is accepted again; None: it is now."""
    recent = LoginFailure.objects.filter(created_at__gt=timezone.now() - WINDOW)
    ends = []
    for failures in (
        recent.filter(username=_username_key(username)),
        recent.filter(ip_address=address),
    ):
        newest = failures.order_by("-created_at").values_list("created_at", flat=True)
        times = list(newest[:MAX_FAILURES])
        if len(times) == MAX_FAILURES:
            ends.append(times[-1] + WINDOW)
    return max(ends, default=None)


def authenticate(request: HttpRequest, *, username: str, password: str) -> User | None:
    """Django's authenticate, refused while the username or the address is locked out.

    A failure counts towards the lockout; a success forgets this username's failures.
    Raises LoginLocked, also when this very failure is the one that locks.
    """
    address = client_address(request)
    until = login_locked_until(username, address)
    if until is not None:
        raise LoginLocked(until)
    user = auth.authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=_username_key(username), ip_address=address)
        until = login_locked_until(username, address)
        if until is not None:
            raise LoginLocked(until)
        return None
    assert isinstance(user, User)  # AUTH_USER_MODEL
    LoginFailure.objects.filter(username=_username_key(username)).delete()
    return user


def delete_old_login_failures() -> int:
    """Forget failures older than the window: they lock nothing, and addresses are personal data."""
    deleted, _ = LoginFailure.objects.filter(created_at__lte=timezone.now() - WINDOW).delete()
    return deleted
