"""A new installation sends its first weekly consent-request batch at the next scheduled
slot, not the hour it starts: the admin has time to set the controller's name and the
texts first."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Policy = apps.get_model("privacy", "Policy")
    Policy.objects.filter(last_batch_at__isnull=True).update(last_batch_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_remove_anonymised_state")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
