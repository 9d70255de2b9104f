"""Users, roles and API tokens: the only way other code changes them."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# Recording every use would turn each API read into a write; once a minute is enough to
# tell a live token from a forgotten one.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def require_admin(user: User) -> None:
    """Users and roles are the admins' business; everyone else gets a 403."""
    if not user.is_admin:
        raise PermissionDenied(_("Only admins can do this."))


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "en",
) -> User:
    """Create a user who can log in with `username` and the initial `password`.

    Usernames are unique regardless of case, so "Anna" and "anna" cannot both exist.
    """
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is already taken.")]})
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        role=role,
        language=language,
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def update_user(
    user: User,
    *,
    actor: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    language: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change the given fields of `user`; fields left as None stay as they are.

    Only admins change roles, the active flag or another user's password. An admin can
    neither take away their own admin role nor deactivate themselves, so there is always
    at least one admin who can log in.
    """
    if (role is not None or is_active is not None or user.pk != actor.pk) and not actor.is_admin:
        raise PermissionDenied(_("Only admins can do this."))
    demoting = user.role == User.Role.ADMIN and role not in (None, User.Role.ADMIN)
    if user.pk == actor.pk and demoting:
        raise ValidationError({"role": [_("You cannot remove your own admin role.")]})
    if user.pk == actor.pk and is_active is False:
        raise ValidationError({"is_active": [_("You cannot deactivate yourself.")]})
    if language is not None and language not in LANGUAGE_CODES:
        raise ValidationError({"language": [_("Choose English or German.")]})

    changes = {
        "first_name": first_name.strip() if first_name is not None else None,
        "last_name": last_name.strip() if last_name is not None else None,
        "email": User.objects.normalize_email(email.strip()) if email is not None else None,
        "language": language,
        "role": role,
        "is_active": is_active,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(user, name, value)
    try:
        if password:
            _check_password(password, user)
            user.set_password(password)
        user.full_clean()
    except ValidationError:
        # The caller may be rendering this very user (the top bar): undo the rejected values.
        user.refresh_from_db()
        raise
    user.save()
    return user


@transaction.atomic
def issue_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new API token for `user`; the raw key is returned here and never again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, e.g. the script that uses it.")]})
    return ApiToken.issue(user, name[:100])


def get_token_for(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anybody else's answers 404."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    return token


def revoke_token(token: ApiToken) -> bool:
    """Revoke a token at once; returns False if it was already revoked."""
    # A conditional update: of two clicks at once, only one revokes (and reports it).
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        token.revoked_at = now
    return bool(revoked)


def record_token_use(token: ApiToken) -> None:
    """Note that `token` was just used, at most once per LAST_USED_RESOLUTION.

    Within it, `token.last_used_at` (as read with the token) says the use is recorded,
    so most requests make no query for it at all.
    """
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
