"""Background work of the accounts app."""

from crontask import cron
from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone

from . import throttling


@cron("15 3 * * *")
@task()
def clear_expired_sessions() -> None:
    """Delete expired login sessions every night."""
    Session.objects.filter(expire_date__lt=timezone.now()).delete()


@cron("20 3 * * *")
@task()
def delete_old_login_failures() -> None:
    """Forget failed logins that no longer lock anyone out, every night."""
    throttling.delete_old_login_failures()
