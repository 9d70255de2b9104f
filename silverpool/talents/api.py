"""The talents API: talents, their notes, timeline, pools and tags, and pools and tags themselves.

Every endpoint finds its objects through the services' access helpers (a talent or pool the
user may not see answers 404, a viewer's write 403), calls one service and returns an Out
schema. Errors become the one error shape in silverpool/api.py.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as Reply

from ..accounts.api import api_source_label, api_user
from ..accounts.models import User
from ..privacy.services import audit_view
from . import services
from .forms.talent import assignable_owners
from .models import Note, Pool, Status, Tag, Talent
from .schemas import (
    EventPage,
    NoteIn,
    NoteOut,
    NotePage,
    NotePatch,
    PageQuery,
    PoolIn,
    PoolOut,
    PoolPage,
    PoolPatch,
    StatusOut,
    TagIn,
    TagOut,
    TagPage,
    TagPatch,
    TalentIn,
    TalentIntakeOut,
    TalentListQuery,
    TalentOut,
    TalentPage,
    TalentPatch,
)
from .search import TalentFilters, Total, count_talents, filter_talents
from .validation import clean_talent_fields

router = Router()

# In a PATCH, null clears a field; the services spell "empty" like this.
EMPTY_VALUES: dict[str, Any] = {"skills": [], "profile_urls": [], "custom_values": {}}
NO_CONTENT = {204: None}


def _page[M: Model](
    qs: QuerySet[M], query: PageQuery, total: Total | None = None
) -> dict[str, Any]:
    total = total or Total(qs.count(), True)
    start = (query.page - 1) * query.page_size
    return {
        "items": list(qs[start : start + query.page_size]),
        "total": total.value,
        "total_is_exact": total.exact,
        "page": query.page,
        "page_size": query.page_size,
    }


# ---- talents --------------------------------------------------------------------------------


def _reloaded(talent: Talent, user: User) -> Talent:
    return services.with_list_relations(Talent.objects.filter(pk=talent.pk), user).get()


def _status(key: str | None) -> Status:
    status = Status.objects.filter(key=key).first() if key else None
    if status is None:
        raise ValidationError({"status": [_("There is no status with this key.")]})
    return status


def _owner(pk: int | None) -> User | None:
    if pk is None:
        return None
    owner = assignable_owners().filter(pk=pk).first()
    if owner is None:
        raise ValidationError({"owner": [_("There is no active admin or recruiter with this id.")]})
    return owner


def _visible_pools(user: User, ids: list[int], field: str = "pools") -> list[Pool]:
    pools = list(services.pools_visible_to(user).filter(pk__in=ids))
    if len(pools) != len(set(ids)):
        raise ValidationError({field: [_("There is no such pool.")]})
    return pools


def _tags(ids: list[int]) -> list[Tag]:
    tags = list(Tag.objects.filter(pk__in=ids))
    if len(tags) != len(set(ids)):
        raise ValidationError({"tags": [_("There is no such tag.")]})
    return tags


def _talent_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Schema values as the services take them: a null text is an empty one."""
    return {
        name: EMPTY_VALUES.get(name, "") if value is None else value for name, value in data.items()
    }


def _resolve_all(
    resolvers: dict[str, Callable[[], Any]], fields: dict[str, Any], *, partial: bool
) -> dict[str, Any]:
    """Run each reference lookup; on any error, report it with every field error at once."""
    resolved: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, resolve in resolvers.items():
        try:
            resolved[name] = resolve()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        try:
            clean_talent_fields(fields, partial=partial)
        except ValidationError as exc:
            errors = {**exc.message_dict, **errors}
        raise ValidationError(errors)
    return resolved


@router.get("/talents", response=TalentPage, tags=["talents"])
def list_talents(request: HttpRequest, query: Query[TalentListQuery]) -> dict[str, Any]:
    """Search, filter and sort talents as on the talent list page.

    `total` is exact up to a limit and an estimate above it on PostgreSQL
    (`total_is_exact` says which).
    """
    user = api_user(request)
    status = _status(query.status).pk if query.status else None
    pool = _visible_pools(user, [query.pool], "pool")[0].pk if query.pool else None
    filters = TalentFilters(
        q=query.q,
        pool=pool,
        tag=query.tag,
        status=status,
        source_kind=query.source_kind or "",
        source_label=query.source_label.strip(),
        owner=query.owner,
        unowned=query.unowned,
        available_from_min=query.available_from_min,
        available_from_max=query.available_from_max,
        created_min=query.created_min,
        created_max=query.created_max,
        city=query.city,
        country=query.country,
        legal_state=query.legal_state or "",
        sort=query.sort,
    )
    talents = filter_talents(Talent.objects.visible_to(user), filters)
    return _page(services.with_list_relations(talents, user), query, count_talents(talents))


