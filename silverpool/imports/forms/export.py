"""The export page's forms: which talents (a selection or the list's filters), which
columns, which format."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ...talents.forms.bulk import IdListField
from ...talents.forms.filters import TalentFilterForm
from ...talents.models import Talent
from ...talents.search import TalentFilters, filter_talents
from ..export import Column, ExportFormat


class ExportSelectionForm(forms.Form):
    """Which talents to export, from the page's query string: the rows ticked on the list
    (`ids`, sent on by its bulk bar) or, without any, every talent matching the list's
    filters. Either way only talents the user may see, so a guessed id exports nothing."""

    ids = IdListField(required=False)

    def __init__(self, data: QueryDict, *, user: User) -> None:
        super().__init__(data)
        self.user = user
        self.filters = TalentFilterForm(data, user=user)

    @property
    def selected_ids(self) -> list[int]:
        ids: list[int] = self.cleaned_data["ids"]
        return ids

    def talents(self) -> QuerySet[Talent]:
        """The talents to export, in the list's sort order."""
        filters = self.filters.to_filters()
        if self.selected_ids:
            # The ticked rows are what was chosen; the filters only found them.
            filters = TalentFilters(ids=tuple(self.selected_ids), sort=filters.sort)
        return filter_talents(Talent.objects.visible_to(self.user), filters)

    def query_string(self) -> str:
        """The page's query string to post back to: the filters and the selection."""
        ids = urlencode([("ids", pk) for pk in self.selected_ids])
        return "&".join(part for part in (self.filters.query_string(), ids) if part)


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
