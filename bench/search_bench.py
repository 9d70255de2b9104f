"""Time the talent search the way users hit it, next to the bare SQL of the same queries.

    .venv/bin/python -m bench.search_bench --backend postgres
    .venv/bin/python -m bench.search_bench --backend sqlite

Two kinds of query, each a list of different realistic requests drawn from the same
distributions the generator used:
  (a) a full-text term + a pool + a tag, newest update first, first page of 50;
  (b) a tag + a status, no text (tens of thousands of matches at 1M talents).
Each request goes through every path in turn (interleaved, so drift hits all alike):
  api      GET /api/v1/talents/?... with a real API token (django.test.Client);
  html     GET /talents/?... logged in (the whole page: middleware, session, template);
  service  filter_talents + count_talents + the page, used while an endpoint is missing;
  bare     hand-written SQL for the page and the total, with the strategy of search.py;
  bare-naive  the SQL one writes first: pool and tag as semi-joins, an exact count(*).
One warm-up pass, then --passes timed passes; p50/p95 over all timed requests.
"""

import argparse
import functools
import json
import random
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import vocabulary as vocab
from .databases import BENCH_USER, OUT_DIR, SQLITE_PATH, Backend, database_url, setup_django

if TYPE_CHECKING:
    from django.test import Client

    from silverpool.accounts.models import User

PAGE = 50
# p95 targets in ms from issue 2, per backend and path (the service path stands in for
# the API until the API has its list endpoint).
TARGETS: dict[tuple[Backend, str], float] = {
    ("postgres", "api"): 100,
    ("postgres", "service"): 100,
    ("postgres", "html"): 150,
    ("sqlite", "api"): 100,
    ("sqlite", "service"): 100,
}


@dataclass(frozen=True)
class Query:
    """One request: the filters as the list page and the API take them."""

    kind: str
    q: str = ""
    pool: int | None = None
    tag: int | None = None
    status: int | None = None
    status_key: str = ""

    def params(self, *, status_by_key: bool = False) -> dict[str, str]:
        """The query string; the page takes a status id, the API a status key."""
        status = self.status_key if status_by_key else self.status
        found = {"q": self.q, "pool": self.pool, "tag": self.tag, "status": status}
        return {k: str(v) for k, v in found.items() if v not in ("", None)} | {"sort": "updated"}


# --- the queries -----------------------------------------------------------------------


def make_queries(n: int, seed: int) -> dict[str, list[Query]]:
    """n queries of each kind, drawn like real searches: common skills and big pools more often."""
    from silverpool.talents.models import Pool, Status, Tag
    from silverpool.talents.search import words

    rng = random.Random(seed)
    pool_ids = {p.name: p.pk for p in Pool.objects.all()}
    tag_ids = {t.name: t.pk for t in Tag.objects.all()}
    status_ids = {s.key: s.pk for s in Status.objects.all()}
    field_share = {f.name: f.share for f in vocab.FIELDS}
    fields = {f.name: f for f in vocab.FIELDS}

    def pool_size(field: str, share: float) -> float:
        return share * (1.0 if field == "all" else field_share[field])

    pools = [(name, field) for name, _, field, _ in vocab.POOLS]
    pool_weights = [pool_size(field, share) for _, _, field, share in vocab.POOLS]
    tags = [name for name, _ in vocab.TAGS]
    tag_weights = [share for _, share in vocab.TAGS]

    def searchable(text: str) -> bool:
        return all(len(w) >= 2 for w in words(text))

    city = functools.partial(
        rng.choices, [c[0] for c in vocab.CITIES], [c[3] for c in vocab.CITIES]
    )

    def term(field_name: str | None) -> str:
        field = (
            fields[field_name]
            if field_name
            else rng.choices(vocab.FIELDS, list(field_share.values()))[0]
        )
        skills = [s for s in field.skills if searchable(s)]
        skill = rng.choices(skills, vocab.zipf(len(skills)))[0]
        roll = rng.random()
        if roll < 0.15:  # a word of a job title
            candidates = [w for t in field.titles for w in words(t) if len(w) >= 4]
            return rng.choice(candidates)
        if roll < 0.3:  # typed only partly: "kube", "postg"
            word = max(words(skill), key=len)
            return word[: max(3, len(word) - rng.randint(1, 3))]
        if roll < 0.4:  # a skill in a city
            return f"{skill} {city()[0]}"
        return skill

    text_queries = []
    for _ in range(n):
        pool_name, pool_field = rng.choices(pools, pool_weights)[0]
        tag = rng.choices(tags, tag_weights)[0]
        field_name = None if pool_field == "all" else pool_field
        text_queries.append(
            Query("a", q=term(field_name), pool=pool_ids[pool_name], tag=tag_ids[tag])
        )

    broad_tags = [(name, share) for name, share in vocab.TAGS if share >= 0.05]
    broad_queries: list[Query] = []
    while len(broad_queries) < n:
        tag, tag_share = rng.choices(broad_tags, [s for _, s in broad_tags])[0]
        status, status_share = rng.choices(vocab.STATUSES, [s for _, s in vocab.STATUSES])[0]
        if tag_share * status_share >= 0.01:  # >= 10,000 matches at a million talents
            broad_queries.append(
                Query("b", tag=tag_ids[tag], status=status_ids[status], status_key=status)
            )
    return {"a": text_queries, "b": broad_queries}


