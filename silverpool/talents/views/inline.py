"""Changes made in place on the talent detail page: one profile field, status, owner,
pools and tags."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.talent import TalentForm, assignable_owners
from ..models import Status, Tag, Talent
from .detail import (
    TEMPLATE,
    FieldRow,
    detail_context,
    done,
    field_rows,
    fragments,
    is_htmx,
)


def _posted_pk(request: AuthedRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise Http404(_("Nothing was chosen."))
    return int(value)


def _row(talent: Talent, name: str) -> FieldRow:
    for row in field_rows(talent):
        if row.name == name:
            return row
    raise Http404(_("No such field."))


@login_required
@require_http_methods(["GET", "POST"])
def talent_field(request: AuthedRequest, pk: int, field: str) -> HttpResponse:
    """One profile field edited in place: GET gives its form, POST saves it."""
    talent = services.get_talent_for(request.user, pk, write=True)
    row = _row(talent, field)
    if request.method == "GET":
        if not is_htmx(request):
            return redirect(reverse("talents:talent-edit", args=[pk]) + f"#id_{row.form_fields[0]}")
        context = detail_context(request, talent, row=row)
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
        if is_htmx(request):
            context = detail_context(request, talent, row=row, form=form)
            return render(request, f"{TEMPLATE}#field_form", context, status=422)
        for errors in form.errors.values():
            messages.error(request, f"{row.label}: {' '.join(str(e) for e in errors)}")
        return redirect("talents:talent-detail", pk=pk)
    messages.success(request, _("%(field)s saved.") % {"field": row.label})
    if is_htmx(request):
        oob = ("header", "duplicates", "timeline")
        return fragments(request, talent, "field", oob=oob, row=_row(talent, field))
    return redirect("talents:talent-detail", pk=pk)


@login_required
@require_POST
def talent_status(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    status = get_object_or_404(Status, pk=_posted_pk(request, "status"))
    if services.set_status(talent, status, actor=request.user):
        messages.success(request, _("Status set to %(status)s.") % {"status": status.name})
    return done(request, talent, "meta")


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
    return done(request, talent, "meta")


@login_required
@require_POST
def talent_pool_add(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    pool = services.get_pool_for(request.user, _posted_pk(request, "pool"), write=True)
    if services.add_to_pool(talent, pool, actor=request.user):
        messages.success(request, _("Added to pool %(pool)s.") % {"pool": pool.name})
    return done(request, talent, "meta")


@login_required
@require_POST
def talent_pool_remove(request: AuthedRequest, pk: int, pool: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    chosen = services.get_pool_for(request.user, pool, write=True)
    if services.remove_from_pool(talent, chosen, actor=request.user):
        messages.success(request, _("Removed from pool %(pool)s.") % {"pool": chosen.name})
    return done(request, talent, "meta")


@login_required
@require_POST
def talent_tag_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a tag by name; a name no tag has yet makes a new tag."""
    talent = services.get_talent_for(request.user, pk, write=True)
    try:
        tag, _new = services.get_or_create_tag(request.POST.get("tag_name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return done(request, talent, "meta", status=422)
    if services.add_tag(talent, tag, actor=request.user):
        messages.success(request, _("Tag %(tag)s added.") % {"tag": tag.name})
    return done(request, talent, "meta")


@login_required
@require_POST
def talent_tag_remove(request: AuthedRequest, pk: int, tag: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    chosen = get_object_or_404(Tag, pk=tag)
    if services.remove_tag(talent, chosen, actor=request.user):
        messages.success(request, _("Tag %(tag)s removed.") % {"tag": chosen.name})
    return done(request, talent, "meta")
