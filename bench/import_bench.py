"""Measure Silverpool's import against what an xlsx import can reach here (the limit) and
what the usual tool does (the peer).

    .venv/bin/python -m bench.import_bench
    .venv/bin/python -m bench.import_bench --sizes 10000      # a quick look
    .venv/bin/python -m bench.import_bench --undo             # and each import undone
    .venv/bin/python -m bench.import_bench --rounds 3         # all of it three times

ours   the workbook through Silverpool's import services into a fresh copy of a database
       of 100,000 talents (about 10 % of the file's emails among them), on PostgreSQL and
       on SQLite: see bench/import_ours.py. The run is timed apart from the check (the
       preview), which reads the whole file before anything is written; the run writes
       the rows the check read.
limit  parse the workbook with python-calamine, find the header row, type the values
       (strip, lower-case emails, salaries and dates), drop blank, invalid and repeated
       rows, then COPY them into a scratch table made `LIKE talents_talent INCLUDING ALL`
       in silverpool_bench_import (same indexes, constraints and generated search vector;
       no foreign keys), dropped afterwards. Run for the 10k and the 100k workbook.
peer   django-import-export with a default ModelResource importing the 10k workbook into
       a plain model of 15 nullable text columns (its table made with schema_editor in
       silverpool_bench_import and dropped afterwards): loading with its XLSX format and
       `import_data`, as its admin import does. It reads the same rows from a copy of the
       workbook without the title row (it takes the first row for the header and fails
       on the title), blank lines ignored (IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES; it
       fails on them too), and the headers are renamed to the field names, the mapping the
       peer leaves to the user.

Each measurement runs in a fresh child process, so its peak memory (maxrss) is its own;
it includes the interpreter and Django. Ours is measured as what its processes hold at the
same moment in each step (see bench/import_ours.py). The talents of the import databases are not
touched (ours writes into a copy). The workbooks are made by bench.generate_workbook if
missing, the databases by bench.generate_talents.
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any

from . import import_ours
from .databases import OUT_DIR, Backend, database_url, setup_django
from .generate_talents import TALENT_COLUMNS
from .generate_workbook import COUNTRY_NAMES, workbook_path, write_workbook

BACKENDS: tuple[Backend, ...] = ("postgres", "sqlite")
# The limit's scratch table and the peer's table live in the import database for the time
# of their measurement (dropped afterwards).
TEMPLATE_ENV = {"BENCH_PG_DATABASE": import_ours.PG_TEMPLATE}
SCRATCH_TABLE = "bench_import_limit"
PEER_TABLE = "bench_import_peer"
PEER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "city",
    "country",
    "position",
    "skills",
    "salary",
    "available_from",
    "source",
    "linkedin",
    "notes",
    "notice_period",
)
# The spellings the workbook generator writes, read back to country codes.
COUNTRIES = {name.lower(): code for code, names in COUNTRY_NAMES.items() for name in names}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}")
SKILL_SPLIT = re.compile(r"\s*[,;/\n]\s*")
DIGITS = re.compile(r"\d+(?:\.\d{3})*")
PEAK_NOTE = "peak memory is the child process's maxrss"


def peak_mb() -> float:
    # Linux reports maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the limit -------------------------------------------------------------------------


def parse(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return list(sheet.iter_rows())


def header_index(rows: list[list[Any]]) -> int:
    """The first row that names at least ten columns: the header under the title row."""
    for i, row in enumerate(rows[:20]):
        if sum(1 for cell in row if isinstance(cell, str) and cell.strip()) >= 10:
            return i
    raise ValueError("no header row in the first 20 rows")


def salary(value: Any) -> Decimal | None:
    if isinstance(value, int | float):
        return Decimal(int(value))
    match = DIGITS.search(str(value))
    if not match:
        return None
    amount = int(match.group().replace(".", ""))
    return Decimal(amount * 1000 if "k" in str(value).lower() and amount < 1000 else amount)


def available(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[2] == "." and value[5] == ".":
        return date(int(value[6:]), int(value[3:5]), int(value[:2]))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    return None  # "sofort", "03/2027": left for the pipeline to interpret


def clean(rows: list[list[Any]], status_id: int) -> Iterator[tuple[Any, ...]]:
    """Talent rows in TALENT_COLUMNS order; blank, invalid and repeated rows are dropped."""
    now = datetime.now(UTC)
    seen: set[str] = set()
    talent_id = 0
    for raw in rows[header_index(rows) + 1 :]:
        if not any(raw):
            continue
        cells = [c.strip() if isinstance(c, str) else c for c in raw]
        first, last, email = str(cells[0]), str(cells[1]), str(cells[2]).lower()
        if email and (not EMAIL.fullmatch(email) or email in seen):
            continue
        seen.add(email)
        try:
            when = available(cells[10])
        except ValueError:
            continue  # an impossible date: 31.02.2027
        talent_id += 1
        postcode = cells[4]
        skills = [s for s in SKILL_SPLIT.split(str(cells[8])) if s]
        title = str(cells[7])
        city = str(cells[5])
        yield (
            talent_id,
            first,
            last,
            email,
            str(cells[3])[:32],
            f"{int(postcode):05d}" if isinstance(postcode, float) else str(postcode),
            city,
            COUNTRIES.get(str(cells[6]).lower(), ""),
            title,
            json.dumps(skills),
            str(cells[12]),
            "[]",
            salary(cells[9]) if cells[9] != "" else None,
            "EUR",
            "year",
            when,
            status_id,
            "import",
            "bench.xlsx",
            None,  # owner
            json.dumps({"notice_period": cells[14]} if cells[14] else {}),
            now,
            now,
            now,
            # A plain lower-cased join; the real folding is the pipeline's own cost.
            " ".join((first, last, email, title, city, *skills)).lower(),
            f"{first} {last}".lower(),
            False,
            None,  # merged into
        )


def measure_limit(path: Path) -> dict[str, Any]:
    """Parse, type and COPY one workbook; the scratch table is dropped afterwards."""
    import psycopg

    started = time.perf_counter()
    rows = parse(path)
    parsed = time.perf_counter()
    with psycopg.connect(database_url("postgres")) as conn:
        status = conn.execute("SELECT min(id) FROM talents_status").fetchone()
        conn.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        conn.execute(f"CREATE TABLE {SCRATCH_TABLE} (LIKE talents_talent INCLUDING ALL)")
        conn.commit()
        try:
            typed = list(clean(rows, status[0] if status else 1))
            cleaned = time.perf_counter()
            copy_sql = f"COPY {SCRATCH_TABLE} ({', '.join(TALENT_COLUMNS)}) FROM STDIN"
            with conn.cursor().copy(copy_sql) as copy:
                for row in typed:
                    copy.write_row(row)
            conn.commit()
            copied = time.perf_counter()
            stored = conn.execute(f"SELECT count(*) FROM {SCRATCH_TABLE}").fetchone()
        finally:
            conn.rollback()
            conn.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
            conn.commit()
    data_rows = sum(1 for r in rows[header_index(rows) + 1 :] if any(r))
    return {
        "rows": data_rows,
        "stored": stored[0] if stored else 0,
        "parse_s": parsed - started,
        "clean_s": cleaned - parsed,
        "copy_s": copied - cleaned,
        "total_s": copied - started,
        "peak_mb": peak_mb(),
    }


# --- the peer --------------------------------------------------------------------------


def measure_peer(path: Path) -> dict[str, Any]:
    """django-import-export, default resource, into a throwaway plain model."""
    setup_django("postgres")
    from django.conf import settings
    from django.db import connection, models
    from import_export.formats.base_formats import XLSX  # type: ignore[import-untyped]
    from import_export.resources import modelresource_factory  # type: ignore[import-untyped]

    attrs: dict[str, Any] = {
        name: models.TextField(blank=True, null=True)
        if name in ("skills", "notes")
        else models.CharField(max_length=255, blank=True, null=True)
        for name in PEER_FIELDS
    }
    meta = type("Meta", (), {"app_label": "imports", "db_table": PEER_TABLE, "managed": False})
    model: type[models.Model] = type(
        "BenchPeerCandidate", (models.Model,), {**attrs, "Meta": meta, "__module__": __name__}
    )
    # Without it the XLSX loader stops at the first blank row (tablib InvalidDimensions);
    # the resource itself keeps its defaults.
    settings.IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {PEER_TABLE}")
        editor.create_model(model)
    try:
        started = time.perf_counter()
        dataset = XLSX().create_dataset(path.read_bytes())
        # The mapping the peer leaves to the user: German headers to the field names.
        dataset.headers = list(PEER_FIELDS)
        loaded = time.perf_counter()
        result = modelresource_factory(model)().import_data(dataset, dry_run=False)
        finished = time.perf_counter()
        stored = model._default_manager.count()
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)
    return {
        "rows": len(dataset),
        "stored": stored,
        "errors": len(result.row_errors()),
        "parse_s": loaded - started,
        "total_s": finished - started,
        "peak_mb": peak_mb(),
    }


# --- the run ---------------------------------------------------------------------------


def in_child(
    kind: str, path: Path, env: dict[str, str] | None = None, *, undo: bool = False
) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return what it printed; `undo`: ours
    undoes its import afterwards, timed too."""
    command = ["-m", "bench.import_bench", "--child", kind, str(path)]
    if kind.startswith("ours-"):
        command = ["-m", "bench.import_ours", str(path), kind.removeprefix("ours-")]
        command += ["--undo"] if undo else []
    done = subprocess.run(  # noqa: S603 - our own modules, our own arguments
        [sys.executable, *command],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def write_existing_workbook(size: int, seed: int) -> None:
    """The workbook with about 10 % of its people from the import databases (their emails
    are read from PostgreSQL, hence a child process pointed at that database)."""
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.generate_workbook", "--rows", str(size)]
        + ["--seed", str(seed), "--existing-from", "postgres"],
        check=True,
        env={**os.environ, "BENCH_PG_DATABASE": import_ours.PG_TEMPLATE},
    )


