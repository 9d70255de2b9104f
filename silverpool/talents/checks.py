"""System checks (`manage.py check`) for what the talents app needs from its database."""

from typing import Any

from django.core.checks import CheckMessage, Error
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

# Created by migration 0002 on SQLite (the insert trigger redefined by 0010). SQLite drops
# a table's triggers when a migration rebuilds the table (its ALTER copies the table), and
# search would then quietly miss every new or changed talent.
FTS_TRIGGERS = ("talents_talent_fts_ai", "talents_talent_fts_ad", "talents_talent_fts_au")


def missing_search_triggers() -> list[str]:
    """The FTS5 triggers missing from a SQLite database on which migration 0002 has run."""
    if connection.vendor != "sqlite":
        return []
    if ("talents", "0002_search_index") not in MigrationRecorder(connection).applied_migrations():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'talents_talent'"
        )
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in FTS_TRIGGERS if name not in present]


def check_search_triggers(**kwargs: Any) -> list[CheckMessage]:
    # Not tagged "database", so that a plain `manage.py check` runs it; it reads only
    # SQLite's own catalogue, and nothing at all on PostgreSQL.
    missing = missing_search_triggers()
    if not missing:
        return []
    return [
        Error(
            f"The full-text search triggers {', '.join(missing)} are missing from the SQLite "
            "database: new and changed talents are not found by search.",
            hint=(
                "A migration probably rebuilt talents_talent. Add a migration that creates "
                "the triggers again as in talents/migrations/0002_search_index.py, then runs "
                "INSERT INTO talents_talent_fts(talents_talent_fts) VALUES ('rebuild')."
            ),
            id="talents.E001",
        )
    ]
