"""The decisions on the preview page: what happens to existing talents and invalid rows,
and what every imported talent gets (pools, tags, status, owner, consent handling)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...accounts.models import User
from ...talents.forms.talent import TagNamesField, assignable_owners
from ...talents.services import get_or_create_tag, pools_visible_to
from .. import services
from ..models import ImportJob

Consent = ImportJob.Consent


class DecisionsForm(forms.ModelForm[ImportJob]):
    """Saved on the job before it starts. Consent obtained elsewhere is for admins only:
    the radio is not shown to others, and refused here if sent anyway."""

    class Meta:
        model = ImportJob
        fields = [
            "existing",
            "invalid",
            "pools",
            "tags",
            "status",
            "owner",
            "consent",
            "consent_note",
            "rejected_applicants",
        ]
        labels = {
            "existing": gettext_lazy("Talents that already exist (same email)"),
            "invalid": gettext_lazy("Invalid rows"),
            "pools": gettext_lazy("Add to pools"),
            "tags": gettext_lazy("Add tags"),
            "status": gettext_lazy("Status"),
            "owner": gettext_lazy("Owner"),
            "consent": gettext_lazy("Consent"),
            "consent_note": gettext_lazy("How and when the talents agreed"),
            "rejected_applicants": gettext_lazy(
                "These are rejected applicants (kept under the application hold first)"
            ),
        }
        help_texts = {
            "status": gettext_lazy(
                "Empty: new talents get the default status, others keep theirs."
            ),
            "owner": gettext_lazy("Empty: new talents get no owner, others keep theirs."),
            "consent_note": gettext_lazy(
                "The proof of their consent, for example: “Agreed in the 2025 campus "
                "recruiting sign-up form, kept in the HR archive.”"
            ),
        }
        widgets = {
            "existing": forms.RadioSelect,
            "invalid": forms.RadioSelect,
            "pools": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
            "consent": forms.RadioSelect,
            "consent_note": forms.Textarea(attrs={"rows": 2}),
        }

    new_tags = TagNamesField(
        label=gettext_lazy("New tags"),
        required=False,
        help_text=gettext_lazy("Names of tags to create and add, separated by commas."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, job: ImportJob, user: User):
        super().__init__(data, instance=job)
        self.user = user
        pools = self.fields["pools"]
        assert isinstance(pools, forms.ModelMultipleChoiceField)
        pools.queryset = pools_visible_to(user)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = assignable_owners()
        owner.empty_label = _("No owner")
        status = self.fields["status"]
        assert isinstance(status, forms.ModelChoiceField)
        status.empty_label = _("Default status")

    def save_decisions(self) -> None:
        """Save only the decisions: the rest of the job belongs to the services. New tags
        are made (or found, whatever their case) and added to the tags."""
        job = self.save(commit=False)
        job.save(update_fields=[name for name in self.Meta.fields if name not in ("pools", "tags")])
        self.save_m2m()
        for name in self.cleaned_data["new_tags"]:
            tag, new = get_or_create_tag(name)
            job.tags.add(tag)
            if new:
                job.created_tags.add(tag)

    @property
    def may_record_consent(self) -> bool:
        """Consent obtained elsewhere is recorded with the uploader as who recorded it (the
        proof names them): so only an admin, and only for a file they uploaded."""
        return self.user.is_admin and self.instance.uploaded_by_id == self.user.pk

    def clean_consent(self) -> str:
        consent: str = self.cleaned_data["consent"]
        if consent == Consent.RECORDED and not self.may_record_consent:
            raise forms.ValidationError(
                _("Only admins can record consent obtained elsewhere, for files they uploaded.")
            )
        return consent

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("consent") == Consent.RECORDED:
            if not data.get("consent_note", "").strip():
                self.add_error(
                    "consent_note",
                    _("Write down how and when the talents agreed: it is the proof of consent."),
                )
        else:
            data["consent_note"] = ""
        if refusal := services.stop_refusal(self.instance.preview, data.get("invalid", "")):
            self.add_error("invalid", refusal)
        return data
