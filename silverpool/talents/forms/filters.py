"""The talent list's filter form (a GET form: its state is the URL) and saved searches."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ...accounts.models import User
from ...imports.access import jobs_visible_to
from ...imports.models import ImportJob
from ...privacy.models import LegalBasis
from ..models import Pool, SavedSearch, Status, Tag, Talent
from ..search import DEFAULT_SORT, LEGAL_HOLD, TalentFilters
from ..services import pools_visible_to
from .widgets import FastSelect

NO_OWNER = "none"
QUERY_MAX_LENGTH = 2000  # SavedSearch.query.max_length

SORT_CHOICES = [
    ("updated", _("Last updated, newest first")),
    ("-updated", _("Last updated, oldest first")),
    ("activity", _("Last activity, newest first")),
    ("-activity", _("Last activity, oldest first")),
    ("created", _("Created, newest first")),
    ("-created", _("Created, oldest first")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("available", _("Available from, soonest first")),
    ("-available", _("Available from, latest first")),
]


@dataclass(frozen=True, kw_only=True)
class ListChoices:
    """The options of the talent list's filter and bulk forms, read once for both."""

    pools: list[Pool]
    tags: list[Tag]
    statuses: list[Status]
    users: list[User]  # the active ones

    @classmethod
    def load(cls, user: User) -> "ListChoices":
        return cls(
            pools=list(pools_visible_to(user)),
            tags=list(Tag.objects.all()),
            statuses=list(Status.objects.all()),
            users=list(User.objects.filter(is_active=True)),
        )


