"""Pools and tags themselves: create, rename, change, delete."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ...accounts.models import User
from ..models import Event, Pool, PoolMembership, Tag, TalentTag
from .derived import refresh_restriction
from .events import record_events


def _clean_name(name: str, max_length: int) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    if len(name) > max_length:
        raise ValidationError({"name": [_("At most %(n)d characters.") % {"n": max_length}]})
    return name


def _save_unique(obj: Pool | Tag) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({"name": [_("This name is already taken.")]}) from exc


@transaction.atomic
def save_pool(
    pool: Pool | None,
    *,
    name: str,
    description: str = "",
    is_private: bool = False,
    members: Iterable[User] = (),
    actor: User,
) -> Pool:
    """Create a pool (pool=None) or change one; keeps talents' visibility in step."""
    was_private = pool.is_private if pool else False
    pool = pool or Pool(created_by=actor)
    pool.name = _clean_name(name, 120)
    pool.description = description.strip()
    pool.is_private = is_private
    _save_unique(pool)
    pool.members.set(list(members) if is_private else [])
    if was_private != is_private:
        refresh_restriction(list(pool.memberships.values_list("talent_id", flat=True)))
    return pool


@transaction.atomic
def delete_pool(pool: Pool, *, actor: User) -> int:
    """Delete a pool; each member talent's timeline says it left the pool."""
    talent_ids = list(PoolMembership.objects.filter(pool=pool).values_list("talent_id", flat=True))
    record_events(
        talent_ids,
        Event.Kind.POOL_REMOVED,
        actor=actor,
        pool_id=pool.pk,
        pool=pool.name,
        private=pool.is_private,
    )
    pool.delete()
    refresh_restriction(talent_ids)
    return len(talent_ids)


@transaction.atomic
def save_tag(tag: Tag | None, *, name: str) -> Tag:
    tag = tag or Tag()
    tag.name = _clean_name(name, 80)
    _save_unique(tag)
    return tag


def get_or_create_tag(name: str) -> Tag:
    existing = Tag.objects.filter(name__iexact=name.strip()).first()
    return existing or save_tag(None, name=name)


@transaction.atomic
def delete_tag(tag: Tag, *, actor: User) -> int:
    talent_ids = list(TalentTag.objects.filter(tag=tag).values_list("talent_id", flat=True))
    record_events(talent_ids, Event.Kind.TAG_REMOVED, actor=actor, tag=tag.name)
    tag.delete()
    return len(talent_ids)
