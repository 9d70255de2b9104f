"""Drop the index of an imported talent's job: the unique constraint on job and talent
starts with it, and it was one more index to write for every row an import adds.

Only the indexes go (by the names Django gave them, on both databases): AlterField would
make SQLite copy each table, and dropping talents_talent takes its search triggers with it.
"""

import django.db.models.deletion
from django.db import migrations, models


INDEXES = [
    ("imports_importedtalent_job_id_958c4bdf", "imports_importedtalent", "job_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0005_job_states_without_stopped"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="importedtalent",
                    name="job",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="talents",
                        to="imports.importjob",
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
