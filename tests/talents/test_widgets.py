"""FastSelect writes the same HTML as Django's Select, only faster."""

import re
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from silverpool.accounts.models import User
from silverpool.talents.forms.bulk import BulkActionForm
from silverpool.talents.forms.filters import TalentFilterForm
from silverpool.talents.forms.widgets import FastSelect

from .factories import make_pool, make_tag

CHOICES: list[tuple[Any, Any]] = [
    ("", gettext_lazy("Any status")),
    (1, "Plain"),
    ("a&b", "<b>Tom & Jerry</b>"),
    ("q\"'", mark_safe("<i>safe</i>")),  # noqa: S308 - a label marked safe stays as it is
    (2500, 2500),
    ("Group <1>", [("g1", "In a group"), ("g2", "Also")]),
    (None, "None as a value"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("a&b", {"id": "id_x"}),
        (["g2"], {"id": "id_x", "aria-label": gettext_lazy("Pool"), "class": 'a"b'}),
        ("1", {"required": True, "disabled": False, "aria-invalid": "true", "data-n": 3}),
        ("", {"aria-describedby": "id_x_error", "data-x": mark_safe("&amp;")}),  # noqa: S308
    ],
)
def test_fast_select_renders_exactly_what_django_select_renders(
    settings: Any, value: Any, attrs: Any
) -> None:
    settings.USE_THOUSAND_SEPARATOR = True  # a number as a label is localized: 2,500
    for language in ("en", "de"):
        with override(language):
            ours = FastSelect(choices=CHOICES).render("x<", value, attrs)
            django = forms.Select(choices=CHOICES).render("x<", value, attrs)

            assert ours == django


def _as_django_select(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, FastSelect):
            widget = forms.Select(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            field.widget = widget


@pytest.mark.parametrize(
    "query",
    [
        "",
        "pool=1&tag=1&status=1&owner=none&country=DE&sort=-name&source_kind=import",
        "pool=99999&tag=x&country=XX&sort=bogus&owner=77777",
    ],
)
def test_the_list_forms_render_as_they_did_with_django_select(
    rita: User, alice: User, query: str
) -> None:
    make_pool("<Backend>")
    make_pool("Board", is_private=True)
    make_tag("R&D")
    forms_now = [TalentFilterForm(QueryDict(query), user=rita), BulkActionForm(user=rita)]
    forms_before = [TalentFilterForm(QueryDict(query), user=rita), BulkActionForm(user=rita)]
    for form in forms_before:
        _as_django_select(form)

    for now, before in zip(forms_now, forms_before, strict=True):
        for name, field in now.fields.items():
            if isinstance(field.widget, FastSelect):
                assert str(now[name]) == str(before[name])


def _offered(form: forms.Form, name: str) -> list[tuple[Any, str]]:
    widget = form.fields[name].widget
    assert isinstance(widget, FastSelect)
    return [(value, str(label)) for value, label in widget.choices]


def test_the_list_forms_offer_what_their_querysets_accept(
    rita: User, alice: User, victor: User
) -> None:
    make_pool("Open")
    make_pool("Board", is_private=True)
    make_tag("Remote")

    filters, bulk = TalentFilterForm(QueryDict(), user=rita), BulkActionForm(user=rita)

    for form in (filters, bulk):
        for name in ("pool", "tag", "status"):
            field = form.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            assert field.queryset is not None
            offered = [value for value, _label in _offered(form, name)]
            assert offered == ["", *(obj.pk for obj in field.queryset)]
    assert "Board" not in str(filters["pool"])
    # Anyone may be filtered by; only admins and recruiters can be made owners.
    assert [label for _value, label in _offered(filters, "owner")][2:] == [
        "Alice",
        "Rita",
        "Victor",
    ]
    assert [label for _value, label in _offered(bulk, "owner")][2:] == ["Alice", "Rita"]


def test_the_list_page_reads_each_choice_list_once(recruiter_client: Client) -> None:
    with CaptureQueriesContext(connection) as page:
        recruiter_client.get(reverse("talents:talent-list"))

    tables = [re.search(r'FROM "(\w+)"', q["sql"]) for q in page.captured_queries]
    read = [m.group(1) for m in tables if m]
    for table in ("talents_pool", "talents_tag", "talents_status"):
        assert read.count(table) == 1, table
    assert not any("DECLARE" in q["sql"] for q in page.captured_queries)
