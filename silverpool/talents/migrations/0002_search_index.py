"""Full-text search index, per database.

PostgreSQL: a GIN index on to_tsvector('simple', search_text); the query in
talents/search.py uses the same expression. SQLite: an external-content FTS5 table kept
in step with talents_talent by triggers.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX talent_search_gin ON talents_talent "
    "USING gin (to_tsvector('simple', search_text))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS talent_search_gin"]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE talents_talent_fts USING fts5("
    "search_text, content='talents_talent', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER talents_talent_fts_ai AFTER INSERT ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER talents_talent_fts_ad AFTER DELETE ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(talents_talent_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER talents_talent_fts_au AFTER UPDATE OF search_text ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(talents_talent_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO talents_talent_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS talents_talent_fts_au",
    "DROP TRIGGER IF EXISTS talents_talent_fts_ad",
    "DROP TRIGGER IF EXISTS talents_talent_fts_ai",
    "DROP TABLE IF EXISTS talents_talent_fts",
]


def forward(apps, schema_editor):
    statements = PG_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = PG_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("talents", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