# --- our paths -------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a path returned, to check that all paths answer the same question."""

    ids: list[int]
    total: int | None
    exact: bool | None


def service_path(user: "User") -> Callable[[Query], Outcome]:
    from silverpool.talents.models import Talent
    from silverpool.talents.search import TalentFilters, count_talents, filter_talents

    def run(query: Query) -> Outcome:
        filters = TalentFilters(q=query.q, pool=query.pool, tag=query.tag, status=query.status)
        qs = filter_talents(Talent.objects.visible_to(user), filters)
        total = count_talents(qs)
        page = list(qs[:PAGE])
        return Outcome([t.pk for t in page], total.value, total.exact)

    return run


def api_path(client: "Client") -> Callable[[Query], Outcome | None]:
    def run(query: Query) -> Outcome | None:
        params = query.params(status_by_key=True) | {"page_size": str(PAGE)}
        response = client.get("/api/v1/talents", params)
        if response.status_code != 200:
            return None
        body: dict[str, Any] = response.json()
        items: list[dict[str, Any]] = body.get("items", [])
        return Outcome([item["id"] for item in items], body["total"], body["total_is_exact"])

    return run


def html_path(client: "Client") -> Callable[[Query], Outcome | None]:
    def run(query: Query) -> Outcome | None:
        try:
            response = client.get("/talents/", query.params())
        except NotImplementedError:
            return None
        if response.status_code != 200:
            return None
        # Which talents the page links to, in order, to check it against the bare SQL.
        ids = [int(pk) for pk in re.findall(rb'href="/talents/(\d+)/"', response.content)]
        return Outcome(list(dict.fromkeys(ids)), None, None)

    return run


# --- bare SQL --------------------------------------------------------------------------


