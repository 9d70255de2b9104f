"""Fill a bench database with realistic talents, fast.

    .venv/bin/python -m bench.generate_talents --backend postgres            # 1,000,000
    .venv/bin/python -m bench.generate_talents --backend sqlite              # 100,000
    .venv/bin/python -m bench.generate_talents --backend postgres --size 50000

PostgreSQL is loaded with COPY into the real Django tables of `silverpool_bench` (secondary
indexes dropped during the load and rebuilt after it, as a bulk load does); SQLite with
executemany in one transaction into bench/out/bench.sqlite3 (the FTS5 triggers fill the
search table). Afterwards PostgreSQL gets VACUUM ANALYZE, SQLite VACUUM (see load_sqlite).
A database that already holds exactly `--size` talents is reused, so a rerun only
re-checks migrations.

search_text and name_key are built by the same functions the services use.
"""

import argparse
import functools
import json
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast
from unittest.mock import patch

from . import vocabulary as vocab
from .databases import (
    BENCH_USER,
    DEFAULT_SIZES,
    SQLITE_PATH,
    Backend,
    ensure_pg_database,
    setup_django,
)

if TYPE_CHECKING:
    from silverpool.talents.models import Talent

TALENT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "city",
    "country",
    "job_title",
    "skills",
    "linkedin_url",
    "profile_urls",
    "salary_amount",
    "salary_currency",
    "salary_period",
    "available_from",
    "status_id",
    "source_kind",
    "source_label",
    "owner_id",
    "custom_values",
    "created_at",
    "updated_at",
    "last_activity_at",
    "search_text",
    "name_key",
    "is_restricted",
    "merged_into_id",
)
LINK_COLUMNS = ("talent_id", "{target}_id", "added_by_id", "added_at")
JSON_COLUMNS = {TALENT_COLUMNS.index(c) for c in ("skills", "profile_urls", "custom_values")}
PHONE_PREFIXES = {
    "DE": ("+49151", "+49160", "+49170", "+49176", "+4930", "+4940", "+4989"),
    "AT": ("+43660", "+43664", "+431"),
    "CH": ("+4179", "+4178", "+4144"),
    "GB": ("+447700", "+447911", "+4420"),
    "NL": ("+316", "+3120"),
}
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "", "-": "", "'": ""})


