"""Likely duplicates: same normalised name and phone, or the same LinkedIn profile."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ...accounts.models import User
from ..models import DuplicateFlag, Event, Talent
from .events import record_event


def flag_duplicates(talent: Talent, *, actor: User | None) -> list[DuplicateFlag]:
    """Flag every active talent that is probably the same person as `talent`."""
    conditions = Q()
    if talent.name_key and talent.phone:
        conditions |= Q(name_key=talent.name_key, phone=talent.phone)
    if talent.linkedin_url:
        conditions |= Q(linkedin_url=talent.linkedin_url)
    if not conditions:
        return []
    flags = []
    for other in Talent.objects.active().filter(conditions).exclude(pk=talent.pk):
        reason = (
            DuplicateFlag.Reason.LINKEDIN
            if talent.linkedin_url and other.linkedin_url == talent.linkedin_url
            else DuplicateFlag.Reason.NAME_AND_PHONE
        )
        low, high = sorted([talent, other], key=lambda t: t.pk)
        flag, created = DuplicateFlag.objects.get_or_create(
            talent=low, other=high, defaults={"reason": reason}
        )
        if created:
            for one, two in ((talent, other), (other, talent)):
                record_event(
                    one,
                    Event.Kind.DUPLICATE_FLAGGED,
                    actor=actor,
                    other_id=two.pk,
                    other_name=two.full_name,
                    reason=reason.value,
                )
            flags.append(flag)
    return flags


def open_duplicate_flags(talent: Talent) -> QuerySet[DuplicateFlag]:
    """Flags on this talent that are neither dismissed nor resolved by a merge."""
    return (
        DuplicateFlag.objects.filter(Q(talent=talent) | Q(other=talent), dismissed_at__isnull=True)
        .filter(talent__merged_into__isnull=True, other__merged_into__isnull=True)
        .select_related("talent", "other")
    )


@transaction.atomic
def dismiss_duplicate(flag: DuplicateFlag, *, actor: User) -> bool:
    """Mark a flagged pair as two different people: the banner goes from both profiles."""
    return bool(
        DuplicateFlag.objects.filter(pk=flag.pk, dismissed_at__isnull=True).update(
            dismissed_at=timezone.now()
        )
    )