class BareSQL:
    """The same queries hand-written, on a plain driver connection.

    `ours` follows the strategy of talents/search.py (on PostgreSQL: the pool and tag
    filters of a text search resolved to an id list first; the planner's estimate before
    any count), so ours/bare is what Django, the API and the page add. `naive` is the SQL
    one writes first (pool and tag as semi-joins, the planner left to itself, an exact
    count(*)), for comparison.
    """

    def __init__(self, backend: Backend, user_id: int, limit: int) -> None:
        from silverpool.talents.search import MAX_MEMBERS

        self.backend = backend
        self.user_id = user_id
        self.limit = limit
        self.max_members = MAX_MEMBERS
        self.conn: Any
        if backend == "postgres":
            import psycopg

            self.conn = psycopg.connect(database_url("postgres"), autocommit=True)
            self.conn.execute("SET statement_timeout = '20s'")
            self.mark = "%s"
        else:
            self.conn = sqlite3.connect(SQLITE_PATH)
            self.mark = "?"

    def fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        cursor = self.conn.execute(sql, params)
        return list(cursor.fetchall())

    def members(self, query: Query) -> list[int] | None:
        """Talents in the pool with the tag, as search.py's _members decides."""
        if self.backend != "postgres" or not query.q or (query.pool is None and query.tag is None):
            return None
        from silverpool.talents.search import words

        m = self.mark
        any_word = " | ".join(f"{w}:*" for w in words(query.q))
        most = min(
            self.max_members,
            self.estimate(f"t.search_vector @@ to_tsquery('simple', {m})", [any_word]),
        )
        if query.pool is not None and query.tag is not None:
            sql = (
                f"SELECT talent_id FROM talents_poolmembership WHERE pool_id = {m} AND talent_id"
                f" IN (SELECT talent_id FROM talents_talenttag WHERE tag_id = {m})"
            )
            params: list[Any] = [query.pool, query.tag]
        elif query.pool is not None:
            sql, params = (
                f"SELECT talent_id FROM talents_poolmembership WHERE pool_id = {m}",
                [query.pool],
            )
        else:
            sql, params = f"SELECT talent_id FROM talents_talenttag WHERE tag_id = {m}", [query.tag]
        found = [row[0] for row in self.fetch(f"{sql} LIMIT {most + 1}", params)]
        return found if len(found) <= most else None

    def where(self, query: Query, members: list[int] | None) -> tuple[str, list[Any]]:
        m = self.mark
        # A recruiter sees every talent except those only in private pools they are not in.
        sql = [
            "t.merged_into_id IS NULL",
            f"(NOT t.is_restricted OR t.id IN (SELECT pm.talent_id FROM talents_poolmembership pm"
            f" JOIN talents_pool p ON p.id = pm.pool_id JOIN talents_pool_members u"
            f" ON u.pool_id = p.id WHERE p.is_private AND u.user_id = {m}))",
        ]
        params: list[Any] = [self.user_id]
        if query.q:
            from silverpool.talents.search import words

            terms = words(query.q)
            if self.backend == "postgres":
                sql.append(f"t.search_vector @@ to_tsquery('simple', {m})")
                params.append(" & ".join(f"{w}:*" for w in terms))
            else:
                sql.append(
                    "t.id IN (SELECT rowid FROM talents_talent_fts"
                    f" WHERE talents_talent_fts MATCH {m})"
                )
                params.append(" AND ".join(f'"{w}"*' for w in terms))
        if members is not None:
            sql.append(f"t.id = ANY(ARRAY(SELECT unnest({m}::bigint[])))")
            params.append(members)
        else:
            if query.pool is not None:
                sql.append(
                    f"t.id IN (SELECT talent_id FROM talents_poolmembership WHERE pool_id = {m})"
                )
                params.append(query.pool)
            if query.tag is not None:
                sql.append(f"t.id IN (SELECT talent_id FROM talents_talenttag WHERE tag_id = {m})")
                params.append(query.tag)
        if query.status is not None:
            sql.append(f"t.status_id = {m}")
            params.append(query.status)
        return " AND ".join(sql), params

    def page(self, where: str, params: list[Any]) -> list[int]:
        rows = self.fetch(
            f"SELECT t.* FROM talents_talent t WHERE {where}"
            f" ORDER BY t.updated_at DESC, t.id DESC LIMIT {PAGE}",
            params,
        )
        return [row[0] for row in rows]

    def exact_count(self, where: str, params: list[Any]) -> int:
        return int(self.fetch(f"SELECT count(*) FROM talents_talent t WHERE {where}", params)[0][0])

    def estimate(self, where: str, params: list[Any]) -> int:
        plan = self.fetch(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM talents_talent t WHERE {where}", params
        )
        return int(plan[0][0][0]["Plan"]["Plan Rows"])

    def total(self, where: str, params: list[Any]) -> tuple[int, bool]:
        """As count_talents: an estimate when large, else a count stopping at the limit."""
        estimate = self.estimate(where, params) if self.backend == "postgres" else None
        if estimate is not None and estimate > self.limit:
            return estimate, False
        capped = int(
            self.fetch(
                f"SELECT count(*) FROM (SELECT 1 FROM talents_talent t WHERE {where}"
                f" LIMIT {self.limit + 1}) s",
                params,
            )[0][0]
        )
        if capped <= self.limit:
            return capped, True
        if estimate is None:
            return self.exact_count(where, params), True
        return max(estimate, self.limit + 1), False

    def ours(self, query: Query) -> Outcome:
        members = self.members(query)
        where, params = self.where(query, members)
        if members is not None:
            # As filter_talents: check the members once, then count and page the matches.
            matched = [
                row[0]
                for row in self.fetch(f"SELECT t.id FROM talents_talent t WHERE {where}", params)
            ]
            where, params = self.where(Query(query.kind), matched)
        total, exact = self.total(where, params)
        return Outcome(self.page(where, params), total, exact)

    def naive(self, query: Query) -> Outcome:
        where, params = self.where(query, None)
        return Outcome(self.page(where, params), self.exact_count(where, params), True)


# --- measuring -------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table."""

    backend: str
    kind: str
    path: str
    p50: float
    p95: float
    ratio_p50: float | None
    ratio_p95: float | None
    target: float | None
    passed: bool | None
    median_total: float | None


