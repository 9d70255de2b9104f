"""Sending a follow-up form from the talent pages: which form, and the key that makes a
double click send one email (webforms.services.send_follow_up)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ...webforms import services as webforms
from ...webforms.models import Form


class SendKeyField(forms.RegexField):
    """The key rendered into the page with each "Send follow-up form" button."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            r"^[A-Za-z0-9_-]{8,40}$",
            error_messages={
                "required": _("The page was out of date. Please reload it and send again."),
                "invalid": _("The page was out of date. Please reload it and send again."),
            },
            **kwargs,
        )


class FollowUpFormChoice(forms.ModelChoiceField[Form]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=webforms.follow_up_forms(),
            label=_("Follow-up form"),
            empty_label=_("Follow-up form…"),
            error_messages={
                "required": _("Choose a follow-up form."),
                "invalid_choice": _("This follow-up form is no longer active."),
            },
            **kwargs,
        )


class FollowUpSendForm(forms.Form):
    """The profile's "Send follow-up form"."""

    follow_up_form = FollowUpFormChoice()
    key = SendKeyField()
