"""The statuses, pools and tags a new installation starts with (all editable)."""

from django.db import migrations

STATUSES = [
    ("new", "New", "Neu", True),
    ("contacted", "Contacted", "Kontaktiert", False),
    ("engaged", "Engaged", "Im Austausch", False),
    ("not-interested", "Not interested", "Kein Interesse", False),
    ("hired", "Hired", "Eingestellt", False),
    ("archived", "Archived", "Archiviert", False),
]
POOLS = [
    ("Runners-up", "Candidates who reached the final round (silver medalists)."),
    ("High potentials", "Strong profiles for future openings."),
]
TAGS = ["Silver medalist", "High potential", "Rejected by ATS", "Referral"]


def forward(apps, schema_editor):
    Status = apps.get_model("talents", "Status")
    Pool = apps.get_model("talents", "Pool")
    Tag = apps.get_model("talents", "Tag")
    for position, (key, en, de, default) in enumerate(STATUSES):
        Status.objects.get_or_create(
            key=key,
            defaults={"name_en": en, "name_de": de, "position": position, "is_default": default},
        )
    for name, description in POOLS:
        Pool.objects.get_or_create(name=name, defaults={"description": description})
    for name in TAGS:
        Tag.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("talents", "0002_search_index")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
