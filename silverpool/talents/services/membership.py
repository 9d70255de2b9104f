"""Status, owner, pools and tags of one talent; each change is its own timeline event."""

from django.db import transaction

from ...accounts.models import User
from ..models import Event, Pool, PoolMembership, Status, Tag, Talent, TalentTag
from .derived import refresh_restriction
from .events import record_event


@transaction.atomic
def set_status(
    talent: Talent, status: Status, *, actor: User | None, actor_label: str = ""
) -> bool:
    if talent.status_id == status.pk:
        return False
    old = talent.status
    talent.status = status
    talent.save(update_fields=["status", "updated_at"])
    record_event(
        talent,
        Event.Kind.STATUS_CHANGED,
        actor=actor,
        actor_label=actor_label,
        old=old.key,
        new=status.key,
    )
    return True


@transaction.atomic
def set_owner(
    talent: Talent, owner: User | None, *, actor: User | None, actor_label: str = ""
) -> bool:
    if talent.owner_id == (owner.pk if owner else None):
        return False
    old = talent.owner
    talent.owner = owner
    talent.save(update_fields=["owner", "updated_at"])
    record_event(
        talent,
        Event.Kind.OWNER_CHANGED,
        actor=actor,
        actor_label=actor_label,
        old=str(old) if old else "",
        new=str(owner) if owner else "",
    )
    return True


@transaction.atomic
def add_to_pool(talent: Talent, pool: Pool, *, actor: User | None, actor_label: str = "") -> bool:
    _membership, created = PoolMembership.objects.get_or_create(
        talent=talent, pool=pool, defaults={"added_by": actor}
    )
    if created:
        record_event(
            talent,
            Event.Kind.POOL_ADDED,
            actor=actor,
            actor_label=actor_label,
            pool_id=pool.pk,
            pool=pool.name,
            private=pool.is_private,
        )
        if pool.is_private:
            refresh_restriction([talent.pk])
    return created


@transaction.atomic
def remove_from_pool(
    talent: Talent, pool: Pool, *, actor: User | None, actor_label: str = ""
) -> bool:
    deleted, _ = PoolMembership.objects.filter(talent=talent, pool=pool).delete()
    if deleted:
        record_event(
            talent,
            Event.Kind.POOL_REMOVED,
            actor=actor,
            actor_label=actor_label,
            pool_id=pool.pk,
            pool=pool.name,
            private=pool.is_private,
        )
        if pool.is_private:
            refresh_restriction([talent.pk])
    return bool(deleted)


@transaction.atomic
def add_tag(talent: Talent, tag: Tag, *, actor: User | None, actor_label: str = "") -> bool:
    _link, created = TalentTag.objects.get_or_create(
        talent=talent, tag=tag, defaults={"added_by": actor}
    )
    if created:
        record_event(
            talent, Event.Kind.TAG_ADDED, actor=actor, actor_label=actor_label, tag=tag.name
        )
    return created


@transaction.atomic
def remove_tag(talent: Talent, tag: Tag, *, actor: User | None, actor_label: str = "") -> bool:
    deleted, _ = TalentTag.objects.filter(talent=talent, tag=tag).delete()
    if deleted:
        record_event(
            talent, Event.Kind.TAG_REMOVED, actor=actor, actor_label=actor_label, tag=tag.name
        )
    return bool(deleted)
