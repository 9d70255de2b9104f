"""The benchmark's own databases and how a bench script points Django at one of them.

The bench never touches the development database or anyone's test databases: it uses
`silverpool_bench` on the local PostgreSQL server and `bench/out/bench.sqlite3`.
"""

import os
from pathlib import Path
from typing import Literal

Backend = Literal["postgres", "sqlite"]

OUT_DIR = Path(__file__).resolve().parent / "out"
SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE_PATH", OUT_DIR / "bench.sqlite3"))
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
# The import benchmark points this at its own database of 100,000 talents.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "silverpool_bench")
DEFAULT_SIZES: dict[Backend, int] = {"postgres": 1_000_000, "sqlite": 100_000}
# The recruiter the benches search and import as (bench.generate_talents makes it).
BENCH_USER = "bench-recruiter"


def database_url(backend: Backend) -> str:
    if backend == "postgres":
        return f"{PG_SERVER}/{PG_DATABASE}"
    return f"sqlite:///{SQLITE_PATH}"


def setup_django(backend: Backend) -> None:
    """Configure and start Django against the bench database of `backend`.

    Must run before anything imports a model. The data directory (secret key, collected
    static files) is bench/out/data, so the bench leaves ./var alone.
    """
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = database_url(backend)
    os.environ["SILVERPOOL_DATA_DIR"] = str(OUT_DIR / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silverpool.settings")
    # The test client talks to host "testserver"; production keeps its own list.
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()


def ensure_pg_database() -> None:
    """Create `silverpool_bench` on the local server if it does not exist yet."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE])
        if found.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
