"""Silverpool's own import, measured for bench.import_bench: the workbook goes through the
services the import page uses (create_job, the check, the run: validation, duplicate
detection, talents, events, legal bases, pool and tag links, search index) into a
database of 100,000 talents, about 10 % of the file's emails among them.

Each run starts from a fresh copy of that database (PostgreSQL: CREATE DATABASE …
TEMPLATE; SQLite: a file copy), so runs compare. The databases are made once:

    silverpool_bench_import        PostgreSQL, 100,000 talents (bench.generate_talents)
    bench/out/bench-import.sqlite3 SQLite, the same 100,000 talents
"""

import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .databases import OUT_DIR, PG_SERVER, Backend

if TYPE_CHECKING:
    from silverpool.imports.models import ImportJob

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


def settle() -> None:
    """A quiet machine for the next measurement: the PostgreSQL copy of the one before
    goes (autovacuum would analyse its new rows meanwhile), PostgreSQL writes the pages it
    changed (its checkpointer would, during the next measurement), and so does the kernel
    with the files written (SQLite's)."""
    drop_copies()
    _psql("CHECKPOINT")
    os.sync()


def _status_kib(pid: str, key: str = "VmRSS") -> int:
    """A memory figure of /proc/PID/status: VmRSS (now) or VmHWM (the peak)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0  # ended meanwhile
    line = next((line for line in status.splitlines() if line.startswith(f"{key}:")), "")
    return int(line.split()[1]) if line else 0


def _children(pid: str) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += task.read_text().split()
        except OSError:
            continue
    return found


class TreeMemory(threading.Thread):
    """The resident memory of this process and its descendants (the reading process of
    the check), sampled every 50 ms: the peak of what they held at the same moment.
    (Adding up the processes' maxrss would add peaks of different moments, and a spawned
    process's maxrss includes its parent's memory from before the exec.)"""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.05):
            self.sample()

    def sample(self) -> None:
        pending, total = [str(os.getpid())], 0
        while pending:
            pid = pending.pop()
            total += _status_kib(pid)
            pending.extend(_children(pid))
        self.peak_kib = max(self.peak_kib, total)

    def take_peak_mb(self) -> float:
        """The peak since the last call, in MB; starts the next period."""
        self.sample()
        peak, self.peak_kib = self.peak_kib / 1024, 0
        return peak


def _migrate(backend: Backend) -> None:
    """The copy has the schema of when the database was made: bring it to the code's, in a
    process of its own, as a deployment does."""
    from .databases import setup_django

    setup_django(backend)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _upload(path: Path, backend: Backend) -> tuple[int, float, float, float]:
    """The upload, in a process of its own as in a web process: it opens the workbook to
    suggest the mapping (a large one in a reading process of its own). Returns the job's
    id, the seconds `create_job` took (a web process is running already: starting this
    one and Django in it is not timed), the peak memory in MB of this process and its
    reading process at the same moment, and this process's own peak (VmHWM: maxrss would
    count the parent's memory from before the exec)."""
    from .databases import BENCH_USER, setup_django

    os.environ["MEDIA_ROOT"] = str(OUT_DIR / "media")
    setup_django(backend)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from silverpool.accounts.models import User
    from silverpool.imports import services

    # A recruiter, as most uploaders are: the import checks what they may see.
    user = User.objects.get(username=BENCH_USER)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    memory = TreeMemory()
    memory.start()
    started = time.perf_counter()
    job = services.create_job(upload, user=user)
    elapsed = time.perf_counter() - started
    memory.stopping.set()
    return job.pk, elapsed, memory.take_peak_mb(), _status_kib("self", "VmHWM") / 1024


def measure_ours(path: Path, backend: Backend, *, undo: bool = False) -> dict[str, Any]:
    """In a child process whose environment points at a fresh copy: upload, check, run;
    with `undo`, then the undo of the import, as the import history page starts it."""
    from .databases import setup_django

    os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ["MEDIA_ROOT"] = str(OUT_DIR / "media")
    with multiprocessing.get_context("spawn").Pool(1) as deploy:
        deploy.apply(_migrate, (backend,))
    setup_django(backend)

    from silverpool.imports import services
    from silverpool.imports.models import ImportJob
    from silverpool.imports.services import check, run
    from silverpool.talents.models import CustomField, Pool, Tag, Talent

    pool, _created = Pool.objects.get_or_create(name="Bench import")
    tag, _created = Tag.objects.get_or_create(name="Bench import")
    # The team keeps notice periods in a field of its own, as the limit's rows have them
    # (without it, the column is suggested for the note).
    CustomField.objects.get_or_create(
        key="notice_period",
        defaults={"label_en": "Notice period", "label_de": "Kündigungsfrist"},
    )
    before = Talent.objects.count()

    # Not a multiprocessing.Pool: its processes are daemons, which may not start the
    # upload's reading process.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as web:
        job_id, upload_s, upload_peak, web_peak = web.submit(_upload, path, backend).result()
    started = time.perf_counter()
    job = ImportJob.objects.get(pk=job_id)
    # From here this process is the worker: the check (with, for a large file, the process
    # that opens it beside it), then the run.
    memory = TreeMemory()
    memory.start()
    services.request_check(job, enqueue=False)
    check.check_file(job.pk)
    checked = time.perf_counter()
    # The worker and, for a large file, the reading process beside it.
    check_peak = memory.take_peak_mb()
    job.refresh_from_db()

    def decide() -> None:
        job.pools.set([pool])
        job.tags.set([tag])

    services.start_import(job, enqueue=False, decide=decide)
    run.run_import(job.pk)
    finished = time.perf_counter()
    run_peak = memory.take_peak_mb()  # the worker alone: the run reads the spooled rows
    memory.stopping.set()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.error
    stored = Talent.objects.count() - before
    undone = _undo(job, before) if undo else {}
    return {
        "rows": job.total_rows,
        "stored": stored,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "repeated": job.repeated_count,
        "rejected": job.rejected_count,
        "check_s": upload_s + checked - started,
        "total_s": finished - checked,
        "peak_mb": max(upload_peak, check_peak, run_peak),
        "peak_upload_mb": upload_peak,
        "peak_web_mb": web_peak,  # the web process alone, during the upload
        "peak_check_mb": check_peak,
        "peak_run_mb": run_peak,
        # This process's peak (maxrss, KiB on Linux): the worker's, in the check or the run.
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **undone,
    }


def _undo(job: "ImportJob", before: int) -> dict[str, Any]:
    """Undo the import by the recruiter who ran it; its seconds and counts. Every talent
    it created goes (nobody changed one since), and the talents it updated are reverted."""
    from silverpool.imports.models import ImportJob
    from silverpool.imports.services import undo
    from silverpool.talents.models import Talent

    assert job.uploaded_by is not None
    started = time.perf_counter()
    undo.request_undo(job, actor=job.uploaded_by)  # the task runs at once (immediate backend)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == ImportJob.State.UNDONE, job.state
    assert Talent.objects.count() == before, "the undo left talents behind"
    return {"undo_s": elapsed, **{f"undo_{key}": value for key, value in job.undo_summary.items()}}


if __name__ == "__main__":
    # Run as its own main module (bench.import_bench starts it so): the processes the
    # import spawns import the main module again, and this one is light, as manage.py is
    # in production; bench.import_bench would bring openpyxl and Faker into the reading
    # process.
    found = measure_ours(
        Path(sys.argv[1]),
        "postgres" if sys.argv[2] == "postgres" else "sqlite",
        undo="--undo" in sys.argv[3:],
    )
    print(json.dumps(found))
