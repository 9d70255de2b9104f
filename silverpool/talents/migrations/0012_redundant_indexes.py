"""Drop the foreign keys' own indexes where another index starts with the same column (the
talent's status and owner, a pool membership's talent and pool, a tag link's talent and tag,
the lower talent of a likely-duplicate pair): each was one more index to write for every row
an import adds.

Only the indexes go (by the names Django gave them, on both databases): AlterField would
make SQLite copy each table, and dropping talents_talent takes its search triggers with it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


INDEXES = [
    ("talents_duplicateflag_talent_id_bcc804b3", "talents_duplicateflag", "talent_id"),
    ("talents_poolmembership_pool_id_f40a934b", "talents_poolmembership", "pool_id"),
    ("talents_poolmembership_talent_id_62e77603", "talents_poolmembership", "talent_id"),
    ("talents_talent_owner_id_2e6e2f0c", "talents_talent", "owner_id"),
    ("talents_talent_status_id_5c44e969", "talents_talent", "status_id"),
    ("talents_talenttag_tag_id_83662ffc", "talents_talenttag", "tag_id"),
    ("talents_talenttag_talent_id_eb52dd00", "talents_talenttag", "talent_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("talents", "0011_name_phone_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="duplicateflag",
                    name="talent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="talents.talent",
                    ),
                ),
                migrations.AlterField(
                    model_name="poolmembership",
                    name="pool",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="talents.pool",
                    ),
                ),
                migrations.AlterField(
                    model_name="poolmembership",
                    name="talent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pool_memberships",
                        to="talents.talent",
                    ),
                ),
                migrations.AlterField(
                    model_name="talent",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="owned_talents",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                migrations.AlterField(
                    model_name="talent",
                    name="status",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="talents",
                        to="talents.status",
                        verbose_name="status",
                    ),
                ),
                migrations.AlterField(
                    model_name="talenttag",
                    name="tag",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="talent_tags",
                        to="talents.tag",
                    ),
                ),
                migrations.AlterField(
                    model_name="talenttag",
                    name="talent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="talent_tags",
                        to="talents.talent",
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