class Picker:
    """Weighted choice from a fixed list, with the cumulative weights computed once."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]):
        self.rng = rng
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self) -> Any:
        return self.rng.choices(self.items, cum_weights=self.cum)[0]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


@dataclass(frozen=True)
class Catalog:
    """Ids of the rows talents point at: statuses, pools, tags, recruiters."""

    statuses: dict[str, int]
    pools: list[tuple[int, bool, str, float]]
    tags: list[tuple[int, float]]
    recruiters: list[tuple[int, str]]


def ensure_catalog() -> Catalog:
    """Create (once) the pools, tags and recruiters of the bench; return their ids."""
    from silverpool.accounts.models import User
    from silverpool.talents.models import Pool, Status, Tag

    recruiters = []
    for i, (first, last) in enumerate(vocab.RECRUITERS):
        username = BENCH_USER if i == 0 else f"bench-{first.lower()}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": User.Role.RECRUITER},
        )
        if created:
            user.set_unusable_password()
            user.save()
        recruiters.append((user.pk, f"{first} {last}"))
    pools = []
    for name, private, field, share in vocab.POOLS:
        pool = Pool.objects.filter(name__iexact=name).first() or Pool.objects.create(
            name=name, is_private=private
        )
        if private:
            # The bench recruiter and one colleague run the confidential search.
            pool.members.add(recruiters[0][0], recruiters[1][0])
        pools.append((pool.pk, private, field, share))
    tags = []
    for name, share in vocab.TAGS:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append((tag.pk, share))
    statuses = {s.key: s.pk for s in Status.objects.all()}
    return Catalog(statuses=statuses, pools=pools, tags=tags, recruiters=recruiters)


class TalentMaker:
    """Makes one realistic talent at a time, reproducibly from a seed."""

    def __init__(self, catalog: Catalog, seed: int, now: datetime) -> None:
        from faker.providers.person.de_DE import Provider as German
        from faker.providers.person.en_GB import Provider as British
        from faker.providers.person.en_US import Provider as American

        self.rng = rng = random.Random(seed)
        self.catalog = catalog
        self.now = now

        def zipf_picker(items: Sequence[str], s: float = 0.9) -> Picker:
            shuffled = list(items)
            rng.shuffle(shuffled)  # the German lists are alphabetical
            return Picker(rng, shuffled, vocab.zipf(len(shuffled), s))

        def weighted(table: Any) -> Picker:
            return Picker(rng, list(table), list(table.values()))

        self.names = {
            ("de", "m"): zipf_picker(German.first_names_male),
            ("de", "f"): zipf_picker(German.first_names_female),
            ("de", "last"): zipf_picker(German.last_names, 0.8),
            ("en", "m"): weighted(American.first_names_male),
            ("en", "f"): weighted(American.first_names_female),
            ("en", "last"): weighted(British.last_names),
        }
        self.field = Picker(rng, vocab.FIELDS, [f.share for f in vocab.FIELDS])
        self.titles = {
            f.name: Picker(rng, f.titles, vocab.zipf(len(f.titles))) for f in vocab.FIELDS
        }
        self.skills = {
            f.name: Picker(rng, f.skills, vocab.zipf(len(f.skills))) for f in vocab.FIELDS
        }
        self.general = Picker(rng, vocab.GENERAL_SKILLS, vocab.zipf(len(vocab.GENERAL_SKILLS)))
        self.city = Picker(rng, vocab.CITIES, [c[3] for c in vocab.CITIES])
        self.domain = Picker(rng, vocab.EMAIL_DOMAINS, vocab.zipf(len(vocab.EMAIL_DOMAINS)))
        self.status = Picker(
            rng, [catalog.statuses[k] for k, _ in vocab.STATUSES], [w for _, w in vocab.STATUSES]
        )
        self.source = Picker(rng, vocab.SOURCES, [w for _, w, _ in vocab.SOURCES])
        self.owner = Picker(rng, catalog.recruiters, vocab.zipf(len(catalog.recruiters), 0.7))
        self.emails: set[str] = set()

    def person(self) -> tuple[str, str]:
        lang = "de" if self.rng.random() < 0.68 else "en"
        first = self.names[(lang, "m" if self.rng.random() < 0.55 else "f")]()
        if self.rng.random() < 0.03:
            first = f"{first}-{self.names[(lang, 'm')]()}"
        return first, self.names[(lang, "last")]()

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            return ""
        f, last_ascii = first.lower().translate(UMLAUTS), last.lower().translate(UMLAUTS)
        local = rng.choice((f"{f}.{last_ascii}", f"{f[0]}.{last_ascii}", f"{f}{last_ascii}"))
        email = f"{local}@{self.domain()}"
        while email in self.emails:
            email = f"{local}{rng.randint(1, 9999)}@{self.domain()}"
        self.emails.add(email)
        return email

    def moment_between(self, start: datetime, end: datetime, bias: float) -> datetime:
        """A time between start and end; bias < 1 leans towards `end`."""
        fraction: float = self.rng.random() ** bias
        return start + (end - start) * fraction

    def talent(self, talent_id: int) -> tuple[list[Any], list[int], list[int]]:
        """One talent row (TALENT_COLUMNS order) and the ids of its pools and tags."""
        from silverpool.talents.search import build_search_text
        from silverpool.talents.services.derived import name_key, search_parts

        rng, catalog = self.rng, self.catalog
        field = self.field()
        first, last = self.person()
        email = self.email(first, last)
        city, country, zip_prefix, _ = self.city()
        postcode = ""
        if zip_prefix:
            digits = 5 if country == "DE" else 4
            postcode = zip_prefix + "".join(rng.choices("0123456789", k=digits - len(zip_prefix)))
        skills = list(dict.fromkeys(self.skills[field.name].many(rng.randint(2, 8))))
        skills += list(dict.fromkeys(self.general.many(rng.randint(0, 3))))
        title = self.titles[field.name]() if rng.random() < 0.93 else ""
        phone = ""
        if rng.random() < 0.7:
            phone = rng.choice(PHONE_PREFIXES[country]) + str(rng.randint(1_000_000, 99_999_999))
        linkedin = ""
        if rng.random() < 0.55:
            slug = f"{first}-{last}".lower().translate(UMLAUTS)
            linkedin = f"https://www.linkedin.com/in/{slug}-{rng.getrandbits(24):06x}"
        profiles = (
            [f"https://github.com/{last.lower()}{talent_id}"]
            if field.name
            in (
                "software",
                "data",
            )
            and rng.random() < 0.3
            else []
        )
        salary = None
        if rng.random() < 0.6:
            low, high = field.salary
            salary = Decimal(round(rng.uniform(low, high), -3))
        available = None
        if rng.random() < 0.3:
            available = self.now.date() + timedelta(days=rng.randint(0, 180))
        source_kind, _, labels = self.source()
        owner = self.owner() if rng.random() < 0.8 else None
        source_label = rng.choice(labels) if labels else (owner[1] if owner else "")
        # More talents arrived recently than six years ago; many are never touched again.
        created = self.now - timedelta(days=2190 * rng.random() ** 1.6, seconds=rng.random())
        updated = created + timedelta(seconds=rng.randint(0, 5))
        if rng.random() < 0.6:
            updated = self.moment_between(created, self.now, 0.5)
        activity = self.moment_between(created, updated, 0.7)

        pools = []
        restricted = False
        for pool_id, private, pool_field, share in catalog.pools:
            if (pool_field in ("all", field.name)) and rng.random() < share:
                pools.append(pool_id)
                restricted = restricted or private
        tags = [tag_id for tag_id, share in catalog.tags if rng.random() < share]
        merged_into = (
            rng.randint(1, talent_id - 1) if talent_id > 1 and rng.random() < 0.003 else None
        )

        profile = SimpleNamespace(
            first_name=first,
            last_name=last,
            email=email,
            job_title=title,
            skills=skills,
            city=city,
            postcode=postcode,
            custom_values={},
        )
        search_text = build_search_text(search_parts(cast("Talent", profile)))
        row = [
            talent_id,
            first,
            last,
            email,
            phone,
            postcode,
            city,
            country,
            title,
            skills,
            linkedin,
            profiles,
            salary,
            "EUR" if country in ("DE", "AT", "NL") else ("CHF" if country == "CH" else "GBP"),
            "year",
            available,
            self.status(),
            source_kind,
            source_label,
            owner[0] if owner else None,
            {},
            created,
            updated,
            activity,
            search_text,
            name_key(first, last),
            restricted,
            merged_into,
        ]
        return row, pools, tags


def generate(
    catalog: Catalog, size: int, seed: int
) -> Iterator[tuple[list[Any], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Talent rows with their pool membership rows and tag rows."""
    from silverpool.talents import search
    from silverpool.talents.services import derived

    # Skills, titles and cities repeat across profiles, and folding them character by
    # character is most of the generation time. words() is pure, so caching it leaves
    # build_search_text and name_key exactly as they are.
    cached = functools.lru_cache(maxsize=100_000)(search.words)
    with patch.object(search, "words", cached), patch.object(derived, "words", cached):
        maker = TalentMaker(catalog, seed, datetime.now(UTC))
        recruiter_ids = [r[0] for r in catalog.recruiters]
        for talent_id in range(1, size + 1):
            row, pools, tags = maker.talent(talent_id)
            created = row[TALENT_COLUMNS.index("created_at")]
            adder = row[TALENT_COLUMNS.index("owner_id")] or recruiter_ids[talent_id % 5]
            added = created + timedelta(minutes=maker.rng.randint(0, 60 * 24 * 30))
            yield (
                row,
                [(talent_id, pool, adder, added) for pool in pools],
                [(talent_id, tag, adder, added) for tag in tags],
            )


