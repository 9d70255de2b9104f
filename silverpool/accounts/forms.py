"""Forms of the accounts pages. They only parse input; the services validate and save."""

import datetime
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

from . import throttling
from .models import User


class LoginForm(AuthenticationForm):
    """Django's login form, checked through login throttling."""

    locked_until: datetime.datetime | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        assert self.request is not None  # the login view always passes it
        try:
            user = throttling.authenticate(self.request, username=username, password=password)
        except throttling.LoginLocked as locked:
            self.locked_until = locked.until
            raise ValidationError(_locked_message(locked.until), code="locked") from None
        if user is None:
            raise self.get_invalid_login_error()
        self.user_cache = user
        self.confirm_login_allowed(user)
        return self.cleaned_data


def _locked_message(until: datetime.datetime) -> str:
    minutes = math.ceil((until - timezone.now()).total_seconds() / 60)
    return ngettext(
        "Too many failed login attempts. Please wait %(minutes)d minute and try again "
        "(at %(time)s).",
        "Too many failed login attempts. Please wait %(minutes)d minutes and try again "
        "(at %(time)s).",
        minutes,
    ) % {"minutes": minutes, "time": date_format(timezone.localtime(until), "H:i")}


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    # Each language in its own name ("Deutsch"), so that it can be found whatever is shown.
    language = forms.ChoiceField(
        label=_("Interface language"),
        choices=[(code, get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES],
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to log in. Letters, digits and @/./+/-/_ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell the user; they can change it after logging in."),
    )


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Inactive users cannot log in, and their API tokens stop working."),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Careers site import”."),
    )
