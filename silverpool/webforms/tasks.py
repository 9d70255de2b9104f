"""Background work of the webforms app."""

from crontask import cron
from django.tasks import task

from ..accounts.models import User
from . import services
from .models import Form
from .services import requests


@cron("*/10 * * * *")
@task()
def forget_old_form_hits() -> None:
    """Forget counted submissions once they no longer count towards a rate limit."""
    services.forget_old_hits()


@task()
def send_follow_up_forms(
    form_id: int, talent_ids: list[int], actor_id: int, batch_key: str
) -> dict[str, int]:
    """A large "Send follow-up form" selection from the talent list, sent in the background."""
    form = Form.objects.get(pk=form_id)
    actor = User.objects.get(pk=actor_id)
    return requests.send_in_background(form, talent_ids, actor=actor, batch_key=batch_key)
