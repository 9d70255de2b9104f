"""Index a talent's merged_into only where it is set: few talents are merged, and every
talent written (an import writes tens of thousands) added a NULL to the whole-column index.
Lookups by it (`merged_into = …`, `IN (…)`) imply it is set, so both databases use the
partial index for them.

The old index goes by the name Django gave it, as in 0012: AlterField would copy the
table on SQLite, which drops its search triggers.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("talents", "0013_unindexed_user_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="talent",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="merged_from",
                        to="talents.talent",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "talents_talent_merged_into_id_de1001e5"',
                    'CREATE INDEX "talents_talent_merged_into_id_de1001e5" '
                    'ON "talents_talent" ("merged_into_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="talent",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="talent_merged_into_idx",
            ),
        ),
    ]
