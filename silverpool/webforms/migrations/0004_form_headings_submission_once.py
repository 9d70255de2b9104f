from typing import Any

from django.db import migrations, models

# The starter forms' headings, by their title (the source label, which stays English).
STARTER_HEADINGS = {
    "Talent pool sign-up": ("Werden Sie Teil unseres Talentpools", "Join our talent pool"),
    "Profile update": ("Ihr Profil auf dem neuesten Stand", "Keep your profile up to date"),
    "Application": ("Ihre Bewerbung", "Your application"),
}


def forwards(apps: Any, schema_editor: Any) -> None:
    """Headings for the starter forms where nobody has set any."""
    form_model = apps.get_model("webforms", "Form")
    for title, (german, english) in STARTER_HEADINGS.items():
        form_model.objects.filter(title=title, heading_de="", heading_en="").update(
            heading_de=german, heading_en=english
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webforms", "0003_submission_indexes_protect_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="form",
            name="heading_de",
            field=models.CharField(blank=True, max_length=200, verbose_name="heading (German)"),
        ),
        migrations.AddField(
            model_name="form",
            name="heading_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="heading (English)"),
        ),
        migrations.AddField(
            model_name="submission",
            name="once",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
