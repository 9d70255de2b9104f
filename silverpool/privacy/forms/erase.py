"""The confirmation form of erasure on request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DataSubjectRequest


class ErasureForm(forms.Form):
    """How the talent asked: the data-subject request list keeps it."""

    channel = forms.ChoiceField(
        label=_("The talent asked by"),
        choices=DataSubjectRequest.Channel.choices,
        initial=DataSubjectRequest.Channel.EMAIL,
        error_messages={"required": _("Choose how the talent asked.")},
    )