@router.get("/talents/{talent_id}", response=TalentOut, tags=["talents"])
def get_talent(request: HttpRequest, talent_id: int) -> Talent:
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id)
    # R21: reads of a profile are on the audit log, through the API as on the page.
    audit_view(user, talent.pk)
    return _reloaded(talent, user)


@router.post("/talents", response={200: TalentIntakeOut, 201: TalentIntakeOut}, tags=["talents"])
def create_talent(request: HttpRequest, payload: TalentIn) -> Reply[Talent]:
    """Create a talent (201), or update the one with the same email (200, `created: false`).

    As with every channel, an update never blanks a field: empty values are ignored.
    """
    user = api_user(request)
    services.require_editor(user)
    data = payload.model_dump(exclude_unset=True)
    refs = {
        "status": data.pop("status", None),
        "owner": data.pop("owner", None),
        "pools": data.pop("pools", []),
        "tags": data.pop("tags", []),
    }
    fields = _talent_fields(data)
    resolved = _resolve_all(
        {
            "status": lambda: _status(refs["status"]) if refs["status"] else None,
            "owner": lambda: _owner(refs["owner"]),
            "pools": lambda: _visible_pools(user, refs["pools"]),
            "tags": lambda: _tags(refs["tags"]),
        },
        fields,
        partial=False,
    )
    result = services.intake_talent(
        fields,
        actor=user,
        source_kind=Talent.SourceKind.API,
        source_label=api_source_label(request),
        status=resolved["status"],
        owner=resolved["owner"],
        pools=resolved["pools"],
        tags=resolved["tags"],
    )
    # TalentIntakeOut says `created` from the status code.
    return Reply(201 if result.created else 200, _reloaded(result.talent, user))


@router.patch("/talents/{talent_id}", response=TalentOut, tags=["talents"])
def update_talent(request: HttpRequest, talent_id: int, payload: TalentPatch) -> Talent:
    """Change the fields sent. Status and owner changes are their own timeline events."""
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    data = payload.model_dump(exclude_unset=True)
    resolvers: dict[str, Callable[[], Any]] = {}
    if "status" in data:
        key = data.pop("status")
        resolvers["status"] = lambda: _status(key)
    if "owner" in data:
        owner_id = data.pop("owner")
        resolvers["owner"] = lambda: _owner(owner_id)
    if data.get("custom_values") is not None:
        # Merged as in a JSON merge patch: keys not sent keep their value, null removes one.
        data["custom_values"] = {**talent.custom_values, **data["custom_values"]}
    fields = _talent_fields(data)
    resolved = _resolve_all(resolvers, fields, partial=True)
    with transaction.atomic():
        services.update_talent(talent, fields, actor=user)
        if "status" in resolved:
            services.set_status(talent, resolved["status"], actor=user)
        if "owner" in resolved:
            services.set_owner(talent, resolved["owner"], actor=user)
    return _reloaded(talent, user)


@router.delete("/talents/{talent_id}", response=NO_CONTENT, tags=["talents"])
def delete_talent(request: HttpRequest, talent_id: int) -> Reply[None]:
    """Delete a talent with its notes, timeline, documents and memberships."""
    user = api_user(request)
    services.delete_talent(services.get_talent_for(user, talent_id, write=True), actor=user)
    return Reply(204, None)


@router.get("/statuses", response=list[StatusOut], tags=["talents"])
def list_statuses(request: HttpRequest) -> QuerySet[Status]:
    """The configured statuses; talents refer to them by `key`."""
    return Status.objects.all()


# ---- memberships ----------------------------------------------------------------------------


