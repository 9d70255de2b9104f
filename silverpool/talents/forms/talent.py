"""The talent form of the manual channel (create, edit, and one field edited in place).

The form only carries the values: every talent field is a plain text input here, and the
intake service (`validation.clean_talent_fields`) decides what is valid. Its
ValidationError is mapped back onto the fields with `add_service_errors`, so a page shows
exactly the message the API would give.
"""

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ...accounts.models import User
from .. import services
from ..models import CustomField, Pool, Status, Tag, Talent
from ..validation import EDITABLE_FIELDS, clean_talent_fields

CUSTOM_PREFIX = "custom_"


class TagNamesField(forms.CharField):
    """Names of tags to create (or find, whatever their case), separated by commas: the
    list of names (services.tag_names), each refused if longer than a tag's name may be."""

    def clean(self, value: Any) -> list[str]:
        return services.tag_names(super().clean(value))


def _label(name: str) -> Any:
    field = Talent._meta.get_field(name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


def assignable_owners() -> QuerySet[User]:
    """Users a talent can belong to: active admins and recruiters."""
    return User.objects.filter(is_active=True).filter(
        Q(role__in=[User.Role.ADMIN, User.Role.RECRUITER]) | Q(is_superuser=True)
    )


def _number_text(value: Any) -> str:
    """65000.00 -> "65000", 3.5 -> "3.5": what a person would have typed."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return str(number.quantize(Decimal(1))) if number == number.to_integral() else str(number)


def custom_form_field(field: CustomField) -> forms.Field:
    """A form field for an admin-defined custom field (validated by the service)."""
    if field.kind == CustomField.Kind.CHOICE:
        choices = [("", "—"), *((c, c) for c in field.choices)]
        return forms.CharField(
            label=field.label, required=False, widget=forms.Select(choices=choices)
        )
    widget: forms.Widget = forms.TextInput()
    if field.kind == CustomField.Kind.NUMBER:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    elif field.kind == CustomField.Kind.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    return forms.CharField(label=field.label, required=False, widget=widget)


def initial_from(talent: Talent) -> dict[str, Any]:
    """The talent's values as the form shows them."""
    initial: dict[str, Any] = {
        name: getattr(talent, name) for name in EDITABLE_FIELDS if name != "custom_values"
    }
    initial["skills"] = ", ".join(talent.skills)
    initial["profile_urls"] = "\n".join(talent.profile_urls)
    initial["country"] = talent.country.code or ""
    initial["salary_amount"] = _number_text(talent.salary_amount)
    initial["available_from"] = talent.available_from.isoformat() if talent.available_from else ""
    for key, value in talent.custom_values.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        initial[CUSTOM_PREFIX + key] = _number_text(value) if number else value
    return initial


class TalentForm(forms.Form):
    """Every field a recruiter can set on a talent; `only` keeps a subset (in-place edit)."""

    wide_fields = frozenset({"skills", "profile_urls", "pools", "tags", "new_tags"})

    first_name = forms.CharField(label=_label("first_name"), required=False)
    last_name = forms.CharField(label=_label("last_name"), required=False)
    email = forms.CharField(label=_label("email"), required=False, widget=forms.EmailInput())
    phone = forms.CharField(
        label=_label("phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("Any common format; it is stored in international form."),
    )
    postcode = forms.CharField(label=_label("postcode"), required=False)
    city = forms.CharField(label=_label("city"), required=False)
    country = forms.CharField(label=_label("country"), required=False, widget=forms.Select())
    job_title = forms.CharField(label=_label("job_title"), required=False)
    skills = forms.CharField(
        label=_label("skills"),
        required=False,
        help_text=_("Separated by commas, e.g. Python, Django, Kubernetes."),
    )
    linkedin_url = forms.CharField(
        label=_label("linkedin_url"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    profile_urls = forms.CharField(
        label=_label("profile_urls"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line (GitHub, portfolio, …)."),
    )
    salary_amount = forms.CharField(
        label=_("Amount"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    salary_currency = forms.CharField(
        label=_label("salary_currency"),
        required=False,
        initial="EUR",
        widget=forms.TextInput(attrs={"maxlength": 3, "size": 4}),
    )
    salary_period = forms.CharField(
        label=_label("salary_period"),
        required=False,
        initial=Talent.SalaryPeriod.YEAR,
        widget=forms.Select(choices=Talent.SalaryPeriod.choices),
    )
    available_from = forms.CharField(
        label=_label("available_from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        talent: Talent | None = None,
        only: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if talent is not None:
            kwargs.setdefault("initial", initial_from(talent))
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.talent = talent
        # Built per form so that country names come in the user's language and order.
        country = self.fields["country"].widget
        assert isinstance(country, forms.Select)
        country.choices = [("", "—"), *countries]
        self.custom_fields = list(CustomField.objects.all())
        for custom in self.custom_fields:
            self.fields[CUSTOM_PREFIX + custom.key] = custom_form_field(custom)
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields grouped the way the page shows them, in fieldsets."""
        groups: list[tuple[Any, tuple[str, ...]]] = [
            (_("Name and contact"), ("first_name", "last_name", "email", "phone")),
            (_("Address"), ("postcode", "city", "country")),
            (_("Work"), ("job_title", "skills", "available_from")),
            (_("Profiles"), ("linkedin_url", "profile_urls")),
            (_("Salary expectation"), ("salary_amount", "salary_currency", "salary_period")),
            (_("More"), tuple(CUSTOM_PREFIX + f.key for f in self.custom_fields)),
        ]
        return [
            (str(legend), [self[n] for n in names if n in self.fields])
            for legend, names in groups
            if any(n in self.fields for n in names)
        ]

    def talent_data(self) -> dict[str, Any]:
        """The raw values for intake_talent / update_talent."""
        data = {n: self.cleaned_data[n] for n in EDITABLE_FIELDS if n in self.cleaned_data}
        custom = {
            f.key: self.cleaned_data[CUSTOM_PREFIX + f.key]
            for f in self.custom_fields
            if CUSTOM_PREFIX + f.key in self.cleaned_data
        }
        if custom:
            if len(custom) < len(self.custom_fields) and self.talent is not None:
                # Editing one custom field: keep the others' values as they are.
                known = {f.key for f in self.custom_fields}
                kept = {k: v for k, v in self.talent.custom_values.items() if k in known}
                custom = {**kept, **custom}
            data["custom_values"] = custom
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's messages next to the fields they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            if name == "custom_values":
                self._add_custom_errors(messages)
            elif name in self.fields:
                self.add_error(name, messages)
            else:
                self.add_error(None, messages)

    def _add_custom_errors(self, messages: list[str]) -> None:
        # The service reports custom fields as one; ask it about each to place the message.
        placed = False
        for custom in self.custom_fields:
            name = CUSTOM_PREFIX + custom.key
            if name not in self.fields:
                continue
            value = self.data.get(self.add_prefix(name), "")
            try:
                clean_talent_fields({"custom_values": {custom.key: value}}, partial=True)
            except ValidationError as exc:
                self.add_error(name, exc.messages)
                placed = True
        if not placed:
            self.add_error(None, messages)


class TalentCreateForm(TalentForm):
    """A new talent, with its pools, tags, status and owner set right away."""

    pools = forms.ModelMultipleChoiceField(
        label=_("Pools"),
        queryset=Pool.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_tags = TagNamesField(
        label=_("New tags"),
        required=False,
        help_text=_("Names of tags to create, separated by commas."),
    )
    # Left empty (a forged post), the intake service picks the default status.
    status = forms.ModelChoiceField(
        label=_label("status"), queryset=Status.objects.all(), required=False, empty_label=None
    )
    owner = forms.ModelChoiceField(
        label=_label("owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No owner"),
    )

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        pools = self.fields["pools"]
        owner = self.fields["owner"]
        assert isinstance(pools, forms.ModelMultipleChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        pools.queryset = services.pools_visible_to(user)
        owner.queryset = assignable_owners()
        default = Status.objects.filter(is_default=True).first()
        self.fields["status"].initial = default.pk if default else None
        owner.initial = user.pk if user.can_edit else None

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            *super().sections(),
            (
                str(_("Pools, tags, status and owner")),
                [self[n] for n in ("status", "owner", "pools", "tags", "new_tags")],
            ),
        ]
