"""Pools and tags themselves: create, rename, change, delete."""

import re
from collections.abc import Iterable, Sequence
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from ...accounts.models import User
from ..models import Event, Pool, PoolMembership, SavedSearch, Tag, TalentTag
from .derived import refresh_restriction
from .events import record_events

TAG_NAME_LENGTH = cast(int, Tag._meta.get_field("name").max_length)
# Between two tag names in a text: what lists are written with, and what the export joins
# them with (", "). Not a slash, which names have ("Remote/Hybrid").
_TAG_LIST = re.compile(r"\s*[,;|\n]\s*")


def tag_names(text: str) -> list[str]:
    """The tag names of a text ("Silver medalist, Java; Remote"), in order, each once
    whatever its case (the first spelling: a tag's name is unique in any case).
    ValidationError names one that is longer than a tag's name may be."""
    names: dict[str, str] = {}
    for name in _TAG_LIST.split(text.strip()):
        if name:
            names.setdefault(name.lower(), name)
    if too_long := [name for name in names.values() if len(name) > TAG_NAME_LENGTH]:
        raise ValidationError(
            _("A tag's name has at most %(n)d characters: “%(name)s”.")
            % {"n": TAG_NAME_LENGTH, "name": too_long[0]}
        )
    return list(names.values())


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
    tag.name = _clean_name(name, TAG_NAME_LENGTH)
    _save_unique(tag)
    return tag


def get_or_create_tag(name: str) -> tuple[Tag, bool]:
    """The tag of that name, whatever its case, or a new one; and whether it is new."""
    existing = Tag.objects.filter(name__iexact=name.strip()).first()
    if existing is not None:
        return existing, False
    return save_tag(None, name=name), True


def unused_tags(tags: Sequence[Tag], *, besides: models.Model) -> list[Tag]:
    """Those of `tags` that nothing has but `besides`: no talent, no saved search, and no
    row of any other model that refers to tags (a web form's, an import's)."""
    ids = {tag.pk for tag in tags}
    if not ids:
        return []
    used: set[int] = set()
    # Every table with a key to tags, found rather than listed: the web forms and imports
    # that hold tags are apps the talents do not know of.
    for relation in Tag._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ManyToOneRel):
            continue
        holders = relation.related_model
        key = relation.field.attname
        rows = holders._base_manager.filter(**{f"{key}__in": ids})
        for field in holders._meta.concrete_fields:
            if field.is_relation and field.related_model is type(besides):
                rows = rows.exclude(**{field.attname: besides.pk})
        used.update(rows.values_list(key, flat=True).distinct())
    for query in SavedSearch.objects.filter(query__contains="tag=").values_list("query", flat=True):
        tag = QueryDict(query).get("tag", "")
        if tag.isdigit():
            used.add(int(tag))
    return [tag for tag in tags if tag.pk not in used]


@transaction.atomic
def delete_tag(tag: Tag, *, actor: User | None) -> int:
    talent_ids = list(TalentTag.objects.filter(tag=tag).values_list("talent_id", flat=True))
    record_events(talent_ids, Event.Kind.TAG_REMOVED, actor=actor, tag=tag.name)
    tag.delete()
    return len(talent_ids)
