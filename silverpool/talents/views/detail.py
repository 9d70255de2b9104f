"""Talent detail page and everything changed on it: fields in place, status, owner, pools,
tags, notes, documents, duplicates and merges.

Each change is a small POST form that works without JavaScript (redirect back to the page
with a flash message). With htmx the view answers with the changed fragment of
talent_detail.html plus out-of-band fragments: the timeline and the flash messages.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.talent import CUSTOM_PREFIX, TalentForm, assignable_owners
from ..models import (
    CustomField,
    Document,
    DuplicateFlag,
    Merge,
    Note,
    PoolMembership,
    Status,
    Tag,
    Talent,
    TalentTag,
)
from ..services.events import jsonable
from ..services.merge import MERGE_FIELDS
from ..templatetags.talent_tags import display_value, field_label
from ..validation import EDITABLE_FIELDS

TEMPLATE = "talents/talent_detail.html"
TIMELINE_LIMIT = 200
# Fragments a page may re-fetch by GET (documents poll while their text is being read).
FETCHABLE = {"documents", "timeline"}


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One line of the profile; `name` is what the talent-field URL takes."""

    name: str
    label: str
    kind: str
    value: Any
    form_fields: tuple[str, ...]


SALARY = ("salary_amount", "salary_currency", "salary_period")
KINDS = {
    "email": "email",
    "phone": "phone",
    "skills": "chips",
    "linkedin_url": "link",
    "profile_urls": "links",
    "available_from": "date",
}


def _custom_text(field: CustomField, value: Any) -> str:
    if field.kind == CustomField.Kind.DATE and value:
        return display_value("available_from", value)
    if field.kind == CustomField.Kind.NUMBER and isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def field_rows(talent: Talent) -> list[FieldRow]:
    rows = []
    for name in EDITABLE_FIELDS:
        if name == "salary_amount":
            rows.append(FieldRow("salary", _("Salary expectation"), "salary", talent, SALARY))
        elif name not in SALARY and name != "custom_values":
            label = capfirst(field_label(name))
            value = talent.country.name if name == "country" else getattr(talent, name)
            rows.append(FieldRow(name, label, KINDS.get(name, "text"), value, (name,)))
    for custom in CustomField.objects.all():
        name = CUSTOM_PREFIX + custom.key
        value = _custom_text(custom, talent.custom_values.get(custom.key))
        rows.append(FieldRow(name, custom.label, "text", value, (name,)))
    return rows


def _row(talent: Talent, name: str) -> FieldRow:
    for row in field_rows(talent):
        if row.name == name:
            return row
    raise Http404(_("No such field."))


@dataclass(frozen=True)
class DuplicateItem:
    flag: DuplicateFlag
    other: Talent


def _detail_context(request: AuthedRequest, talent: Talent, **extra: Any) -> dict[str, Any]:
    user = request.user
    visible_pools = services.pools_visible_to(user)
    events = services.hide_private_pool_names(
        user, list(talent.events.select_related("actor")[:TIMELINE_LIMIT])
    )
    # Events that came with a merged talent say where they came from; that talent is hidden
    # now, but it is part of this one, so its name may be shown.
    moved_from: dict[int, str] = {}
    open_merges = set()
    for merge in Merge.objects.filter(primary=talent, undone_at__isnull=True).select_related(
        "secondary"
    ):
        open_merges.add(merge.pk)
        for event_id in merge.snapshot["moved"]["events"]:
            moved_from[event_id] = merge.secondary.full_name
    duplicates = [
        DuplicateItem(flag, flag.other if flag.talent_id == talent.pk else flag.talent)
        for flag in services.open_duplicate_flags(talent)
    ]
    mentioned = {e.data.get("other_id") for e in events} | {d.other.pk for d in duplicates}
    visible_ids = set(
        Talent.objects.visible_to(user)
        .filter(pk__in=[pk for pk in mentioned if isinstance(pk, int)])
        .values_list("pk", flat=True)
    ) | set(talent.merged_from.values_list("pk", flat=True))
    notes = list(talent.notes.select_related("author"))
    documents = list(talent.documents.select_related("uploaded_by"))
    return {
        "talent": talent,
        "can_edit": user.can_edit,
        "field_rows": field_rows(talent),
        "memberships": talent.pool_memberships.filter(pool__in=visible_pools).select_related(
            "pool", "added_by"
        ),
        "pools_to_add": visible_pools.exclude(
            pk__in=PoolMembership.objects.filter(talent=talent).values("pool_id")
        ),
        "tag_links": talent.talent_tags.select_related("tag"),
        "all_tags": Tag.objects.exclude(
            pk__in=TalentTag.objects.filter(talent=talent).values("tag_id")
        ),
        "statuses": Status.objects.all(),
        "owners": assignable_owners(),
        "notes": notes,
        "changeable_notes": {n.pk for n in notes if services.can_change_note(user, n)},
        "documents": documents,
        "documents_pending": any(d.extraction == Document.Extraction.PENDING for d in documents),
        "document_max_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
        "events": events,
        "events_total": talent.events.count(),
        "timeline_limit": TIMELINE_LIMIT,
        "open_merges": open_merges,
        "moved_from": moved_from,
        "duplicates": [d for d in duplicates if d.other.pk in visible_ids],
        "visible_talent_ids": visible_ids,
        **extra,
    }


