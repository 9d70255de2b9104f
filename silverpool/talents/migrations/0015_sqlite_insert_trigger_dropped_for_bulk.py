"""SQLite: the insert trigger of the search index is plain again; bulk inserts drop it
for their transaction instead of turning it off through `talents_search_deferred`
(migration 0010).

Any trigger on a table, even one whose WHEN clause is false, makes SQLite keep a
statement journal for each row inserted: every page the row touches (the table's, a
dozen indexes') is copied to a temporary file first, about fifty writes a talent. Without
the trigger an import batch's talents went in three and a half times as fast
(talents/search.py, `search_index_deferred`).
"""

from django.db import migrations

TRIGGER = (
    "CREATE TRIGGER talents_talent_fts_ai AFTER INSERT ON talents_talent {when}BEGIN "
    "INSERT INTO talents_talent_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
)
FORWARD = [
    "DROP TRIGGER talents_talent_fts_ai",
    TRIGGER.format(when=""),
    "DROP TABLE talents_search_deferred",
]
BACKWARD = [
    "CREATE TABLE talents_search_deferred (id INTEGER PRIMARY KEY)",
    "DROP TRIGGER talents_talent_fts_ai",
    TRIGGER.format(when="WHEN NOT EXISTS (SELECT 1 FROM talents_search_deferred) "),
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("talents", "0014_merged_into_partial_index")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