def percentile(samples: Sequence[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def check_same(kind: str, name: str, got: Outcome, want: Outcome) -> None:
    if got.ids and got.ids != want.ids:
        print(f"  ! {kind}/{name}: first page differs from the bare SQL")
    if got.total is not None and got.exact and want.exact and got.total != want.total:
        print(f"  ! {kind}/{name}: total {got.total} but the bare SQL says {want.total}")


def measure(
    backend: Backend,
    paths: dict[str, Callable[[Query], Outcome | None]],
    queries: dict[str, list[Query]],
    passes: int,
) -> dict[tuple[str, str], list[float]]:
    times: dict[tuple[str, str], list[float]] = {}
    totals: dict[str, list[int]] = {}
    for round_ in range(passes + 1):
        for kind, batch in queries.items():
            for query in batch:
                outcomes: dict[str, Outcome] = {}
                for name, run in paths.items():
                    started = time.perf_counter()
                    outcome = run(query)
                    elapsed = (time.perf_counter() - started) * 1000
                    if outcome is None:
                        raise SystemExit(f"{name} failed on {query}")
                    if round_:
                        times.setdefault((kind, name), []).append(elapsed)
                    outcomes[name] = outcome
                if round_ == 0:  # warm-up: check that every path answers alike
                    for name, outcome in outcomes.items():
                        check_same(kind, name, outcome, outcomes["bare"])
                    totals.setdefault(kind, []).append(outcomes["bare-naive"].total or 0)
        label = "warm-up" if round_ == 0 else f"pass {round_}/{passes}"
        print(f"  {label} done", flush=True)
    for kind, found in totals.items():
        times[(kind, "#total")] = [float(t) for t in found]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], required=True)
    parser.add_argument("--queries", type=int, default=50, help="queries of each kind")
    parser.add_argument("--passes", type=int, default=3, help="timed passes after the warm-up")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    backend: Backend = args.backend

    setup_django(backend)
    from django.conf import settings
    from django.test import Client

    from silverpool.accounts.models import ApiToken, User
    from silverpool.talents.models import Talent

    count = Talent.objects.count()
    if not count:
        raise SystemExit(f"No talents: run python -m bench.generate_talents --backend {backend}")
    # As in the tests: plain static URLs, so the page renders without a collectstatic run
    # (a manifest lookup is a dict lookup either way).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user = User.objects.get(username=BENCH_USER)
    ApiToken.objects.filter(user=user, name="bench").delete()
    _, raw_token = ApiToken.issue(user, "bench")
    api_client = Client(headers={"authorization": f"Bearer {raw_token}"})
    page_client = Client()
    page_client.force_login(user)
    bare = BareSQL(backend, user.pk, settings.SEARCH_EXACT_COUNT_LIMIT)

    queries = make_queries(args.queries, args.seed)
    probe = queries["a"][0]
    api, html = api_path(api_client), html_path(page_client)
    paths: dict[str, Callable[[Query], Outcome | None]] = {"bare": bare.ours}
    if api(probe) is not None:
        paths["api"] = api
    else:
        print("  the API has no talent list yet: timing the service path in its place")
        paths["service"] = service_path(user)
    if html(probe) is not None:
        paths["html"] = html
    else:
        print("  the talent list page is not built yet: no html figures")
    paths["bare-naive"] = bare.naive

    print(f"{backend}: {count:,} talents, {args.queries} queries per kind, {args.passes} passes")
    times = measure(backend, paths, queries, args.passes)
    rows = []
    for kind in queries:
        bare_times = times[(kind, "bare")]
        totals = times.get((kind, "#total"), [])
        for name in paths:
            samples = times[(kind, name)]
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            target = TARGETS.get((backend, name))
            ours = name not in ("bare", "bare-naive")
            rows.append(
                Row(
                    backend=f"{backend} {count // 1000:,}k",
                    kind=kind,
                    path=name,
                    p50=p50,
                    p95=p95,
                    ratio_p50=p50 / percentile(bare_times, 50) if ours else None,
                    ratio_p95=p95 / percentile(bare_times, 95) if ours else None,
                    target=target,
                    passed=None if target is None else p95 <= target,
                    median_total=statistics.median(totals) if totals else None,
                )
            )
    print_table(rows)
    ApiToken.objects.filter(user=user, name="bench").delete()
    out = OUT_DIR / f"results-{backend}.json"
    out.write_text(
        json.dumps(
            {"date": datetime.now(UTC).date().isoformat(), "rows": [asdict(r) for r in rows]}
        )
    )
    print(f"(written to {out})")


def print_table(rows: list[Row]) -> None:
    def ms(value: float | None, unit: str = "") -> str:
        return "–" if value is None else f"{value:.1f}{unit}"

    header = (
        "backend",
        "kind",
        "path",
        "p50 ms",
        "p95 ms",
        "ours/bare p50",
        "p95",
        "target p95",
        "",
    )
    lines = [header]
    for r in rows:
        verdict = "" if r.passed is None else ("pass" if r.passed else "FAIL")
        lines.append(
            (
                r.backend,
                r.kind,
                r.path,
                ms(r.p50),
                ms(r.p95),
                ms(r.ratio_p50, "×"),
                ms(r.ratio_p95, "×"),
                "–" if r.target is None else f"≤ {r.target:.0f}",
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(
            "  ".join(
                cell.ljust(w) if i < 3 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    by_kind = {r.kind: r.median_total for r in rows}
    print("median matches: " + ", ".join(f"({k}) {v:,.0f}" for k, v in by_kind.items() if v))


if __name__ == "__main__":
    main()
