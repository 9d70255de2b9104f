"""Consent mail the scheduler sends: the weekly batch of first requests, reminders before
the consent deadline and renewal requests before a consent ends.

Every job is safe to run twice: the legal basis records what went out (`asked_at`,
`reminders_sent`, `renewal_asked_at`, the policy's `last_batch_at`) and each talent is
re-checked under a row lock before its email is queued. Each talent is its own
transaction, so one failure stops nobody else's mail. Nothing runs while the GDPR
function is off. The talents due are taken as ids and loaded a chunk at a time
(`batches.py`).
"""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ...talents.models import Talent
from ..models import ConsentRequest, LegalBasis, Policy
from .basis import SYSTEM, basis_of
from .batches import talents_by_id
from .policy import get_policy
from .requests import ConsentRequestRefused, request_consent

logger = logging.getLogger(__name__)
State = LegalBasis.State


def _each(talent_ids: list[int], send: Callable[[Talent], bool], job: str) -> int:
    sent = 0
    for talent in talents_by_id(talent_ids):
        try:
            sent += send(talent)
        except ConsentRequestRefused as refused:
            logger.info("%s_skipped talent=%s reason=%s", job, talent.pk, refused.code)
        except Exception:
            logger.exception("%s_failed talent=%s", job, talent.pk)
    return sent


def _mailable(**filters: object) -> list[int]:
    talents = Talent.objects.filter(merged_into__isnull=True, **filters).exclude(email="")
    return list(talents.order_by("pk").values_list("pk", flat=True))


# --- the weekly batch ----------------------------------------------------------------------


def batch_slot(policy: Policy, now: datetime.datetime) -> datetime.datetime:
    """The latest moment at or before `now` that is the policy's weekday and time."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - policy.batch_weekday) % 7
    day = local.date() - datetime.timedelta(days=days_back)
    slot = datetime.datetime.combine(day, policy.batch_time, tzinfo=local.tzinfo)
    if slot > local:
        slot -= datetime.timedelta(days=7)
    return slot


def send_weekly_batch(now: datetime.datetime) -> int | None:
    """Ask everyone awaiting consent who has not been asked yet, once per week at or
    after the policy's weekday and time. Returns how many were asked, None when the
    batch was not due (already run since the last slot, or the GDPR function is off)."""
    policy = get_policy()
    if not policy.enabled:
        return None
    slot = batch_slot(policy, now)
    # The conditional update claims this week's batch: a second hourly run, or a second
    # scheduler, finds nothing to claim.
    claimed = (
        Policy.objects.filter(pk=policy.pk)
        .filter(Q(last_batch_at__isnull=True) | Q(last_batch_at__lt=slot))
        .update(last_batch_at=now)
    )
    if not claimed:
        return None
    talents = _mailable(
        legal_basis__state=State.AWAITING_CONSENT, legal_basis__asked_at__isnull=True
    )
    return _each(talents, _ask_first_time, "consent_batch")


def _ask_first_time(talent: Talent) -> bool:
    with transaction.atomic():
        if basis_of(talent).asked_at is not None:
            return False
        request_consent(talent, actor=None, actor_label=SYSTEM)
    return True


# --- reminders -----------------------------------------------------------------------------


def due_reminder(basis: LegalBasis, reminder_days: list[int], today: datetime.date) -> int | None:
    """Which reminder (days before the deadline) is due today, if any.

    The nearest one that has come counts: a job that missed a few days sends one
    reminder, not several. A reminder whose day had already come when the talent was
    asked is skipped: the request itself was that reminder.
    """
    if basis.state != State.AWAITING_CONSENT or basis.asked_at is None:
        return None
    if basis.consent_deadline is None or basis.consent_deadline <= today:
        return None
    days_left = (basis.consent_deadline - today).days
    asked_on = timezone.localdate(basis.asked_at)
    come = [
        days
        for days in reminder_days
        if days >= days_left and asked_on < basis.consent_deadline - datetime.timedelta(days=days)
    ]
    if not come or min(come) in basis.reminders_sent:
        return None
    return min(come)


def send_reminders(today: datetime.date) -> int:
    """Remind talents who were asked and have not answered, the policy's days before
    their consent deadline. Each reminder is a new request with a new link."""
    policy = get_policy()
    if not policy.enabled or not policy.reminder_days:
        return 0
    furthest = today + datetime.timedelta(days=max(policy.reminder_days))
    talents = _mailable(
        legal_basis__state=State.AWAITING_CONSENT,
        legal_basis__asked_at__isnull=False,
        legal_basis__consent_deadline__gt=today,
        legal_basis__consent_deadline__lte=furthest,
    )

    def remind(talent: Talent) -> bool:
        with transaction.atomic():
            basis = basis_of(talent)
            days = due_reminder(basis, policy.reminder_days, today)
            if days is None:
                return False
            request_consent(
                talent, actor=None, kind=ConsentRequest.Kind.REMINDER, actor_label=SYSTEM
            )
            basis.reminders_sent = sorted({*basis.reminders_sent, days}, reverse=True)
            basis.save(update_fields=["reminders_sent", "updated_at"])
        return True

    return _each(talents, remind, "consent_reminder")


# --- renewal -------------------------------------------------------------------------------


def send_renewal_requests(today: datetime.date) -> int:
    """Ask talents whose consent ends within the policy's notice days to renew it. It is
    opt-in: without an answer the consent expires on its last day."""
    policy = get_policy()
    if not policy.enabled:
        return 0
    talents = _mailable(
        legal_basis__state=State.CONSENT_VALID,
        legal_basis__renewal_asked_at__isnull=True,
        legal_basis__consent_valid_until__gte=today,
        legal_basis__consent_valid_until__lte=today
        + datetime.timedelta(days=policy.renewal_notice_days),
    )

    def renew(talent: Talent) -> bool:
        with transaction.atomic():
            if basis_of(talent).renewal_asked_at is not None:
                return False
            request_consent(
                talent, actor=None, kind=ConsentRequest.Kind.RENEWAL, actor_label=SYSTEM
            )
        return True

    return _each(talents, renew, "consent_renewal")