def progress(done: int, size: int, started: float) -> None:
    if done % 100_000 == 0 or done == size:
        rate = done / (time.perf_counter() - started)
        print(f"  {done:>9,} / {size:,} talents  ({rate:,.0f}/s)", flush=True)


# --- PostgreSQL ------------------------------------------------------------------------

BULK_TABLES = ("talents_talent", "talents_poolmembership", "talents_talenttag")


def load_postgres(catalog: Catalog, size: int, seed: int) -> None:
    """COPY the talents in, with secondary indexes and FK checks off during the load."""
    import psycopg

    from .databases import database_url

    with psycopg.connect(database_url("postgres")) as conn:
        conn.execute(
            "TRUNCATE talents_talent, talents_poolmembership, talents_talenttag"
            " RESTART IDENTITY CASCADE"
        )
        # Foreign keys point at rows we create in the same load; checking 3M of them one
        # trigger call at a time would dominate the load.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '512MB'")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(BULK_TABLES)],
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        memberships: list[tuple[Any, ...]] = []
        taggings: list[tuple[Any, ...]] = []
        started = time.perf_counter()
        copy_sql = f"COPY talents_talent ({', '.join(TALENT_COLUMNS)}) FROM STDIN"
        with conn.cursor().copy(copy_sql) as copy:
            for done, (row, pools, tags) in enumerate(generate(catalog, size, seed), 1):
                for i in JSON_COLUMNS:
                    row[i] = json.dumps(row[i])
                copy.write_row(row)
                memberships += pools
                taggings += tags
                progress(done, size, started)
        for table, target, rows in (
            ("talents_poolmembership", "pool", memberships),
            ("talents_talenttag", "tag", taggings),
        ):
            columns = ", ".join(LINK_COLUMNS).format(target=target)
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for link in rows:
                    copy.write_row(link)
        print(f"  copied in {time.perf_counter() - started:.0f} s; rebuilding indexes", flush=True)
        for _, definition in indexes:
            conn.execute(definition)
        for table in BULK_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for table in BULK_TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")


