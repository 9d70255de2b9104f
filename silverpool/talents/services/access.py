"""Who may see and change what. A thing a user may not see answers 404, even by guessed id."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ...accounts.models import User
from ..models import Document, Event, Note, Pool, Tag, Talent, visible_talent


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


def pools_with_counts(user: User) -> QuerySet[Pool]:
    """The pools `user` may see, each with `talent_count`: the talents in it they may see.

    Counting every member would tell them how many talents a pool hides from them.
    """
    counted = Count("memberships", filter=visible_talent(user, "memberships__talent__"))
    visible = pools_visible_to(user).values("pk")
    # Aggregate queries ignore Meta.ordering, so the order is spelled out.
    return Pool.objects.filter(pk__in=visible).annotate(talent_count=counted).order_by("name")


def tags_with_counts(user: User) -> QuerySet[Tag]:
    """Every tag (tags are not private), each with `talent_count`: the talents `user` may see."""
    counted = Count("talent_tags", filter=visible_talent(user, "talent_tags__talent__"))
    return Tag.objects.annotate(talent_count=counted).order_by("name")


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
