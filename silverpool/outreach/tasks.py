"""Background work of the outreach app: sending the outbox."""

from crontask import cron
from django.tasks import task

from . import services


@task()
def send_email(email_id: int) -> None:
    """Send one queued email (enqueued when it is queued, and again by the reaper)."""
    services.deliver_email(email_id)


@cron("* * * * *")
@task()
def send_due_emails() -> None:
    """Re-enqueue emails whose retry is due, whose task got lost, or whose worker died
    mid-send (an expired lease). django-tasks-db has no retries: the outbox row is the
    state, and the claim in `deliver_email` makes extra enqueues harmless."""
    for email_id in services.due_emails():
        send_email.enqueue(email_id)