# --- SQLite ----------------------------------------------------------------------------


def sqlite_value(value: Any) -> Any:
    # The same text forms Django stores: naive UTC datetimes, ISO dates, JSON text.
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).replace(tzinfo=None))
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def load_sqlite(catalog: Catalog, size: int, seed: int) -> None:
    """executemany in one transaction; the FTS5 triggers index search_text as rows arrive."""
    conn = sqlite3.connect(SQLITE_PATH)
    conn.execute("PRAGMA journal_mode=WAL")
    talents: list[list[Any]] = []
    memberships: list[tuple[Any, ...]] = []
    taggings: list[tuple[Any, ...]] = []
    started = time.perf_counter()
    for done, (row, pools, tags) in enumerate(generate(catalog, size, seed), 1):
        talents.append([sqlite_value(v) for v in row])
        memberships += [tuple(sqlite_value(v) for v in link) for link in pools]
        taggings += [tuple(sqlite_value(v) for v in link) for link in tags]
        progress(done, size, started)
    with conn:
        marks = ", ".join("?" * len(TALENT_COLUMNS))
        conn.executemany(
            f"INSERT INTO talents_talent ({', '.join(TALENT_COLUMNS)}) VALUES ({marks})", talents
        )
        for table, target, rows in (
            ("talents_poolmembership", "pool", memberships),
            ("talents_talenttag", "tag", taggings),
        ):
            columns = ", ".join(LINK_COLUMNS).format(target=target)
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?)", rows)
    print(f"  inserted in {time.perf_counter() - started:.0f} s", flush=True)
    # Merge the FTS segments written by the bulk insert, as the incremental automerge
    # would over time. No ANALYZE: Silverpool never runs it on SQLite, and with its
    # statistics "merged_into_id IS NULL" (true for nearly every talent) looks selective,
    # so the planner walks that index: the page of (b) takes 20 ms instead of 5 ms.
    conn.execute("INSERT INTO talents_talent_fts(talents_talent_fts) VALUES ('optimize')")
    conn.commit()
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    conn.execute("VACUUM")
    conn.close()


# --- main ------------------------------------------------------------------------------


def talent_count() -> int:
    from silverpool.talents.models import Talent

    return Talent.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], required=True)
    parser.add_argument("--size", type=int, help="talents (default 1M PostgreSQL, 100k SQLite)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="regenerate even if the size fits")
    args = parser.parse_args()
    backend: Backend = args.backend
    size: int = args.size or DEFAULT_SIZES[backend]

    if backend == "postgres":
        ensure_pg_database()
    setup_django(backend)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    existing = talent_count()
    if existing == size and not args.force:
        print(f"{backend}: reusing {existing:,} talents")
        return
    if backend == "sqlite" and existing:
        # Starting from an empty file is faster than deleting through the FTS triggers.
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            SQLITE_PATH.with_name(SQLITE_PATH.name + suffix).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
    catalog = ensure_catalog()
    print(f"{backend}: generating {size:,} talents (had {existing:,})", flush=True)
    started = time.perf_counter()
    connection.close()
    if backend == "postgres":
        load_postgres(catalog, size, args.seed)
    else:
        load_sqlite(catalog, size, args.seed)
    print(f"{backend}: {talent_count():,} talents in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
