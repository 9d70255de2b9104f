"""API authentication: personal tokens for machines, the session (with CSRF) for the browser."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken, User, hash_token
from .services import record_token_use


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token whose SHA-256 matches `raw`, with its (active) user."""
    found = (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    record_token_use(found)
    return found


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sp_…`; `request.auth` is the ApiToken, `request.user` its user."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = authenticate_token(token)
        if found is None:
            return None
        request.user = found.user
        # The session middleware chose the language before the user was known.
        translation.activate(found.user.language)
        return found


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Unsafe methods must carry the CSRF token.

    Anonymous requests fall through to a 401 without a CSRF check: only a logged-in
    session is an ambient credential a forged cross-site request could ride on.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)  # APIKeyCookie runs Django's CSRF check here

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if key and isinstance(user, User) else None


def api_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts as (token or session)."""
    user = request.user
    assert isinstance(user, User)
    return user


def api_source_label(request: HttpRequest) -> str:
    """How a talent created through the API names its source: the token's name."""
    auth = getattr(request, "auth", None)
    return auth.name if isinstance(auth, ApiToken) else "API"


def docs_login_required[V: Callable[..., HttpResponse]](view: V) -> V:
    """The OpenAPI document and the docs page are for users only (ASVS 13.4.5).

    A logged-in session or a valid API token (so clients can generate code) is enough.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if not (user is not None and user.is_authenticated) and TokenAuth()(request) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
