"""Consent mail and the nightly retention run on a schedule, and large consent requests
from the talent list. The services decide what is due and record what was done, so a job
that runs twice, or late, does nothing twice."""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from ..accounts.models import User
from .services import notice, requests, retention, schedule


@cron("5 * * * *")
@task()
def send_weekly_consent_requests() -> None:
    """Hourly check for the weekly batch: it runs once the policy's weekday and time
    have come, and once per week."""
    schedule.send_weekly_batch(timezone.now())


@cron("30 8 * * *")
@task()
def send_consent_reminders() -> None:
    """Daily: reminders the policy's days before the consent deadline."""
    schedule.send_reminders(timezone.localdate())


@cron("35 8 * * *")
@task()
def send_renewal_requests() -> None:
    """Daily: renewal requests the policy's days before a consent ends."""
    schedule.send_renewal_requests(timezone.localdate())


@cron("40 8 * * *")
@task()
def send_privacy_notices() -> None:
    """Daily: the Art. 14 notice to talents not written to within a month of coming in."""
    notice.send_due_notices(timezone.localdate())


@cron("15 2 * * *")
@task()
def run_retention() -> None:
    """Nightly: delete or anonymise every talent whose deadline passed, catching up on any
    backlog; a run that died half-way is finished by the next one."""
    retention.run_retention(timezone.localdate())


@task()
def ask_for_consent(talent_ids: list[int], actor_id: int) -> dict[str, int]:
    """A large "Ask for consent" selection from the talent list, asked in the background."""
    actor = User.objects.get(pk=actor_id)
    return requests.ask_in_background(talent_ids, actor=actor)