def _is_htmx(request: AuthedRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _fragments(
    request: AuthedRequest,
    talent: Talent,
    main: str,
    *,
    oob: tuple[str, ...] = ("timeline",),
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The changed fragment, then out-of-band ones: the timeline and the flash messages."""
    context = _detail_context(request, talent, **extra)
    html = render_to_string(f"{TEMPLATE}#{main}", context, request)
    for name in (*oob, "flash"):
        html += render_to_string(f"{TEMPLATE}#{name}", {**context, "oob": True}, request)
    return HttpResponse(html, status=status)


def _done(
    request: AuthedRequest, talent: Talent, main: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """After a change (or a refused one): the fragment for htmx, else back to the page."""
    if _is_htmx(request):
        return _fragments(request, talent, main, status=status, **extra)
    return redirect(reverse("talents:talent-detail", args=[talent.pk]) + f"#{main}")


def _posted_pk(request: AuthedRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise Http404(_("Nothing was chosen."))
    return int(value)


def _confirm(
    request: AuthedRequest, *, title: str, question: str, action: str, back: str, detail: str = ""
) -> HttpResponse:
    context = {"title": title, "question": question, "action": action, "back": back}
    return render(request, "talents/talent_confirm_delete.html", {**context, "detail": detail})


# --- the page ------------------------------------------------------------------------------


@login_required
@require_GET
def talent_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk)
    fragment = request.GET.get("fragment", "")
    if _is_htmx(request) and fragment in FETCHABLE:
        return render(request, f"{TEMPLATE}#{fragment}", _detail_context(request, talent))
    return render(request, TEMPLATE, _detail_context(request, talent))


@login_required
@require_http_methods(["GET", "POST"])
def talent_field(request: AuthedRequest, pk: int, field: str) -> HttpResponse:
    """One profile field edited in place: GET gives its form, POST saves it."""
    talent = services.get_talent_for(request.user, pk, write=True)
    row = _row(talent, field)
    if request.method == "GET":
        if not _is_htmx(request):
            return redirect(reverse("talents:talent-edit", args=[pk]) + f"#id_{row.form_fields[0]}")
        context = _detail_context(request, talent, row=row)
        if "cancel" in request.GET:
            return render(request, f"{TEMPLATE}#field", context)
        form = TalentForm(talent=talent, only=row.form_fields)
        form.fields[row.form_fields[0]].widget.attrs["autofocus"] = True
        return render(request, f"{TEMPLATE}#field_form", {**context, "form": form})

    form = TalentForm(request.POST, talent=talent, only=row.form_fields)
    if form.is_valid():
        try:
            services.update_talent(talent, form.talent_data(), actor=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
    if form.errors:
        if _is_htmx(request):
            context = _detail_context(request, talent, row=row, form=form)
            return render(request, f"{TEMPLATE}#field_form", context, status=422)
        for errors in form.errors.values():
            messages.error(request, f"{row.label}: {' '.join(str(e) for e in errors)}")
        return redirect("talents:talent-detail", pk=pk)
    messages.success(request, _("%(field)s saved.") % {"field": row.label})
    if _is_htmx(request):
        oob = ("header", "duplicates", "timeline")
        return _fragments(request, talent, "field", oob=oob, row=_row(talent, field))
    return redirect("talents:talent-detail", pk=pk)


# --- status, owner, pools, tags ------------------------------------------------------------


@login_required
@require_POST
def talent_status(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    status = get_object_or_404(Status, pk=_posted_pk(request, "status"))
    if services.set_status(talent, status, actor=request.user):
        messages.success(request, _("Status set to %(status)s.") % {"status": status.name})
    return _done(request, talent, "meta")


@login_required
@require_POST
def talent_owner(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    owner = None
    if request.POST.get("owner"):
        owner = get_object_or_404(assignable_owners(), pk=_posted_pk(request, "owner"))
    if services.set_owner(talent, owner, actor=request.user):
        if owner is None:
            messages.success(request, _("The talent has no owner now."))
        else:
            messages.success(request, _("%(owner)s is the owner now.") % {"owner": owner})
    return _done(request, talent, "meta")


@login_required
@require_POST
def talent_pool_add(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    pool = services.get_pool_for(request.user, _posted_pk(request, "pool"), write=True)
    if services.add_to_pool(talent, pool, actor=request.user):
        messages.success(request, _("Added to pool %(pool)s.") % {"pool": pool.name})
    return _done(request, talent, "meta")


@login_required
@require_POST
def talent_pool_remove(request: AuthedRequest, pk: int, pool: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    chosen = services.get_pool_for(request.user, pool, write=True)
    if services.remove_from_pool(talent, chosen, actor=request.user):
        messages.success(request, _("Removed from pool %(pool)s.") % {"pool": chosen.name})
    return _done(request, talent, "meta")


@login_required
@require_POST
def talent_tag_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a tag by name; a name no tag has yet makes a new tag."""
    talent = services.get_talent_for(request.user, pk, write=True)
    try:
        tag = services.get_or_create_tag(request.POST.get("tag_name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _done(request, talent, "meta", status=422)
    if services.add_tag(talent, tag, actor=request.user):
        messages.success(request, _("Tag %(tag)s added.") % {"tag": tag.name})
    return _done(request, talent, "meta")


@login_required
@require_POST
def talent_tag_remove(request: AuthedRequest, pk: int, tag: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    chosen = get_object_or_404(Tag, pk=tag)
    if services.remove_tag(talent, chosen, actor=request.user):
        messages.success(request, _("Tag %(tag)s removed.") % {"tag": chosen.name})
    return _done(request, talent, "meta")


# --- notes ---------------------------------------------------------------------------------


def _note_for(request: AuthedRequest, pk: int) -> tuple[Note, Talent]:
    """A note the user may change: 404 when its talent is hidden, 403 when not theirs."""
    note = services.get_note_for(request.user, pk)
    talent = note.talent
    if not services.can_change_note(request.user, note):
        raise PermissionDenied(_("Only the author or an admin can change this note."))
    return note, talent


@login_required
@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    try:
        services.add_note(talent, request.POST.get("text", ""), author=request.user)
    except ValidationError as exc:
        if _is_htmx(request):
            note_error = " ".join(exc.messages)
            return _fragments(request, talent, "notes", status=422, note_error=note_error)
        messages.error(request, " ".join(exc.messages))
        return _done(request, talent, "notes")
    messages.success(request, _("Note added."))
    return _done(request, talent, "notes")


@login_required
@require_POST
def note_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    note, talent = _note_for(request, pk)
    try:
        services.edit_note(note, request.POST.get("text", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _done(request, talent, "notes", status=422)
    messages.success(request, _("Note saved."))
    return _done(request, talent, "notes")


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    note, talent = _note_for(request, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Delete note"),
            question=_("Delete this note on %(name)s?") % {"name": talent.full_name},
            detail=note.text,
            action=reverse("talents:note-delete", args=[pk]),
            back=reverse("talents:talent-detail", args=[talent.pk]) + "#notes",
        )
    services.delete_note(note, actor=request.user)
    messages.success(request, _("Note deleted."))
    return _done(request, talent, "notes")


# --- documents -----------------------------------------------------------------------------


@login_required
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to upload."))
        document = services.add_document(talent, upload, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if _is_htmx(request):
            return _fragments(request, talent, "documents", status=422, document_error=error)
        messages.error(request, error)
        return _done(request, talent, "documents")
    messages.success(request, _("%(name)s uploaded.") % {"name": document.original_name})
    return _done(request, talent, "documents")


def attachment_disposition(name: str) -> str:
    """Content-Disposition for a download (RFC 6266): an ASCII fallback plus filename*."""
    fallback = re.sub(r'[^\x20-\x7e]|["\\%]', "_", name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
def document_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Serve a document as a download that the browser never renders or runs."""
    document = services.get_document_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = attachment_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    document = services.get_document_for(request.user, pk, write=True)
    talent = document.talent
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Delete document"),
            question=_("Delete %(file)s from %(name)s?")
            % {"file": document.original_name, "name": talent.full_name},
            action=reverse("talents:document-delete", args=[pk]),
            back=reverse("talents:talent-detail", args=[talent.pk]) + "#documents",
        )
    services.delete_document(document, actor=request.user)
    messages.success(request, _("%(file)s deleted.") % {"file": document.original_name})
    return _done(request, talent, "documents")


# --- duplicates and merges -----------------------------------------------------------------


@login_required
@require_POST
def duplicate_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    """The "Not a duplicate" button: the banner goes from both profiles."""
    flag = get_object_or_404(DuplicateFlag, pk=pk)
    page = request.POST.get("talent", "")
    talent_id = flag.other_id if page == str(flag.other_id) else flag.talent_id
    talent = services.get_talent_for(request.user, talent_id, write=True)
    services.dismiss_duplicate(flag, actor=request.user)
    messages.success(request, _("Marked as not a duplicate."))
    return _done(request, talent, "duplicates")


@dataclass(frozen=True)
class MergeRow:
    """One field of the comparison; `keep` is the side chosen by default."""

    name: str
    label: str
    primary: str
    secondary: str
    keep: str

    @property
    def differs(self) -> bool:
        return self.primary != self.secondary


def merge_rows(primary: Talent, secondary: Talent) -> list[MergeRow]:
    rows = []
    for name in MERGE_FIELDS:
        ours = display_value(name, jsonable(getattr(primary, name)))
        theirs = display_value(name, jsonable(getattr(secondary, name)))
        # Fill gaps: where the primary has nothing, the other talent's value is the default.
        keep = "secondary" if theirs and not ours else "primary"
        rows.append(MergeRow(name, capfirst(field_label(name)), ours, theirs, keep))
    return rows


def _moving(primary: Talent, secondary: Talent) -> dict[str, int]:
    """What the merge moves from the secondary talent onto the primary."""
    return {
        "notes": secondary.notes.count(),
        "documents": secondary.documents.count(),
        "events": secondary.events.count(),
        "pools": secondary.pool_memberships.exclude(
            pool_id__in=primary.pool_memberships.values("pool_id")
        ).count(),
        "tags": secondary.talent_tags.exclude(
            tag_id__in=primary.talent_tags.values("tag_id")
        ).count(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def talent_merge(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """Compare two talents side by side and merge `other` into `pk`."""
    primary = services.get_talent_for(request.user, pk, write=True)
    secondary = services.get_talent_for(request.user, other, write=True)
    if primary.pk == secondary.pk:
        raise Http404(_("A talent cannot be merged with itself."))
    rows = merge_rows(primary, secondary)
    if request.method == "POST":
        choices: dict[str, Any] = {
            row.name: request.POST[f"keep_{row.name}"]
            for row in rows
            if row.differs and request.POST.get(f"keep_{row.name}") in ("primary", "secondary")
        }
        try:
            services.merge_talents(primary, secondary, choices=choices, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(other)s was merged into this profile. You can undo it from the timeline.")
                % {"other": secondary.full_name},
            )
        return redirect("talents:talent-detail", pk=primary.pk)
    context = {
        "primary": primary,
        "secondary": secondary,
        "rows": rows,
        "differing": [row for row in rows if row.differs],
        "moving": _moving(primary, secondary),
    }
    return render(request, "talents/talent_merge.html", context)


@login_required
@require_POST
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(Merge, pk=pk)
    talent = services.get_talent_for(request.user, merge.primary_id, write=True)
    try:
        secondary = services.undo_merge(merge, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Merge undone: %(other)s is a separate profile again.")
            % {"other": secondary.full_name},
        )
    return redirect("talents:talent-detail", pk=talent.pk)
