"""Talent search: full text, filters, sort and a total that stays cheap at a million rows.

Both databases search the same folded words (`Talent.search_text`): PostgreSQL through a
GIN index on to_tsvector('simple', search_text), SQLite through an FTS5 table kept in
sync by triggers (migration 0002). Each query word matches words that start with it.
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from .models import PoolMembership, Talent, TalentTag

MAX_SEARCH_TEXT = 200_000
MAX_QUERY_WORDS = 12


def fold(text: str) -> str:
    """Lower-case, accents removed (Müller -> muller), ß -> ss."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    # Letters and digits; "_" separates words, as in both databases' tokenizers (otherwise
    # "anna ___" finds Anna on PostgreSQL, which drops "___", but nobody on SQLite).
    return re.findall(r"[^\W_]+", fold(text))


def build_search_text(parts: Iterable[str]) -> str:
    """The words a talent is found by, in one space-separated string."""
    text = " ".join(" ".join(words(part)) for part in parts if part)
    return text[:MAX_SEARCH_TEXT]


class PrefixMatch(Func):
    """to_tsvector('simple', <column>) @@ to_tsquery('simple', <query>): the expression of
    the GIN index. The ORM resolves the column (rather than raw SQL naming the table), so
    the condition still works when the queryset becomes a subquery with aliased tables."""

    template = "to_tsvector('simple', %(expressions)s)"
    arg_joiner = ") @@ to_tsquery('simple', "
    arity = 2
    output_field = BooleanField()


def text_condition(query: str) -> Q | None:
    """A WHERE condition matching talents that contain every word of `query` as a prefix."""
    terms = words(query)[:MAX_QUERY_WORDS]
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return Q(PrefixMatch(F("search_text"), Value(tsquery)))
    match = " AND ".join(f'"{term}"*' for term in terms)
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM talents_talent_fts WHERE talents_talent_fts MATCH %s", [match]
        )
    )


SORTS = {
    "updated": ("-updated_at", "-id"),
    "-updated": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "-created": ("created_at", "id"),
    "activity": ("-last_activity_at", "-id"),
    "-activity": ("last_activity_at", "id"),
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    # Talents without a date come last both ways (the databases disagree on NULLs).
    "available": (F("available_from").asc(nulls_last=True), "id"),
    "-available": (F("available_from").desc(nulls_last=True), "-id"),
}
DEFAULT_SORT = "updated"


@dataclass(frozen=True, kw_only=True)
class TalentFilters:
    """Everything the talent list and the API can filter and sort by."""

    q: str = ""
    pool: int | None = None
    tag: int | None = None
    status: int | None = None
    source_kind: str = ""
    source_label: str = ""
    owner: int | None = None
    unowned: bool = False
    available_from_min: Any = None
    available_from_max: Any = None
    created_min: Any = None
    created_max: Any = None
    city: str = ""
    country: str = ""
    ids: tuple[int, ...] = ()
    sort: str = DEFAULT_SORT


def filter_talents(qs: QuerySet[Talent], f: TalentFilters) -> QuerySet[Talent]:
    """Apply filters and sort to an already permission-scoped queryset."""
    condition = text_condition(f.q) if f.q else None
    if condition is not None:
        qs = qs.filter(condition)
    if f.pool is not None:
        qs = qs.filter(
            Exists(PoolMembership.objects.filter(talent_id=OuterRef("pk"), pool_id=f.pool))
        )
    if f.tag is not None:
        qs = qs.filter(Exists(TalentTag.objects.filter(talent_id=OuterRef("pk"), tag_id=f.tag)))
    if f.status is not None:
        qs = qs.filter(status_id=f.status)
    if f.source_kind:
        qs = qs.filter(source_kind=f.source_kind)
    if f.source_label:
        qs = qs.filter(source_label__iexact=f.source_label)
    if f.owner is not None:
        qs = qs.filter(owner_id=f.owner)
    if f.unowned:
        qs = qs.filter(owner__isnull=True)
    if f.available_from_min:
        qs = qs.filter(available_from__gte=f.available_from_min)
    if f.available_from_max:
        qs = qs.filter(available_from__lte=f.available_from_max)
    if f.created_min:
        qs = qs.filter(created_at__date__gte=f.created_min)
    if f.created_max:
        qs = qs.filter(created_at__date__lte=f.created_max)
    if f.city:
        qs = qs.filter(city__iexact=f.city.strip())
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.ids:
        qs = qs.filter(pk__in=f.ids)
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


@dataclass(frozen=True)
class Total:
    """How many talents match: exact, or an estimate when counting would be slow."""

    value: int
    exact: bool


def count_talents(qs: QuerySet[Talent]) -> Total:
    """Count exactly up to SEARCH_EXACT_COUNT_LIMIT, estimate above it (PostgreSQL only).

    An exact count of a broad filter over a million rows costs 140-165 ms on PostgreSQL
    (performance-limits.md), more than the whole page budget; large search products
    show "about 45,000" instead.
    """
    limit = settings.SEARCH_EXACT_COUNT_LIMIT
    capped = qs.order_by().values("pk")[: limit + 1].count()
    if capped <= limit or connection.vendor != "postgresql":
        return Total(capped if capped <= limit else qs.order_by().count(), True)
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # noqa: S608 - ORM-built SQL
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return Total(max(int(plan[0]["Plan"]["Plan Rows"]), limit + 1), False)
