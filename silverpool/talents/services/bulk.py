"""Bulk actions on a selection of talents; each talent still gets its own timeline event."""

from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple
from django.utils import timezone

from ...accounts.models import User
from ...lookups import AnyOf
from ..models import Event, Pool, PoolMembership, Status, Tag, Talent, TalentTag
from .derived import refresh_restriction
from .events import record_events
from .lifecycle import delete_talents


def _ids(talents: QuerySet[Talent]) -> list[int]:
    return list(talents.order_by().values_list("pk", flat=True))


@transaction.atomic
def bulk_add_to_pool(talents: QuerySet[Talent], pool: Pool, *, actor: User) -> int:
    already = PoolMembership.objects.filter(pool=pool).values("talent_id")
    ids = _ids(talents.exclude(pk__in=already))
    PoolMembership.objects.bulk_create(
        PoolMembership(talent_id=pk, pool=pool, added_by=actor) for pk in ids
    )
    _record_pool_change(ids, Event.Kind.POOL_ADDED, pool, actor)
    return len(ids)


def _pairs(talents: QuerySet[Talent], other: Pool | Tag) -> AnyOf:
    """The links of `talents` to a pool or tag, found by (talent, pool or tag) pairs. By
    the pool or tag and the selection instead, PostgreSQL, whose statistics lag behind an
    import that just filled the pool, read all of its members for every few talents (an
    import's undo took minutes at 100,000 rows, docs/benchmarks.md)."""
    key = "pool_id" if isinstance(other, Pool) else "tag_id"
    return AnyOf(Tuple(F("talent_id"), F(key)), [(pk, other.pk) for pk in _ids(talents)])


@transaction.atomic
def bulk_remove_from_pool(talents: QuerySet[Talent], pool: Pool, *, actor: User) -> int:
    memberships = PoolMembership.objects.filter(_pairs(talents, pool))
    ids = list(memberships.values_list("talent_id", flat=True))
    memberships.delete()
    _record_pool_change(ids, Event.Kind.POOL_REMOVED, pool, actor)
    return len(ids)


def _record_pool_change(ids: list[int], kind: Event.Kind, pool: Pool, actor: User) -> None:
    """Each talent's timeline says it joined or left the pool; a private pool's talents
    are hidden from, or shown again to, those who are not its members."""
    record_events(ids, kind, actor=actor, pool_id=pool.pk, pool=pool.name, private=pool.is_private)
    if pool.is_private:
        refresh_restriction(ids)


@transaction.atomic
def bulk_add_tag(talents: QuerySet[Talent], tag: Tag, *, actor: User) -> int:
    ids = _ids(talents.exclude(pk__in=TalentTag.objects.filter(tag=tag).values("talent_id")))
    TalentTag.objects.bulk_create(TalentTag(talent_id=pk, tag=tag, added_by=actor) for pk in ids)
    record_events(ids, Event.Kind.TAG_ADDED, actor=actor, tag=tag.name)
    return len(ids)


@transaction.atomic
def bulk_remove_tag(talents: QuerySet[Talent], tag: Tag, *, actor: User) -> int:
    links = TalentTag.objects.filter(_pairs(talents, tag))
    ids = list(links.values_list("talent_id", flat=True))
    links.delete()
    record_events(ids, Event.Kind.TAG_REMOVED, actor=actor, tag=tag.name)
    return len(ids)


@transaction.atomic
def bulk_set_status(talents: QuerySet[Talent], status: Status, *, actor: User) -> int:
    changing = talents.exclude(status=status)
    # One event per previous status, so each timeline shows old -> new.
    by_old: dict[str, list[int]] = {}
    for pk, key in changing.order_by().values_list("pk", "status__key"):
        by_old.setdefault(key, []).append(pk)
    ids = [pk for group in by_old.values() for pk in group]
    # update() skips auto_now; bump updated_at as set_status does for one talent.
    Talent.objects.filter(pk__in=ids).update(status=status, updated_at=timezone.now())
    for old, group in by_old.items():
        record_events(group, Event.Kind.STATUS_CHANGED, actor=actor, old=old, new=status.key)
    return len(ids)


@transaction.atomic
def bulk_set_owner(talents: QuerySet[Talent], owner: User | None, *, actor: User) -> int:
    changing = talents.exclude(owner=owner) if owner else talents.exclude(owner__isnull=True)
    by_old: dict[int | None, list[int]] = {}
    for pk, old_owner in changing.order_by().values_list("pk", "owner_id"):
        by_old.setdefault(old_owner, []).append(pk)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in by_old if k])}
    ids = [pk for group in by_old.values() for pk in group]
    Talent.objects.filter(pk__in=ids).update(owner=owner, updated_at=timezone.now())
    for old, group in by_old.items():
        record_events(
            group,
            Event.Kind.OWNER_CHANGED,
            actor=actor,
            old=names.get(old, "") if old else "",
            new=str(owner) if owner else "",
        )
    return len(ids)


def bulk_delete(talents: QuerySet[Talent], *, actor: User) -> int:
    return delete_talents(_ids(talents), actor=actor)
