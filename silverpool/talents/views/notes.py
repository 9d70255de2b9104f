"""Notes on the talent detail page: add, edit and delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from .. import services
from ..models import Note, Talent
from .detail import confirm, done, fragments, is_htmx


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
        services.add_note(
            talent,
            request.POST.get("text", ""),
            author=request.user,
            visible_to_talent=bool(request.POST.get("visible_to_talent")),
        )
    except ValidationError as exc:
        if is_htmx(request):
            note_error = " ".join(exc.messages)
            return fragments(request, talent, "notes", status=422, note_error=note_error)
        messages.error(request, " ".join(exc.messages))
        return done(request, talent, "notes")
    messages.success(request, _("Note added."))
    return done(request, talent, "notes")


@login_required
@require_POST
def note_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    note, talent = _note_for(request, pk)
    try:
        services.edit_note(
            note,
            request.POST.get("text", ""),
            actor=request.user,
            visible_to_talent=bool(request.POST.get("visible_to_talent")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return done(request, talent, "notes", status=422)
    messages.success(request, _("Note saved."))
    return done(request, talent, "notes")


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    note, talent = _note_for(request, pk)
    if request.method == "GET":
        return confirm(
            request,
            title=_("Delete note"),
            question=_("Delete this note on %(name)s?") % {"name": talent.full_name},
            detail=note.text,
            action=reverse("talents:note-delete", args=[pk]),
            back=reverse("talents:talent-detail", args=[talent.pk]) + "#notes",
        )
    services.delete_note(note, actor=request.user)
    messages.success(request, _("Note deleted."))
    return done(request, talent, "notes")
