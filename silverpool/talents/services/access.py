"""Who may see and change what. A thing a user may not see answers 404, even by guessed id."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ...accounts.models import User
from ..models import Document, Event, Note, Pool, PoolMembership, Tag, Talent, TalentTag


def require_editor(user: User) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Your role can only read."))


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied(_("Only admins can do this."))


def get_talent_for(user: User, pk: int, *, write: bool = False) -> Talent:
    talent = Talent.objects.visible_to(user).select_related("status", "owner").filter(pk=pk).first()
    if talent is None:
        raise Http404(_("No such talent."))
    if write:
        require_editor(user)
    return talent


def pools_visible_to(user: User) -> QuerySet[Pool]:
    if user.is_admin:
        return Pool.objects.all()
    return Pool.objects.filter(Q(is_private=False) | Q(members=user)).distinct()


def with_list_relations(talents: QuerySet[Talent], user: User) -> QuerySet[Talent]:
    """What a row of the talent list (page or API) shows besides the talent itself.

    Only pools the user may see are loaded, so a private pool's name never leaks.
    """
    pools = Prefetch("pools", queryset=pools_visible_to(user), to_attr="visible_pools")
    tags = Prefetch("tags", to_attr="visible_tags")
    return talents.select_related("status", "owner", "legal_basis").prefetch_related(pools, tags)


def count_pool_talents(user: User, pools: list[Pool]) -> list[Pool]:
    """Set `talent_count` on each of `pools`: the talents in it that `user` may see.

    Counting every member would tell them how many talents a pool hides from them.
    """
    memberships = PoolMembership.objects.filter(pool__in=[p.pk for p in pools])
    counts = _visible_counts(user, memberships, "pool_id")
    for pool in pools:
        pool.talent_count = counts[pool.pk]
    return pools


def count_tag_talents(user: User, tags: list[Tag]) -> list[Tag]:
    """Set `talent_count` on each of `tags`: the talents with it that `user` may see."""
    counts = _visible_counts(user, TalentTag.objects.filter(tag__in=[t.pk for t in tags]), "tag_id")
    for tag in tags:
        tag.talent_count = counts[tag.pk]
    return tags


def _visible_counts(
    user: User, links: QuerySet[PoolMembership] | QuerySet[TalentTag], group: str
) -> Counter[int]:
    # Filtering every link by the visibility rule joins each one to its talent (seconds at
    # 1M talents). All links, grouped, come from the (group, talent) index alone; the
    # talents the user may not see are few, so their links are found from them and taken off.
    counts: Counter[int] = Counter(dict(links.order_by().values_list(group).annotate(n=Count("*"))))
    hidden = links.filter(talent__in=Talent.objects.hidden_from(user))
    counts.subtract(dict(hidden.order_by().values_list(group).annotate(n=Count("*"))))
    return counts


def pools_with_counts(user: User) -> list[Pool]:
    """The pools `user` may see, by name, each with `talent_count` (see count_pool_talents)."""
    return count_pool_talents(user, list(pools_visible_to(user).order_by("name")))


def tags_with_counts(user: User) -> list[Tag]:
    """Every tag (tags are not private), by name, each with `talent_count` for `user`."""
    return count_tag_talents(user, list(Tag.objects.order_by("name")))


def get_pool_for(user: User, pk: int, *, write: bool = False) -> Pool:
    pool = pools_visible_to(user).filter(pk=pk).first()
    if pool is None:
        raise Http404(_("No such pool."))
    if write:
        require_editor(user)
    return pool


def get_document_for(user: User, pk: int, *, write: bool = False) -> Document:
    document = (
        Document.objects.filter(pk=pk, talent__in=Talent.objects.visible_to(user))
        .select_related("talent")
        .first()
    )
    if document is None:
        raise Http404(_("No such document."))
    if write:
        require_editor(user)
    return document


def get_note_for(user: User, pk: int, *, talent_id: int | None = None) -> Note:
    """A note on a talent the user may see (and, if given, on that talent); else 404."""
    notes = Note.objects.filter(pk=pk, talent__in=Talent.objects.visible_to(user))
    if talent_id is not None:
        notes = notes.filter(talent_id=talent_id)
    note = notes.select_related("talent", "author").first()
    if note is None:
        raise Http404(_("No such note."))
    return note


def hide_private_pool_names(user: User, events: list[Event]) -> list[Event]:
    """Blank out names of private pools the user may not see in these timeline events.

    A talent that left a confidential pool becomes visible again, but its timeline must
    not tell everyone what that pool was called. Only the in-memory copies change.
    """
    pool_ids = {e.data.get("pool_id") for e in events if "pool" in e.data}
    if not pool_ids:
        return events
    visible = set(pools_visible_to(user).filter(pk__in=pool_ids).values_list("pk", flat=True))
    existing = set(Pool.objects.filter(pk__in=pool_ids).values_list("pk", flat=True))
    for event in events:
        pool_id = event.data.get("pool_id")
        if "pool" not in event.data or pool_id in visible:
            continue
        # An existing pool the user cannot see is private; a deleted one was if it says so.
        if pool_id in existing or event.data.get("private"):
            event.data = {**event.data, "pool": _("(private)")}
    return events
