"""The legal-hold form on the deletion forecast page."""

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import LegalBasis
from .audit import DateInput

REASON_MAX = LegalBasis._meta.get_field("legal_hold_reason").max_length


class LegalHoldForm(forms.Form):
    """A legal hold needs both a reason and an end date (R17)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("For example a pending lawsuit or an authority's request."),
        error_messages={"required": _("Give the reason for the hold.")},
    )
    until = forms.DateField(
        label=_("Hold until"),
        widget=DateInput(),
        error_messages={"required": _("Give the day the hold ends.")},
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, talent_id: int) -> None:
        # One form per talent on the page: the prefix keeps their fields apart.
        super().__init__(data, prefix=f"hold-{talent_id}")
        self.talent_id = talent_id

    def clean_until(self) -> datetime.date:
        until: datetime.date = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise ValidationError(_("The hold must end today or later."))
        return until
