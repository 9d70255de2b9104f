"""The end of retention: the daily run that deletes or anonymises every talent whose
deadline passed (R03, R08), and the forecast of who goes when.

A talent goes on the first daily run on or after its `due_on` in a state that ends, unless
a legal hold runs until that day or later. Each talent goes in its own transaction, so a
run that dies half-way leaves whole talents behind, and the next run takes them.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from ...talents.models import Talent
from ..models import AuditEntry, LegalBasis, Policy
from .basis import SYSTEM, audit, expire_consents
from .erasure import anonymise_talent, remove_talent
from .policy import get_policy

logger = logging.getLogger(__name__)
State = LegalBasis.State
EndAction = Policy.EndAction
# States whose `due_on` is the end: nobody consented, or consent ended or was refused.
ENDING_STATES = (
    State.AWAITING_CONSENT,
    State.APPLICATION_HOLD,
    State.CONSENT_EXPIRED,
    State.DECLINED,
    State.WITHDRAWN,
)
BATCH_SIZE = 200
ONE_DAY = datetime.timedelta(days=1)


def _not_held(day: datetime.date) -> Q:
    return Q(legal_hold_until__isnull=True) | Q(legal_hold_until__lt=day)


def due_for_removal(today: datetime.date) -> QuerySet[LegalBasis]:
    """Legal bases whose talent a run on `today` removes. Merged talents are left out:
    they go with the talent they were merged into."""
    return LegalBasis.objects.filter(
        _not_held(today),
        state__in=ENDING_STATES,
        due_on__lte=today,
        talent__merged_into__isnull=True,
    )


@dataclass
class RetentionReport:
    """What one run did."""

    enabled: bool
    expired: int = 0
    deleted: int = 0
    anonymised: int = 0
    # Due talents another worker held at that moment (it removes them), or that stopped
    # being due between the batch query and the lock.
    skipped: int = 0
    # Talents whose removal raised: left whole, tried again by the next run.
    failed: int = 0


def run_retention(today: datetime.date, *, batch_size: int = BATCH_SIZE) -> RetentionReport:
    """Expire consents that ended, then delete or anonymise (per the policy) every talent
    due, batch after batch until none is left, so a backlog is caught up in one run.
    Nothing happens while the GDPR function is off."""
    policy = get_policy()
    if not policy.enabled:
        return RetentionReport(enabled=False)
    report = RetentionReport(enabled=True, expired=expire_consents(today))
    action = EndAction(policy.end_action)
    skipped: set[int] = set()
    while batch := list(
        due_for_removal(today)
        .exclude(talent_id__in=skipped)
        .order_by("due_on", "talent_id")
        .values_list("talent_id", flat=True)[:batch_size]
    ):
        for talent_id in batch:
            try:
                ended = end_talent(talent_id, today=today, action=action)
            except Exception:
                # One talent that cannot be removed (a storage error, a bug) must not keep
                # everyone after it past their deadline.
                logger.exception("retention_failed talent_id=%d", talent_id)
                skipped.add(talent_id)
                report.failed += 1
                continue
            if not ended:
                skipped.add(talent_id)
                report.skipped += 1
            elif action == EndAction.ANONYMISE:
                report.anonymised += 1
            else:
                report.deleted += 1
    return report


@transaction.atomic
def end_talent(talent_id: int, *, today: datetime.date, action: EndAction) -> bool:
    """Delete or anonymise one due talent; False if it is no longer due or another worker
    holds it. The row lock is taken before the check is repeated, so consent given or a
    hold set a moment ago wins."""
    basis = (
        due_for_removal(today)
        .filter(talent_id=talent_id)
        # Lock only the legal basis (not the joined talent or status rows, which would
        # make workers skip each other's unrelated talents); SQLite ignores the lock.
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("talent__status")
        .first()
    )
    if basis is None:
        return False
    state, due_on = basis.state, basis.due_on
    if action == EndAction.ANONYMISE:
        anonymise_talent(basis.talent, actor=None, actor_label=SYSTEM, reason=state)
    else:
        remove_talent(basis.talent)
    audit(
        actor=None,
        actor_label=SYSTEM,
        talent_id=talent_id,
        action=AuditEntry.Action.DELETED_BY_POLICY,
        state=state,
        due_on=due_on,
        end_action=action.value,
    )
    return True


@dataclass(frozen=True)
class Upcoming:
    """A talent that a daily run will remove on `on`: the day after its consent ends, on
    its deadline (`basis.due_on`), or after a legal hold that ends first."""

    talent: Talent
    basis: LegalBasis
    on: datetime.date
    held_until: datetime.date | None


def upcoming_removals(
    talents: QuerySet[Talent], *, today: datetime.date, until: datetime.date, limit: int | None
) -> tuple[list[Upcoming], int]:
    """Which of `talents` the daily runs from `today` to `until` remove, and on which day,
    the soonest first (at most `limit` of them), with how many there are in all.

    A valid consent that is not renewed expires the day after its last day, and that
    day's run removes the talent; a legal hold moves the day to after its end.
    """
    bases = LegalBasis.objects.filter(
        Q(state__in=ENDING_STATES, due_on__lte=until)
        | Q(state=State.CONSENT_VALID, consent_valid_until__lt=until),
        _not_held(until),
        talent__in=talents,
    )
    total = bases.count()
    rows = []
    for basis in bases.select_related("talent").order_by("due_on", "talent_id")[:limit]:
        days = [today]
        if basis.state == State.CONSENT_VALID and basis.consent_valid_until:
            days.append(basis.consent_valid_until + ONE_DAY)
        elif basis.due_on:
            days.append(basis.due_on)
        held_until = basis.legal_hold_until if basis.on_legal_hold(today) else None
        if held_until:
            days.append(held_until + ONE_DAY)
        rows.append(Upcoming(basis.talent, basis, max(days), held_until))
    rows.sort(key=lambda row: (row.on, row.talent.pk))
    return rows, total


def legal_holds(talents: QuerySet[Talent], *, today: datetime.date) -> QuerySet[LegalBasis]:
    """Legal bases of `talents` on legal hold now, the hold ending soonest first."""
    return (
        LegalBasis.objects.filter(talent__in=talents, legal_hold_until__gte=today)
        .select_related("talent")
        .order_by("legal_hold_until", "talent_id")
    )
