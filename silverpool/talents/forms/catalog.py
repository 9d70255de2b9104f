"""Forms of the pools, tags and settings pages. They parse input; the services validate and save."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ..models import CustomField, Pool, Status

POSITION_HELP = _("Lower numbers come first.")


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_private = forms.BooleanField(
        label=_("Private"),
        required=False,
        help_text=_("Only the members below and admins see a private pool and its talents."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only used for private pools. Recruiters stay members of the pools they save."),
    )

    def __init__(self, *args: Any, actor: User, pool: Pool | None = None, **kwargs: Any) -> None:
        if pool is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": pool.name,
                    "description": pool.description,
                    "is_private": pool.is_private,
                    "members": list(pool.members.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Deactivated users who already are members stay listed, so saving keeps them.
        current = Q(private_pools=pool) if pool is not None else Q(pk__in=[])
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = User.objects.filter(Q(is_active=True) | current).distinct()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members = list(cleaned.get("members") or [])
        # A recruiter who made a pool private without ticking themselves would lose it at once.
        if cleaned.get("is_private") and not self.actor.is_admin and self.actor not in members:
            members.append(self.actor)
        cleaned["members"] = members
        return cleaned


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class StatusForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Short and fixed once created, e.g. “interviewing”. Used by the API."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=80)
    name_de = forms.CharField(label=_("Name (German)"), max_length=80)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32767, initial=0, help_text=POSITION_HELP
    )
    is_default = forms.BooleanField(
        label=_("Default for new talents"),
        required=False,
        help_text=_("Talents created without a status get this one."),
    )

    def __init__(self, *args: Any, status: Status | None = None, **kwargs: Any) -> None:
        if status is not None:
            kwargs.setdefault(
                "initial",
                {
                    "key": status.key,
                    "name_en": status.name_en,
                    "name_de": status.name_de,
                    "position": status.position,
                    "is_default": status.is_default,
                },
            )
        super().__init__(*args, **kwargs)
        # The key cannot change; a disabled field always yields its initial value.
        self.fields["key"].disabled = status is not None


class CustomFieldForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("Short and fixed once created, e.g. “notice_period”. Used by the API."),
    )
    label_en = forms.CharField(label=_("Label (English)"), max_length=120)
    label_de = forms.CharField(label=_("Label (German)"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For the kind “Choice”: one choice per line."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32767, initial=0, help_text=POSITION_HELP
    )

    def __init__(self, *args: Any, field: CustomField | None = None, **kwargs: Any) -> None:
        if field is not None:
            kwargs.setdefault(
                "initial",
                {
                    "key": field.key,
                    "label_en": field.label_en,
                    "label_de": field.label_de,
                    "kind": field.kind,
                    "choices": "\n".join(field.choices),
                    "position": field.position,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["key"].disabled = field is not None

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
