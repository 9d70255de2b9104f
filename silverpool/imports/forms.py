"""The export page's form: which columns, which format."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .export import Column, ExportFormat


class ExportForm(forms.Form):
    """Columns in the order offered (not the order ticked) and the file format."""

    columns = forms.MultipleChoiceField(
        label=_("Columns"), widget=forms.CheckboxSelectMultiple, required=True
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )

    def __init__(self, data: Any = None, *, available: list[Column]) -> None:
        super().__init__(data)
        self.available = available
        field = self.fields["columns"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(column.key, column.label) for column in available]
        field.initial = [column.key for column in available if column.default]

    def chosen_columns(self) -> list[Column]:
        keys = set(self.cleaned_data["columns"])
        return [column for column in self.available if column.key in keys]

    def chosen_format(self) -> ExportFormat:
        return ExportFormat(self.cleaned_data["format"])