def offer(field: forms.Field, objects: Iterable[Model]) -> None:
    """Give a model choice field its options from rows already read.

    Left to its queryset, the field reads it again each time it is rendered (through a
    server-side cursor on PostgreSQL: several round trips). Submitted values are still
    checked against the queryset.
    """
    assert isinstance(field, forms.ModelChoiceField)
    field.choices = [
        ("", field.empty_label),
        *((obj.pk, field.label_from_instance(obj)) for obj in objects),
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        # A date input sends and expects ISO dates whatever the interface language.
        super().__init__(format="%Y-%m-%d")


class TalentFilterForm(forms.Form):
    """Search, filters and sort of the talent list.

    Every field is optional. An invalid value (a guessed pool id, a malformed date)
    becomes a form error and that one filter is ignored; the rest still apply.
    """

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, email, title, skill, note or CV text"),
                "autocomplete": "off",
            }
        ),
    )
    pool = forms.ModelChoiceField[Pool](
        label=_("Pool"),
        queryset=Pool.objects.none(),
        required=False,
        empty_label=_("Any pool"),
        widget=FastSelect,
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        required=False,
        empty_label=_("Any tag"),
        widget=FastSelect,
    )
    status = forms.ModelChoiceField(
        label=_("Status"),
        queryset=Status.objects.all(),
        required=False,
        empty_label=_("Any status"),
        widget=FastSelect,
    )
    source_kind = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("Any source")), *Talent.SourceKind.choices],
        required=False,
        widget=FastSelect,
    )
    source_label = forms.CharField(label=_("Source detail"), required=False, max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=FastSelect)
    available_from_min = forms.DateField(
        label=_("Available from, earliest"), required=False, widget=DateInput()
    )
    available_from_max = forms.DateField(
        label=_("Available from, latest"), required=False, widget=DateInput()
    )
    created_min = forms.DateField(
        label=_("Created on or after"), required=False, widget=DateInput()
    )
    created_max = forms.DateField(
        label=_("Created on or before"), required=False, widget=DateInput()
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    legal_state = forms.ChoiceField(
        label=_("Legal basis"),
        choices=[
            ("", _("Any legal basis")),
            *LegalBasis.State.choices,
            (LEGAL_HOLD, _("On legal hold")),
        ],
        required=False,
        widget=FastSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=FastSelect
    )
    # Set by the link on an import's result page, shown as a notice above the list.
    import_job = forms.ModelChoiceField(
        label=_("Import"),
        queryset=ImportJob.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        # Others' imports are not listed (jobs_visible_to): say so, not "a valid choice".
        error_messages={"invalid_choice": _("not one of your imports, or deleted since.")},
    )

    def __init__(self, data: QueryDict, *, user: User, choices: ListChoices | None = None) -> None:
        super().__init__(data)
        choices = choices or ListChoices.load(user)
        pool_field = self.fields["pool"]
        assert isinstance(pool_field, forms.ModelChoiceField)
        pool_field.queryset = pools_visible_to(user)
        offer(pool_field, choices.pools)
        offer(self.fields["tag"], choices.tags)
        offer(self.fields["status"], choices.statuses)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [
            ("", _("Any owner")),
            (NO_OWNER, _("No owner")),
            *((str(u.pk), str(u)) for u in choices.users),
        ]
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [("", _("Any country")), *countries]
        import_field = self.fields["import_job"]
        assert isinstance(import_field, forms.ModelChoiceField)
        import_field.queryset = jobs_visible_to(user)

    def to_filters(self) -> TalentFilters:
        """The valid part of the form as search filters; invalid fields are left out."""
        self.is_valid()
        data: dict[str, Any] = self.cleaned_data
        owner = data.get("owner") or ""
        return TalentFilters(
            q=data.get("q") or "",
            pool=_pk(data.get("pool")),
            tag=_pk(data.get("tag")),
            status=_pk(data.get("status")),
            source_kind=data.get("source_kind") or "",
            source_label=(data.get("source_label") or "").strip(),
            owner=int(owner) if owner.isdigit() else None,
            unowned=owner == NO_OWNER,
            available_from_min=data.get("available_from_min"),
            available_from_max=data.get("available_from_max"),
            created_min=data.get("created_min"),
            created_max=data.get("created_max"),
            city=data.get("city") or "",
            country=data.get("country") or "",
            legal_state=data.get("legal_state") or "",
            import_job=_pk(data.get("import_job")),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def query_string(self) -> str:
        """The filter part of the URL, without the page number and empty fields."""
        return filter_query(self.data)

    @property
    def uses_more_than_search(self) -> bool:
        """Whether a filter or sort beyond the search box is set (to show them open)."""
        return any(self.data.get(name) for name in self.fields if name not in ("q", "import_job"))

    def described(self) -> list[tuple[str, str]]:
        """The filters set, as (label, value) the way the form shows them: what a list,
        and so its export, is limited to. Invalid ones are left out, as to_filters leaves
        them out; so is the sort, which does not change which talents."""
        self.is_valid()
        shown = []
        for name, value in self.cleaned_data.items():
            if value in (None, "") or name == "sort":
                continue
            field = self.fields[name]
            if isinstance(value, datetime.date):
                text = date_format(value)
            elif isinstance(field, forms.ModelChoiceField):
                text = str(value)
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.widget.choices).get(value, value))
            else:
                text = str(value)
            shown.append((str(field.label), text))
        return shown

    @property
    def from_import(self) -> ImportJob | None:
        """The import whose created talents the list is limited to, if it is."""
        self.is_valid()
        job: ImportJob | None = self.cleaned_data.get("import_job")
        return job


def filter_query(data: Mapping[str, Any]) -> str:
    """Only the filter fields of `data`, URL-encoded: what a saved search or a bulk
    action keeps of a query string, whatever else was sent along."""
    kept = QueryDict(mutable=True)
    for name in TalentFilterForm.base_fields:
        value = data.get(name, "")
        if value:
            kept[name] = value
    return kept.urlencode()


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


class SavedSearchForm(forms.ModelForm[SavedSearch]):
    """Name the current filters to come back to them; the same name again replaces them."""

    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict | None = None, *, query: str = "") -> None:
        super().__init__(data, initial={"query": query}, auto_id="saved_search_%s")

    class Meta:
        model = SavedSearch
        fields = ["name", "query"]
        labels = {"name": _("Save this search as")}

    def clean_query(self) -> str:
        query = filter_query(QueryDict(self.cleaned_data["query"]))
        if len(query) > QUERY_MAX_LENGTH:
            raise forms.ValidationError(_("This search is too long to save."))
        return query
