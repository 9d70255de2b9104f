"""Drop indexes nothing reads: those of the user who wrote an event, a note, a pool
membership or a tag link (users are deactivated, never deleted, so no row is looked up by
them) and the one of an event's moment (events are read by talent, through
event_talent_idx). Each was one more index to write for every such row; an import writes
hundreds of thousands of them.

Only the indexes go, by the names Django gave them, as in 0012: AlterField would copy each
table on SQLite and rewrite the foreign keys on PostgreSQL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


INDEXES = [
    ("talents_event_actor_id_0172753d", "talents_event", "actor_id"),
    ("talents_event_created_at_6ec3d70b", "talents_event", "created_at"),
    ("talents_note_author_id_4a12b566", "talents_note", "author_id"),
    ("talents_poolmembership_added_by_id_26c16e96", "talents_poolmembership", "added_by_id"),
    ("talents_talenttag_added_by_id_f496c8be", "talents_talenttag", "added_by_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("talents", "0012_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="created_at",
                    field=models.DateTimeField(auto_now_add=True),
                ),
                migrations.AlterField(
                    model_name="note",
                    name="author",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="poolmembership",
                    name="added_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="talenttag",
                    name="added_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
        )
    ]