def ratios(results: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, float]]:
    """Ours (the run; and check plus run, what the recruiter waits for) against the limit
    of the same file and against the peer, measured in the same round. Both backends are
    compared with the PostgreSQL limit and peer."""
    rate = {(r["what"], r["file"]): r["rows"] / r["total_s"] for r in results}
    peer = next(value for (what, _file), value in rate.items() if what == "peer")
    found = {}
    for r in results:
        if not r["what"].startswith("ours-"):
            continue
        ours = rate[(r["what"], r["file"])]
        both = r["rows"] / (r["check_s"] + r["total_s"])
        limit = rate[("limit", r["file"])]
        found[(r["what"], r["file"])] = {
            "run": ours,
            "both": both,
            "limit": ours / limit,
            "limit_both": both / limit,
            "peer": ours / peer,
            "peer_both": both / peer,
            "peak": r["peak_mb"],
        }
    return found


def print_ratios(rounds: list[list[dict[str, Any]]]) -> None:
    """Ours against the limit and the peer, and the targets; with several rounds, each
    figure is the median of the rounds' own, with their range and how many rounds met the
    target."""
    each = [ratios(results) for results in rounds]

    def show(
        key: tuple[str, str], name: str, digits: int, met: Callable[[float], bool] | None = None
    ) -> str:
        values = [found[key][name] for found in each]
        text = f"{median(values):,.{digits}f}"
        if len(values) > 1:
            text += f" ({min(values):,.{digits}f}-{max(values):,.{digits}f})"
            if met is not None:
                text += f", met {sum(map(met, values))}/{len(values)}"
        return text

    print(
        "\n| ours | file | run rows/s | check + run rows/s | × limit (target ≥ 0.5)"
        " | × peer (≥ 10) | peak MB (< 300) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for key in each[0]:
        what, file = key
        print(
            f"| {what.removeprefix('ours-')} | {file} | **{show(key, 'run', 0)}**"
            f" | {show(key, 'both', 0)}"
            f" | {show(key, 'limit', 2, lambda v: v >= 0.5)}"
            f" (check + run {show(key, 'limit_both', 2)})"
            f" | {show(key, 'peer', 1, lambda v: v >= 10)}"
            f" (check + run {show(key, 'peer_both', 1)})"
            f" | {show(key, 'peak', 0, lambda v: v < 300)} |"
        )
    print()
    for file in dict.fromkeys(file for _what, file in each[0]):
        faster = sum(
            found[("ours-sqlite", file)]["run"] >= found[("ours-postgres", file)]["run"]
            for found in each
        )
        print(f"SQLite at least as fast as PostgreSQL, {file}: {faster}/{len(each)} rounds")


def print_undos(results: list[dict[str, Any]]) -> None:
    """How long undoing each of our imports took: the talents it created removed, the
    ones it updated reverted (with --undo)."""
    undone = [r for r in results if "undo_s" in r]
    if not undone:
        return
    print("\n| undo | file | removed | reverted | kept | s | talents/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in undone:
        removed, reverted = r.get("undo_removed", 0), r.get("undo_reverted", 0)
        print(
            f"| {r['what'].removeprefix('ours-')} | {r['file']} | {removed:,} | {reverted:,}"
            f" | {r.get('undo_kept', 0):,} | {r['undo_s']:.1f}"
            f" | **{(removed + reverted) / r['undo_s']:,.0f}** |"
        )


def measure_round(
    sizes: list[int], paths: dict[int, Path], peer_path: Path, *, undo: bool
) -> list[dict[str, Any]]:
    """The limit and ours on both backends for each size, then the peer: one round."""
    results: list[dict[str, Any]] = []
    try:
        for size in sizes:
            for kind in ("limit", *(f"ours-{backend}" for backend in BACKENDS)):
                import_ours.settle()
                env = TEMPLATE_ENV
                if kind.startswith("ours-"):
                    env = import_ours.fresh_copy("postgres" if "postgres" in kind else "sqlite")
                found = in_child(kind, paths[size], env, undo=undo)
                results.append({"what": kind, "file": paths[size].name, **found})
                rate = found["rows"] / found["total_s"]
                print(f"  {kind} {size:,}: {rate:,.0f} rows/s", flush=True)
    finally:
        import_ours.drop_copies()
    import_ours.settle()
    found = in_child("peer", peer_path, TEMPLATE_ENV)
    results.append({"what": "peer", "file": peer_path.name, **found})
    print(f"  peer {found['rows']:,}: {found['rows'] / found['total_s']:,.0f} rows/s", flush=True)
    return results


def median_results(rounds: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each measurement of the round in which it took the median time (the faster of the
    middle two for an even number of rounds), so that a row's figures are one run's."""
    return [
        sorted(runs, key=lambda r: r["total_s"])[(len(runs) - 1) // 2]
        for runs in zip(*rounds, strict=True)
    ]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--peer-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--undo", action="store_true", help="time the undo of our imports too")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure everything this many times, in turn; ratios are each round's own",
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        found = measure_limit(path) if kind == "limit" else measure_peer(path)
        print(json.dumps(found))
        return

    import_ours.ensure_databases()
    paths = {size: workbook_path(size, existing=True) for size in args.sizes}
    peer_path = workbook_path(args.peer_rows, title=False)
    for size in args.sizes:
        if not paths[size].exists():
            print(f"writing {paths[size].name}", flush=True)
            write_existing_workbook(size, args.seed)
    if not peer_path.exists():
        print(f"writing {peer_path.name}", flush=True)
        write_workbook(peer_path, args.peer_rows, seed=args.seed, title=False)
    print(f"load average before: {load_average()}", flush=True)
    rounds: list[list[dict[str, Any]]] = []
    for number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {number} of {args.rounds}", flush=True)
        rounds.append(measure_round(args.sizes, paths, peer_path, undo=args.undo))
    print(f"load average after: {load_average()}\n")
    if args.rounds > 1:
        print("Each row: the round in which it took the median time.\n")
    print(
        "| what | file | rows | stored | parse (ours: check) rows/s | COPY rows/s | rows/s | s"
        " | peak MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in median_results(rounds):
        copy_rate = f"{r['stored'] / r['copy_s']:,.0f}" if "copy_s" in r else ""
        print(
            f"| {r['what']} | {r['file']} | {r['rows']:,} | {r['stored']:,}"
            f" | {r['rows'] / r.get('parse_s', r.get('check_s', 0)):,.0f} | {copy_rate}"
            f" | **{r['rows'] / r['total_s']:,.0f}** | {r['total_s']:.1f} | {r['peak_mb']:.0f} |"
        )
    print_ratios(rounds)
    print_undos([r for results in rounds for r in results])
    print(
        "\nrows/s counts the file's data rows over the whole measurement (parse, type and"
        " COPY for the limit; load and import_data for the peer; the run after the check"
        " for ours, whose check is shown apart, with the upload's create_job);"
        f" {PEAK_NOTE}; for ours, the largest resident memory of the process and the one"
        " reading the file beside it at the same moment (sampled every 50 ms), in the"
        " largest of the three steps (upload, check, run)."
    )
    out = OUT_DIR / "results-import.json"
    out.write_text(json.dumps({"load": load_average(), "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
