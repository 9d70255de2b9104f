"""SQLite: the search index of talents inserted in bulk is written once per batch.

The insert trigger (migration 0002) writes each new talent into the FTS5 table as it is
inserted, which costs as much as the row itself and its indexes together. A transaction
that holds a row in `talents_search_deferred` turns the trigger off for itself (other
writers wait for it: SQLite has one writer at a time) and indexes its talents in one
statement instead (see talents/search.py, `search_index_deferred`). PostgreSQL's index
needs nothing of this.
"""

from django.db import migrations

TRIGGER = (
    "CREATE TRIGGER talents_talent_fts_ai AFTER INSERT ON talents_talent {when}BEGIN "
    "INSERT INTO talents_talent_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
)
FORWARD = [
    "CREATE TABLE talents_search_deferred (id INTEGER PRIMARY KEY)",
    "DROP TRIGGER talents_talent_fts_ai",
    TRIGGER.format(when="WHEN NOT EXISTS (SELECT 1 FROM talents_search_deferred) "),
]
BACKWARD = [
    "DROP TRIGGER talents_talent_fts_ai",
    TRIGGER.format(when=""),
    "DROP TABLE talents_search_deferred",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("talents", "0009_talent_data_confirmed_at_alter_event_kind")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
