"""Forms of the privacy settings page: the policy, and a purpose with its consent texts."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Policy, Purpose
from ..services.settings import POLICY_FIELDS

# Renewal is asked this many days before consent ends; a month has at least 28.
DAYS_PER_MONTH = 28


class PolicyForm(forms.ModelForm[Policy]):
    """The model's validators give the per-field limits; `clean` checks the fields
    against each other."""

    reminder_days = forms.CharField(
        label=_("Reminders, days before the deadline"),
        required=False,
        help_text=_("For example “7, 2”: a week and two days before. Leave empty for none."),
    )

    class Meta:
        model = Policy
        fields = POLICY_FIELDS
        widgets = {
            "batch_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "controller_contact": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["reminder_days"] = ", ".join(str(day) for day in self.instance.reminder_days)

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"].strip()
        if not text:
            return []
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        if not all(part.isdigit() and int(part) > 0 for part in parts):
            raise ValidationError(_("Enter whole numbers of days above 0, separated by commas."))
        days = sorted({int(part) for part in parts}, reverse=True)
        if len(days) != len(parts):
            raise ValidationError(_("Each reminder day may appear only once."))
        return days

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deadline = cleaned.get("consent_deadline_days")
        reminders = cleaned.get("reminder_days")
        if deadline and reminders and max(reminders) >= deadline:
            self.add_error(
                "reminder_days",
                _("Reminders must come before the deadline: use fewer than %(days)d days.")
                % {"days": deadline},
            )
        months = cleaned.get("consent_validity_months")
        notice = cleaned.get("renewal_notice_days")
        if months and notice and notice >= months * DAYS_PER_MONTH:
            self.add_error(
                "renewal_notice_days",
                _("Ask for renewal within the consent's validity: use fewer than %(days)d days.")
                % {"days": months * DAYS_PER_MONTH},
            )
        return cleaned


class PurposeForm(forms.Form):
    """A purpose's names and its consent text in both languages. Saving a changed text
    publishes a new version; the key is fixed once the purpose exists."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Short and fixed once created, e.g. “newsletter”. Used by the API."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_de = forms.CharField(label=_("Name (German)"), max_length=120)
    text_en = forms.CharField(
        label=_("Consent text (English)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the talent agrees to. Saving a changed text makes a new version."),
    )
    text_de = forms.CharField(
        label=_("Consent text (German)"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(
        self, *args: Any, purpose: Purpose | None = None, texts: dict[str, str], **kwargs: Any
    ) -> None:
        if purpose is not None:
            kwargs.setdefault(
                "initial",
                {
                    "key": purpose.key,
                    "name_en": purpose.name_en,
                    "name_de": purpose.name_de,
                    "text_en": texts.get("en", ""),
                    "text_de": texts.get("de", ""),
                },
            )
        super().__init__(*args, **kwargs)
        self.purpose = purpose
        # A disabled field always yields its initial value: the key cannot change.
        self.fields["key"].disabled = purpose is not None

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if self.purpose is None and Purpose.objects.filter(key=key).exists():
            raise ValidationError(_("A purpose with this key exists already."))
        return key

    def texts(self) -> dict[str, str]:
        return {"en": self.cleaned_data["text_en"], "de": self.cleaned_data["text_de"]}
