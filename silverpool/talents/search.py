"""Talent search: full text, filters, sort and a total that stays cheap at a million rows.

Both databases search the same folded words (`Talent.search_text`): PostgreSQL through a
stored tsvector column `search_vector` with a GIN index (migration 0004), SQLite through
an FTS5 table kept in sync by triggers (migration 0002). Each query word matches words
that start with it. Measured in bench/ (docs/benchmarks.md).
"""

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from ..bulk_insert import execute_later
from ..imports.models import ImportedTalent
from ..lookups import AnyOf
from .models import PoolMembership, Talent, TalentTag

MAX_SEARCH_TEXT = 200_000
MAX_QUERY_WORDS = 12


# The combining marks of Latin letters (all of U+0300-U+036F but the grapheme joiner),
# which decomposing German, French, Spanish, ... text leaves: removed in one pass.
LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")
# Letters and digits; "_" separates words, as in both databases' tokenizers (otherwise
# "anna ___" finds Anna on PostgreSQL, which drops "___", but nobody on SQLite).
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case, accents removed (Müller -> muller), ß -> ss."""
    if text.isascii():  # most text: nothing to decompose (10x faster, imports fold a lot)
        return text.lower()
    text = LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if text.isascii():  # most of the rest: character by character costs 2-3 times more
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def build_search_text(parts: Iterable[str]) -> str:
    """The words a talent is found by, in one space-separated string."""
    # Folded part by part (an ASCII part takes the fast way) and split into words at once.
    text = " ".join(WORD.findall("\n".join(fold(part) for part in parts if part)))
    return text[:MAX_SEARCH_TEXT]


@contextmanager
def search_index_deferred(talent_ids: Sequence[int]) -> Iterator[None]:
    """The talents with `talent_ids`, inserted inside, go into SQLite's search index in one
    statement at the end instead of one at a time by the insert trigger (migration 0002),
    which is dropped meanwhile (see _trigger_dropped). PostgreSQL's index needs nothing
    of this."""
    if connection.vendor != "sqlite":
        yield
        return
    with _trigger_dropped("talents_talent_fts_ai"):
        yield
        _index("INSERT INTO talents_talent_fts (rowid, search_text) {}", talent_ids)


@contextmanager
def search_index_rewritten(talent_ids: Sequence[int]) -> Iterator[None]:
    """The search words of the talents with `talent_ids`, changed inside, replace theirs in
    SQLite's search index in two statements instead of two per talent by the update
    trigger, which is dropped meanwhile (see _trigger_dropped)."""
    if connection.vendor != "sqlite" or not talent_ids:
        yield
        return
    with _trigger_dropped("talents_talent_fts_au"):
        # An external-content index takes an entry out by its words: the old ones, first.
        _index(
            "INSERT INTO talents_talent_fts (talents_talent_fts, rowid, search_text) "
            "SELECT 'delete', * FROM ({})",
            talent_ids,
        )
        yield
        _index("INSERT INTO talents_talent_fts (rowid, search_text) {}", talent_ids)


# A trigger's SQL as the migrations made it, kept to create it again.
TRIGGER_SQL = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s"


@contextmanager
def _trigger_dropped(name: str) -> Iterator[None]:
    """SQLite: the trigger `name` on talents_talent dropped until the block ends. With any
    trigger on the table SQLite copies every page a written row touches to a statement
    journal first (migration 0015): a batch's talents went in three and a half times as
    fast without. A schema change in the transaction, like the rows: other connections
    see neither until it commits, and none can write meanwhile (SQLite has one writer).
    Inside bulk_insert.writes_beside the trigger comes back as a queued write, after the
    block's own (the search index's rows too)."""
    # No savepoint: its journal would hold a copy of every page the block writes (100 MB
    # for a batch of 12,000 new talents). If the block fails, the transaction cannot
    # commit, and its rollback brings the trigger back.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(TRIGGER_SQL, [name])
            (trigger,) = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {name}")  # one of the FTS triggers: no user input
        yield
        execute_later(trigger)


def _index(statement: str, talent_ids: Sequence[int]) -> None:
    """Run `statement` (an insert into the FTS5 table, which has no model) with the id and
    search words of the talents with `talent_ids` in place of its {}."""
    if not talent_ids:
        return
    of_them = Talent.objects.filter(AnyOf(F("pk"), talent_ids)).order_by()
    select, params = of_them.values_list("pk", "search_text").query.sql_with_params()
    execute_later(statement.format(select), params)


class PrefixMatch(Func):
    """search_vector @@ to_tsquery('simple', <query>), matched by the GIN index.

    search_vector is a generated column the Django model does not declare (migration
    0004). It is reached through search_text's resolved column, so the condition keeps
    working when the queryset becomes a subquery with aliased tables.
    """

    template = "%(expressions)s)"
    arg_joiner = " @@ to_tsquery('simple', "
    arity = 2
    output_field = BooleanField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        sql, params = super().as_sql(compiler, connection, function, template, arg_joiner)
        text, vector = (connection.ops.quote_name(c) for c in ("search_text", "search_vector"))
        # The SQL starts with the column: "alias"."search_text" @@ to_tsquery(...).
        column, _, rest = sql.partition(" @@ ")
        if not column.endswith(text):
            raise ValueError(f"PrefixMatch needs the search_text column, not {column}")
        return f"{column.removesuffix(text)}{vector} @@ {rest}", params


class Glob(Func):
    """<column> GLOB <pattern> (SQLite): case-sensitive, `*`, `?` and `[…]` are special."""

    template = "%(expressions)s"
    arg_joiner = " GLOB "
    arity = 2
    output_field = BooleanField()


def glob_any_case(text: str) -> str:
    """A GLOB pattern for exactly `text`, each letter in either case: [Mm][Üü]…"""
    parts = []
    for char in text:
        cases = "".join(dict.fromkeys(c for c in (char, char.lower(), char.upper()) if len(c) == 1))
        if len(cases) > 1 or char in "*?[":
            parts.append(f"[{cases}]")
        else:
            parts.append(char)
    return "".join(parts)


def equals_any_case(field: str, value: str) -> Q:
    """`field` is `value` with upper and lower case ignored, for every letter.

    PostgreSQL's iexact compares UPPER() of both, which knows all letters. SQLite's (LIKE)
    folds only A-Z, so MÜNCHEN would miss München there. GLOB with both cases of each letter
    folds them all, and is no slower than LIKE: neither can use an index on SQLite.
    """
    if connection.vendor != "sqlite":
        return Q(**{f"{field}__iexact": value})
    return Q(Glob(F(field), Value(glob_any_case(value))))


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


LEGAL_HOLD = "legal_hold"


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
    # A LegalBasis state of the privacy app, or LEGAL_HOLD.
    legal_state: str = ""
    # Only the talents this import (ImportJob id) created.
    import_job: int | None = None
    ids: tuple[int, ...] = ()
    sort: str = DEFAULT_SORT


# At most this many talents in the pool and tag are checked one by one (each costs
# about 6 µs: reading the row); beyond it the text index is read instead.
MAX_MEMBERS = 20_000


def filter_talents(qs: QuerySet[Talent], f: TalentFilters) -> QuerySet[Talent]:
    """Apply filters and sort to an already permission-scoped queryset."""
    scoped = qs
    condition = text_condition(f.q) if f.q else None
    if condition is not None:
        qs = qs.filter(condition)
    members = _members(f) if condition is not None else None
    if members is not None:
        qs = qs.filter(AnyOf(F("pk"), members))
    else:
        # IN rather than EXISTS: SQLite then reads the talents by id from the tag's index
        # instead of testing each talent with the status (a count of (b) in 24 ms, not
        # 150 ms); PostgreSQL plans both alike.
        if f.pool is not None:
            qs = qs.filter(pk__in=PoolMembership.objects.filter(pool_id=f.pool).values("talent_id"))
        if f.tag is not None:
            qs = qs.filter(pk__in=TalentTag.objects.filter(tag_id=f.tag).values("talent_id"))
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
        qs = qs.filter(equals_any_case("city", f.city.strip()))
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.legal_state == LEGAL_HOLD:
        qs = qs.filter(legal_basis__legal_hold_until__gte=timezone.localdate())
    elif f.legal_state:
        qs = qs.filter(legal_basis__state=f.legal_state)
    if f.import_job is not None:
        # The talents it created; after an undo, the talents the undo kept.
        records = ImportedTalent.objects.filter(job_id=f.import_job)
        listed = records.filter(Q(created=True) | Q(kept=True))
        qs = qs.filter(pk__in=listed.values("talent_id"))
    if f.ids:
        qs = qs.filter(pk__in=f.ids)
    if members is not None:
        # Check the members' words once, here, rather than again for the total and for
        # each page: what matches is usually a few hundred talents. (Above the exact
        # count limit, the planner cannot see into the list and the total is shown as
        # "about" the limit.)
        matched = list(qs.order_by().values_list("pk", flat=True))
        qs = scoped.filter(AnyOf(F("pk"), matched))
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def _members(f: TalentFilters) -> list[int] | None:
    """Ids of the talents in f.pool with f.tag, if checking their words beats the index.

    PostgreSQL only, for a text search with a pool or tag filter. A common word ("sql")
    matches a fifth of all talents; left to EXISTS, the planner either reads all of them
    through the text index or walks the newest-first index until 50 match: 0.3-3 s at a
    million talents (docs/benchmarks.md). The talents of a pool with a tag come from
    the two indexes alone (15-30 ms), and checking a few thousand of them costs less,
    unless the words are rarer than the members (the index reads every talent with any
    of the words, as prefixes match in full): then None leaves the planner to it.
    """
    if connection.vendor != "postgresql" or (f.pool is None and f.tag is None):
        return None
    any_word = " | ".join(f"{term}:*" for term in words(f.q)[:MAX_QUERY_WORDS])
    with_any_word = Talent.objects.filter(PrefixMatch(F("search_text"), Value(any_word)))
    most = min(MAX_MEMBERS, _planner_estimate(with_any_word))
    links: list[QuerySet[Any]] = []
    if f.pool is not None:
        links.append(PoolMembership.objects.filter(pool_id=f.pool))
    if f.tag is not None:
        links.append(TalentTag.objects.filter(tag_id=f.tag))
    ids = links[0].order_by()
    for other in links[1:]:
        ids = ids.filter(talent_id__in=other.values("talent_id"))
    found = list(ids.values_list("talent_id", flat=True)[: most + 1])
    return found if len(found) <= most else None


@dataclass(frozen=True)
class Total:
    """How many talents match: exact, or an estimate when counting would be slow."""

    value: int
    exact: bool


def count_talents(qs: QuerySet[Talent]) -> Total:
    """Count exactly up to SEARCH_EXACT_COUNT_LIMIT, estimate above it (PostgreSQL only).

    An exact count of a broad filter over a million rows costs 140-165 ms on PostgreSQL
    (performance-limits.md), more than the whole page budget; large search products
    show "about 45,000" instead. Even a count that stops at the limit has to find
    10,001 rows first (240 ms for a tag and a status, docs/benchmarks.md). So PostgreSQL
    asks the planner first (EXPLAIN, 1-4 ms) and counts only what it expects to be at
    most the limit; its estimates for our filters were within 5 % in the benchmark.
    SQLite has no estimate and always counts exactly.
    """
    limit = settings.SEARCH_EXACT_COUNT_LIMIT
    qs = qs.order_by()
    estimate = _planner_estimate(qs) if connection.vendor == "postgresql" else None
    if estimate is not None and estimate > limit:
        return Total(estimate, False)
    capped = qs.values("pk")[: limit + 1].count()
    if capped <= limit:
        return Total(capped, True)
    if estimate is None:
        return Total(qs.count(), True)
    return Total(max(estimate, limit + 1), False)


def _planner_estimate(qs: QuerySet[Talent]) -> int:
    try:
        sql, params = qs.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter by no ids at all (an empty pool's members, say)
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # noqa: S608 - ORM-built SQL
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
