"""Run the nightly retention job now, or show what it would do (--dry-run).

For operators: catching up after downtime, or checking a policy change before the night.
Prints talent ids and states only, no names: the output may end up in a log.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ....talents.models import Talent
from ...services import get_policy, run_retention
from ...services.retention import upcoming_removals


class Command(BaseCommand):
    help = "Delete or anonymise every talent whose retention deadline has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = timezone.localdate()
        policy = get_policy()
        if not policy.enabled:
            self.stdout.write("The GDPR function is off: nothing is deleted or anonymised.")
            return
        if not dry_run:
            report = run_retention(today)
            self.stdout.write(
                f"Expired consents: {report.expired}. Deleted: {report.deleted}. "
                f"Anonymised: {report.anonymised}. Skipped: {report.skipped}. "
                f"Failed: {report.failed}."
            )
            return
        rows, total = upcoming_removals(
            Talent.objects.active(), today=today, until=today, limit=None
        )
        for row in rows:
            basis = row.basis
            due = basis.consent_valid_until if basis.state == basis.State.CONSENT_VALID else None
            why = f"consent ended {due}" if due else f"due {basis.due_on}"
            self.stdout.write(
                f"talent {row.talent.pk}: {basis.state}, {why} -> {policy.end_action}"
            )
        self.stdout.write(f"Would {policy.end_action} {total} talents (dry run: nothing changed).")