@router.put("/talents/{talent_id}/pools/{pool_id}", response=NO_CONTENT, tags=["talents"])
def add_talent_to_pool(request: HttpRequest, talent_id: int, pool_id: int) -> Reply[None]:
    """Put a talent in a pool (nothing happens if it already is)."""
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    services.add_to_pool(talent, services.get_pool_for(user, pool_id), actor=user)
    return Reply(204, None)


@router.delete("/talents/{talent_id}/pools/{pool_id}", response=NO_CONTENT, tags=["talents"])
def remove_talent_from_pool(request: HttpRequest, talent_id: int, pool_id: int) -> Reply[None]:
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    services.remove_from_pool(talent, services.get_pool_for(user, pool_id), actor=user)
    return Reply(204, None)


@router.put("/talents/{talent_id}/tags/{tag_id}", response=NO_CONTENT, tags=["talents"])
def add_tag_to_talent(request: HttpRequest, talent_id: int, tag_id: int) -> Reply[None]:
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    services.add_tag(talent, _tag(user, tag_id), actor=user)
    return Reply(204, None)


@router.delete("/talents/{talent_id}/tags/{tag_id}", response=NO_CONTENT, tags=["talents"])
def remove_tag_from_talent(request: HttpRequest, talent_id: int, tag_id: int) -> Reply[None]:
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    services.remove_tag(talent, _tag(user, tag_id), actor=user)
    return Reply(204, None)


# ---- notes and timeline ---------------------------------------------------------------------


def _note_for(user: User, talent_id: int, note_id: int, *, write: bool = False) -> Note:
    if write:
        services.require_editor(user)
    return services.get_note_for(user, note_id, talent_id=talent_id)


@router.get("/talents/{talent_id}/notes", response=NotePage, tags=["notes"])
def list_notes(request: HttpRequest, talent_id: int, query: Query[PageQuery]) -> dict[str, Any]:
    """A talent's notes, newest first."""
    talent = services.get_talent_for(api_user(request), talent_id)
    return _page(talent.notes.select_related("author"), query)


@router.post("/talents/{talent_id}/notes", response={201: NoteOut}, tags=["notes"])
def create_note(request: HttpRequest, talent_id: int, payload: NoteIn) -> Reply[Note]:
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id, write=True)
    return Reply(201, services.add_note(talent, payload.text, author=user))


@router.get("/talents/{talent_id}/notes/{note_id}", response=NoteOut, tags=["notes"])
def get_note(request: HttpRequest, talent_id: int, note_id: int) -> Note:
    return _note_for(api_user(request), talent_id, note_id)


@router.patch("/talents/{talent_id}/notes/{note_id}", response=NoteOut, tags=["notes"])
def update_note(request: HttpRequest, talent_id: int, note_id: int, payload: NotePatch) -> Note:
    """Change a note's text: its author or an admin only."""
    user = api_user(request)
    note = _note_for(user, talent_id, note_id, write=True)
    return services.edit_note(note, payload.text, actor=user)


@router.delete("/talents/{talent_id}/notes/{note_id}", response=NO_CONTENT, tags=["notes"])
def delete_note(request: HttpRequest, talent_id: int, note_id: int) -> Reply[None]:
    """Delete a note: its author or an admin only."""
    user = api_user(request)
    services.delete_note(_note_for(user, talent_id, note_id, write=True), actor=user)
    return Reply(204, None)


@router.get("/talents/{talent_id}/events", response=EventPage, tags=["timeline"])
def list_events(request: HttpRequest, talent_id: int, query: Query[PageQuery]) -> dict[str, Any]:
    """A talent's timeline, newest first."""
    user = api_user(request)
    talent = services.get_talent_for(user, talent_id)
    page = _page(talent.events.select_related("actor").order_by("-created_at", "-id"), query)
    page["items"] = services.hide_private_pool_names(user, page["items"])
    return page


# ---- pools ----------------------------------------------------------------------------------


def _pool_out(user: User, pk: int) -> Pool:
    pool = Pool.objects.prefetch_related("members").get(pk=pk)
    return services.count_pool_talents(user, [pool])[0]


def _members(ids: list[int], *, private: bool, actor: User) -> list[User]:
    members = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(members) != len(set(ids)):
        raise ValidationError({"members": [_("There is no active user with one of these ids.")]})
    # As on the page: a recruiter saving a private pool stays in it, or would lose it at once.
    if private and not actor.is_admin and actor not in members:
        members.append(actor)
    return members


