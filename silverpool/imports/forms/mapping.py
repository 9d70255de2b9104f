"""The forms of the mapping page: the sheet to read, the text encoding of a CSV file, a
saved mapping to apply, and where each column goes."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from ...talents.models import CustomField
from ..headers import Target, TargetField
from ..models import ImportJob, SavedMapping

# A custom field's option value: "custom:<key>".
CUSTOM_PREFIX = "custom:"


def encode(target: Target) -> str:
    if target.field == TargetField.CUSTOM:
        return CUSTOM_PREFIX + target.custom_key
    return str(target.field)


def decode(value: str) -> Target:
    if value.startswith(CUSTOM_PREFIX):
        return Target(TargetField.CUSTOM, value.removeprefix(CUSTOM_PREFIX))
    return Target(TargetField(value))


def target_choices(custom_fields: Sequence[CustomField]) -> list[tuple[str, str]]:
    """Ignore first (what most extra columns want), then the talent fields, then the
    custom fields."""
    builtin = [
        (str(field.value), capfirst(str(field.label)))
        for field in TargetField
        if field not in (TargetField.IGNORE, TargetField.CUSTOM)
    ]
    custom = [
        (CUSTOM_PREFIX + field.key, _("custom field: %(label)s") % {"label": field.label})
        for field in custom_fields
    ]
    return [(str(TargetField.IGNORE.value), _("— ignore —")), *builtin, *custom]


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=gettext_lazy("Sheet"))

    def __init__(self, data: Mapping[str, Any] | None = None, *, job: ImportJob, sheets: list[str]):
        super().__init__(data, prefix="sheet", initial={"sheet": job.sheet})
        field = self.fields["sheet"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(sheet, sheet) for sheet in sheets]


# The encodings a CSV file is saved in, by Excel, LibreOffice and older programs, by their
# Python codec names; charset-normalizer may detect another (Cyrillic, Greek, …), which is
# offered too.
ENCODINGS = (
    ("utf-8", gettext_lazy("Unicode (UTF-8)")),
    ("utf-8-sig", gettext_lazy("Unicode (UTF-8 with BOM)")),
    ("utf-16", gettext_lazy("Unicode (UTF-16)")),
    ("cp1252", gettext_lazy("Western European (Windows-1252)")),
    ("iso8859_15", gettext_lazy("Western European (ISO-8859-15)")),
    ("mac_roman", gettext_lazy("Western European (Mac)")),
    ("cp850", gettext_lazy("Western European (DOS, code page 850)")),
    ("cp1250", gettext_lazy("Central European (Windows-1250)")),
    ("iso8859_2", gettext_lazy("Central European (ISO-8859-2)")),
)


class EncodingForm(forms.Form):
    encoding = forms.ChoiceField(
        label=gettext_lazy("Text encoding"),
        widget=forms.Select(attrs={"aria-describedby": "encoding-help"}),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, job: ImportJob) -> None:
        super().__init__(data, prefix="encoding", initial={"encoding": job.encoding})
        field = self.fields["encoding"]
        assert isinstance(field, forms.ChoiceField)
        if not job.encoding:  # a workbook: none to choose
            field.choices = []
        elif job.encoding in dict(ENCODINGS):
            field.choices = ENCODINGS
        else:
            field.choices = [*ENCODINGS, (job.encoding, job.encoding)]


class SavedMappingForm(forms.Form):
    saved = forms.ModelChoiceField(
        label=gettext_lazy("Saved mapping"),
        queryset=SavedMapping.objects.all(),
        empty_label=gettext_lazy("Choose a saved mapping"),
    )

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(data, prefix="saved")


class MappingForm(forms.Form):
    """One select per column (`column_<index>`), the default country of phone numbers,
    and optionally a name to save the mapping under."""

    default_country = forms.ChoiceField(
        label=gettext_lazy("Country of phone numbers without a country code"),
        # Named in the reader's language: a list made here would keep the names of the
        # language active when the module was imported ("Germany" on a German page).
        choices=lambda: list(countries),
    )
    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        required=False,
        max_length=120,
        help_text=gettext_lazy(
            "A saved mapping is suggested for the next file with the same headers."
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        job: ImportJob,
        custom_fields: Sequence[CustomField],
    ) -> None:
        super().__init__(data, initial={"default_country": job.default_country})
        choices = target_choices(custom_fields)
        for index, (header, (field, key)) in enumerate(zip(job.headers, job.mapping, strict=True)):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(no header)"),
                choices=choices,
                initial=encode(Target(TargetField(field), key)),
            )
        self.column_count = len(job.headers)

    def mark_columns(self, indexes: Sequence[int], *, described_by: str) -> None:
        """Mark the selects of these columns as wrong, described by the page's message
        about them (a problem of the mapping as a whole, not of one column)."""
        for index in indexes:
            widget = self.fields[f"column_{index}"].widget
            widget.attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    def columns(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(self.column_count)]

    def targets(self) -> list[Target]:
        return [decode(self.cleaned_data[f"column_{i}"]) for i in range(self.column_count)]
