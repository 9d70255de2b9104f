"""Silverpool's own import, measured for bench.import_bench: the workbook goes through the
services the import page uses (create_job, the check, the run: validation, duplicate
detection, talents, events, legal bases, pool and tag links, search index) into a
database of 100,000 talents, about 10 % of the file's emails among them.

Each run starts from a fresh copy of that database (PostgreSQL: CREATE DATABASE …
TEMPLATE; SQLite: a file copy), so runs compare. The databases are made once:

    silverpool_bench_import        PostgreSQL, 100,000 talents (bench.generate_talents)
    bench/out/bench-import.sqlite3 SQLite, the same 100,000 talents
"""

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .databases import OUT_DIR, PG_SERVER, Backend

EXISTING_TALENTS = 100_000
PG_TEMPLATE = "silverpool_bench_import"
PG_RUN = "silverpool_bench_import_run"
SQLITE_TEMPLATE = OUT_DIR / "bench-import.sqlite3"
SQLITE_RUN = OUT_DIR / "bench-import-run.sqlite3"


def _psql(sql: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed statements
        ["psql", "-qAt", f"{PG_SERVER}/postgres", "-c", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _generate(backend: Backend) -> None:
    env = {
        **os.environ,
        "BENCH_PG_DATABASE": PG_TEMPLATE,
        "BENCH_SQLITE_PATH": str(SQLITE_TEMPLATE),
    }
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.generate_talents", "--backend", backend]
        + ["--size", str(EXISTING_TALENTS)],
        check=True,
        env=env,
    )


def ensure_databases() -> None:
    """The two databases of 100,000 talents, made once (about half a minute each)."""
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_TEMPLATE}'"):
        _generate("postgres")
    if not SQLITE_TEMPLATE.exists():
        _generate("sqlite")


def fresh_copy(backend: Backend) -> dict[str, str]:
    """A fresh copy of the backend's database of 100,000 talents; the environment that
    points bench.databases at it."""
    if backend == "postgres":
        _psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
        _psql(f"CREATE DATABASE {PG_RUN} TEMPLATE {PG_TEMPLATE}")
        return {"BENCH_PG_DATABASE": PG_RUN}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_RUN}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(SQLITE_TEMPLATE, SQLITE_RUN)
    return {"BENCH_SQLITE_PATH": str(SQLITE_RUN)}


def drop_copies() -> None:
    _psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_RUN}{suffix}").unlink(missing_ok=True)


def measure_ours(path: Path, backend: Backend) -> dict[str, Any]:
    """In a child process whose environment points at a fresh copy: upload, check, run."""
    from .databases import setup_django
    from .generate_talents import BENCH_USER
    from .import_bench import peak_mb

    os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ["MEDIA_ROOT"] = str(OUT_DIR / "media")
    setup_django(backend)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    # The copy has the schema of when the database was made; bring it to the code's.
    call_command("migrate", verbosity=0)

    from silverpool.accounts.models import User
    from silverpool.imports import services
    from silverpool.imports.models import ImportJob
    from silverpool.imports.services import check, run
    from silverpool.talents.models import Pool, Tag, Talent

    # A recruiter, as most uploaders are: the import checks what they may see.
    user = User.objects.get(username=BENCH_USER)
    pool, _created = Pool.objects.get_or_create(name="Bench import")
    tag, _created = Tag.objects.get_or_create(name="Bench import")
    before = Talent.objects.count()

    started = time.perf_counter()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = services.create_job(upload, user=user)
    services.request_check(job, enqueue=False)
    check.check_file(job.pk)
    checked = time.perf_counter()
    # A large file is read in a process beside this one during the check (its peak is
    # the children's); the run reads the rows the check spooled, in this process alone.
    check_peak = peak_mb() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    job.refresh_from_db()

    def decide() -> None:
        job.pools.set([pool])
        job.tags.set([tag])

    services.start_import(job, enqueue=False, decide=decide)
    run.run_import(job.pk)
    finished = time.perf_counter()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.error
    return {
        "rows": job.total_rows,
        "stored": Talent.objects.count() - before,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "repeated": job.repeated_count,
        "rejected": job.rejected_count,
        "check_s": checked - started,
        "total_s": finished - checked,
        # During the check, this process's peak and the reading process's added up (an
        # upper bound of what both held at the same time); during the run, this one's.
        "peak_mb": max(check_peak, peak_mb()),
        "peak_check_mb": check_peak,
        "peak_run_mb": peak_mb(),
    }