@router.get("/pools", response=PoolPage, tags=["pools"])
def list_pools(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """The pools you may see: public ones, private ones you are a member of (admins: all)."""
    user = api_user(request)
    pools = services.pools_visible_to(user).order_by("name").prefetch_related("members")
    page = _page(pools, query)
    services.count_pool_talents(user, page["items"])
    return page


@router.get("/pools/{pool_id}", response=PoolOut, tags=["pools"])
def get_pool(request: HttpRequest, pool_id: int) -> Pool:
    user = api_user(request)
    return _pool_out(user, services.get_pool_for(user, pool_id).pk)


@router.post("/pools", response={201: PoolOut}, tags=["pools"])
def create_pool(request: HttpRequest, payload: PoolIn) -> Reply[Pool]:
    user = api_user(request)
    services.require_editor(user)
    pool = services.save_pool(
        None,
        name=payload.name,
        description=payload.description,
        is_private=payload.is_private,
        members=_members(payload.members, private=payload.is_private, actor=user),
        actor=user,
    )
    return Reply(201, _pool_out(user, pool.pk))


@router.patch("/pools/{pool_id}", response=PoolOut, tags=["pools"])
def update_pool(request: HttpRequest, pool_id: int, payload: PoolPatch) -> Pool:
    """Rename or change a pool; `members` replaces the member list of a private pool."""
    user = api_user(request)
    pool = services.get_pool_for(user, pool_id, write=True)
    data = payload.model_dump(exclude_unset=True)
    is_private = pool.is_private if data.get("is_private") is None else data["is_private"]
    member_ids = data.get("members")
    if member_ids is None:
        member_ids = list(pool.members.values_list("pk", flat=True))
    name = data.get("name", pool.name)
    description = data.get("description", pool.description)
    services.save_pool(
        pool,
        name=name or "",
        description=description or "",
        is_private=is_private,
        members=_members(member_ids, private=is_private, actor=user),
        actor=user,
    )
    return _pool_out(user, pool.pk)


@router.delete("/pools/{pool_id}", response=NO_CONTENT, tags=["pools"])
def delete_pool(request: HttpRequest, pool_id: int) -> Reply[None]:
    """Delete a pool; its talents stay, and their timelines say they left it."""
    user = api_user(request)
    services.delete_pool(services.get_pool_for(user, pool_id, write=True), actor=user)
    return Reply(204, None)


# ---- tags -----------------------------------------------------------------------------------


def _tag(user: User, pk: int) -> Tag:
    # Tags are not private: every user sees every tag (and counts the talents they may see).
    tag = Tag.objects.filter(pk=pk).first()
    if tag is None:
        raise Http404(_("No such tag."))
    return services.count_tag_talents(user, [tag])[0]


@router.get("/tags", response=TagPage, tags=["tags"])
def list_tags(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = _page(Tag.objects.order_by("name"), query)
    services.count_tag_talents(api_user(request), page["items"])
    return page


@router.get("/tags/{tag_id}", response=TagOut, tags=["tags"])
def get_tag(request: HttpRequest, tag_id: int) -> Tag:
    return _tag(api_user(request), tag_id)


@router.post("/tags", response={201: TagOut}, tags=["tags"])
def create_tag(request: HttpRequest, payload: TagIn) -> Reply[Tag]:
    user = api_user(request)
    services.require_editor(user)
    return Reply(201, _tag(user, services.save_tag(None, name=payload.name).pk))


@router.patch("/tags/{tag_id}", response=TagOut, tags=["tags"])
def update_tag(request: HttpRequest, tag_id: int, payload: TagPatch) -> Tag:
    user = api_user(request)
    tag = _tag(user, tag_id)
    services.require_editor(user)
    return _tag(user, services.save_tag(tag, name=payload.name).pk)


@router.delete("/tags/{tag_id}", response=NO_CONTENT, tags=["tags"])
def delete_tag(request: HttpRequest, tag_id: int) -> Reply[None]:
    """Delete a tag; the talents that had it say so on their timelines."""
    user = api_user(request)
    tag = _tag(user, tag_id)
    services.require_editor(user)
    services.delete_tag(tag, actor=user)
    return Reply(204, None)
