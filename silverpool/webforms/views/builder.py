"""The form builder for recruiters and admins: the list of forms, a form's edit page (its
settings, its fields, the live preview and what publishing needs), its submissions, and
the branding of the public pages (admins).

Field changes are small POST forms that work without JavaScript (back to the page with a
flash message); with htmx they answer with the fields panel, the flash messages out of
band, and the event "form-changed" that makes app.js reload the preview.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from ...talents.models import Talent
from ...talents.services import require_admin, require_editor
from .. import services
from ..forms.builder import (
    AddFieldForm,
    BrandingForm,
    BuilderForm,
    FieldForm,
    NewForm,
    QuestionForm,
    SettingsForm,
    SitesForm,
)
from ..models import Form, FormField, Language, offered_languages
from ..services.catalog import default_label
from . import public
from .framing import branding

TEMPLATE = "webforms/form_detail.html"
SUBMISSIONS_PAGE_SIZE = 50


@login_required
@require_GET
def form_list(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    forms = Form.objects.annotate(
        submission_count=Count("submissions"), last_submission=Max("submissions__created_at")
    ).order_by("title", "id")
    rows = [(form, services.public_url(form)) for form in forms]
    return render(request, "webforms/form_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def form_create(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    new = NewForm(request.POST or None)
    if request.method == "POST" and new.is_valid():
        try:
            form = services.create_form(**new.cleaned_data, actor=request.user)
        except ValidationError as error:
            new.add_error(None, error)
        else:
            messages.success(request, _("Form “%(title)s” created.") % {"title": form.title})
            return redirect("webforms:form-edit", pk=form.pk)
    status = 422 if new.errors else 200
    return render(request, "webforms/form_new.html", {"new": new}, status=status)


# --- the edit page -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET shows the page; POST saves the settings."""
    form = services.get_form_for(request.user, pk)
    settings_form = SettingsForm(request.POST or None, form=form, user=request.user)
    if request.method == "POST" and settings_form.is_valid():
        try:
            services.update_form(form, settings_form.values(), actor=request.user)
        except ValidationError as error:
            settings_form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("webforms:form-edit", pk=form.pk)
    return _edit_page(request, form, settings_form=settings_form)


@login_required
@require_POST
def form_sites(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the sites that may embed the form."""
    form = services.get_form_for(request.user, pk)
    sites = SitesForm(request.POST, form=form)
    if sites.is_valid():
        try:
            services.update_form(form, {"allowed_origins": sites.lines()}, actor=request.user)
        except ValidationError as error:
            sites.add_error(None, error)
        else:
            messages.success(request, _("The sites allowed to embed the form are saved."))
            return redirect(reverse("webforms:form-edit", args=[form.pk]) + "#publish")
    return _edit_page(request, form, sites_form=sites)


def _edit_page(
    request: AuthedRequest,
    form: Form,
    *,
    settings_form: SettingsForm | None = None,
    sites_form: SitesForm | None = None,
) -> HttpResponse:
    if settings_form is None:
        settings_form = SettingsForm(form=form, user=request.user)
    if sites_form is None:
        sites_form = SitesForm(form=form)
    context = {
        **_fields_context(form),
        "settings_form": settings_form,
        "sites_form": sites_form,
        "public_url": services.public_url(form),
        "embed_snippet": services.embed_snippet(form),
        "preview_languages": offered_languages(form),
        "preview_language": _preview_language(request, form),
        "submission_count": form.submissions.count(),
    }
    status = 422 if settings_form.errors or sites_form.errors else 200
    return render(request, TEMPLATE, context, status=status)


def _fields_context(form: Form, edited: FieldForm | None = None) -> dict[str, Any]:
    """`edited` is the labels form just sent: its field's stays open, so the focus can go
    back to its button, and a refused one keeps what was typed."""
    fields = list(form.fields.all())
    rows = []
    for field in fields:
        field.form = form
        essential = services.is_essential(field)
        is_edited = edited is not None and edited.field.pk == field.pk
        rows.append(
            {
                "field": field,
                "label": _label(field),
                "essential": essential,
                "edit": edited if is_edited else FieldForm(field=field),
                "open": is_edited,
            }
        )
    language = translation.get_language() or "en"
    return {
        "form_obj": form,
        "rows": rows,
        "purposes": [purpose.name(language) for purpose in form.purposes.all()],
        "add_form": AddFieldForm(form=form),
        "question_form": QuestionForm(),
    }


# --- the fields panel ----------------------------------------------------------------------


def _label(field: FormField) -> str:
    """The field's label as candidates read it in the user's language."""
    return field.label or default_label(field)


def _field_for(request: AuthedRequest, pk: int, field_pk: int) -> FormField:
    form = services.get_form_for(request.user, pk)
    field = get_object_or_404(FormField, form=form, pk=field_pk)
    field.form = form
    return field


def _refusal(form: BuilderForm) -> ValidationError:
    """What is wrong with a field form, each message with the label of its input."""
    return ValidationError(
        [
            f"{capfirst(form.fields[name].label)}: {message}"
            for name, errors in form.errors.items()
            for message in errors
        ]
    )


def _fields_done(
    request: AuthedRequest,
    form: Form,
    error: ValidationError | None,
    edited: FieldForm | None = None,
) -> HttpResponse:
    """After a change of the fields (or a refused one): the panel for htmx, else the page."""
    if error is not None:
        messages.error(request, " ".join(error.messages))
    if not (request.htmx and not request.htmx.boosted):
        return redirect(reverse("webforms:form-edit", args=[form.pk]) + "#fields")
    context = _fields_context(form, edited)
    html = render_to_string(f"{TEMPLATE}#fields", context, request)
    html += render_to_string(f"{TEMPLATE}#flash", context, request)
    response = HttpResponse(html, status=200 if error is None else 422)
    if error is None:
        response["HX-Trigger"] = "form-changed"
    return response


@login_required
@require_POST
def field_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = services.get_form_for(request.user, pk)
    add = AddFieldForm(request.POST, form=form)
    if not add.is_valid():
        return _fields_done(request, form, ValidationError(_("Choose a field to add.")))
    kind, key = add.kind_and_key()
    try:
        field = services.add_field(form, kind=kind, key=key)
    except ValidationError as error:
        return _fields_done(request, form, error)
    label = _label(field)
    messages.success(request, _("“%(label)s” added.") % {"label": label})
    return _fields_done(request, form, None)


@login_required
@require_POST
def question_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = services.get_form_for(request.user, pk)
    question = QuestionForm(request.POST)
    try:
        if not question.is_valid():
            raise _refusal(question)
        field = services.add_field(form, kind=FormField.Kind.QUESTION, **question.cleaned_data)
    except ValidationError as error:
        return _fields_done(request, form, error)
    label = _label(field)
    messages.success(request, _("Question “%(label)s” added.") % {"label": label})
    return _fields_done(request, form, None)


@login_required
@require_POST
def field_edit(request: AuthedRequest, pk: int, field_pk: int) -> HttpResponse:
    field = _field_for(request, pk, field_pk)
    edit = FieldForm(request.POST, field=field)
    try:
        if not edit.is_valid():
            raise _refusal(edit)
        services.edit_field(field, edit.cleaned_data)
    except ValidationError as error:
        return _fields_done(request, field.form, error, edited=edit)
    label = _label(field)
    messages.success(request, _("“%(label)s” saved.") % {"label": label})
    return _fields_done(request, field.form, None, edited=FieldForm(field=field))


@login_required
@require_POST
def field_required(request: AuthedRequest, pk: int, field_pk: int) -> HttpResponse:
    field = _field_for(request, pk, field_pk)
    required = request.POST.get("required") == "1"
    try:
        services.edit_field(field, {"required": required})
    except ValidationError as error:
        return _fields_done(request, field.form, error)
    label = _label(field)
    done = _("“%(label)s” is required now.") if required else _("“%(label)s” is optional now.")
    messages.success(request, done % {"label": label})
    return _fields_done(request, field.form, None)


@login_required
@require_POST
def field_move(request: AuthedRequest, pk: int, field_pk: int) -> HttpResponse:
    field = _field_for(request, pk, field_pk)
    try:
        place = services.move_field(field, up=request.POST.get("direction") != "down")
    except ValidationError as error:
        return _fields_done(request, field.form, error)
    # Said aloud too: the arrow that had the focus is gone once the field is first or last.
    messages.success(
        request,
        _("“%(label)s” is now field %(place)d of %(count)d.")
        % {"label": _label(field), "place": place, "count": field.form.fields.count()},
    )
    return _fields_done(request, field.form, None)


@login_required
@require_POST
def field_remove(request: AuthedRequest, pk: int, field_pk: int) -> HttpResponse:
    field = _field_for(request, pk, field_pk)
    label = _label(field)
    try:
        services.remove_field(field)
    except ValidationError as error:
        return _fields_done(request, field.form, error)
    messages.success(request, _("“%(label)s” removed.") % {"label": label})
    return _fields_done(request, field.form, None)


def _preview_language(request: AuthedRequest, form: Form) -> str:
    """The language asked for, else the user's if the form is offered in it, else the
    form's first."""
    offered = form.languages or Language.values
    for language in (request.GET.get("lang", ""), translation.get_language()):
        if language in offered:
            return language
    return offered[0]


@login_required
@require_GET
def form_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form as candidates see it, in the edit page's iframe."""
    form = services.get_form_for(request.user, pk)
    return public.preview(request, form, _preview_language(request, form))


# --- the form as a whole -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def form_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    form = services.get_form_for(request.user, pk)
    if request.method != "POST":
        context = {
            "question": _("Delete the form “%(title)s”?") % {"title": form.title},
            "consequence": services.form_delete_consequence(form),
            "blocked": services.form_delete_blocker(form),
            "cancel_url": reverse("webforms:form-edit", args=[form.pk]),
        }
        return render(request, "talents/confirm_delete.html", context)
    try:
        services.delete_form(form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("webforms:form-edit", pk=form.pk)
    messages.success(request, _("Form “%(title)s” deleted.") % {"title": form.title})
    return redirect("webforms:form-list")


@login_required
@require_POST
def form_duplicate(request: AuthedRequest, pk: int) -> HttpResponse:
    form = services.get_form_for(request.user, pk)
    copy = services.duplicate_form(form, actor=request.user)
    messages.success(
        request,
        _("This is a copy of “%(title)s”, inactive until you switch it on.")
        % {"title": form.title},
    )
    return redirect("webforms:form-edit", pk=copy.pk)


@login_required
@require_GET
def submission_list(request: AuthedRequest, pk: int) -> HttpResponse:
    form = services.get_form_for(request.user, pk)
    submissions = form.submissions.select_related("talent")
    page = Paginator(submissions, SUBMISSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    # Talents in a private pool the user is not in are not named, nor linked.
    visible = set(
        Talent.objects.visible_to(request.user)
        .filter(pk__in=[s.talent_id for s in page])
        .values_list("pk", flat=True)
    )
    context = {"form_obj": form, "page": page, "visible": visible}
    return render(request, "webforms/submission_list.html", context)


# --- branding ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def branding_edit(request: AuthedRequest) -> HttpResponse:
    """The logo and colour of the public form pages. Admins only."""
    require_admin(request.user)
    brand = branding()
    edit = BrandingForm(
        request.POST or None, request.FILES or None, initial={"colour": brand.colour}
    )
    if request.method == "POST" and edit.is_valid():
        try:
            services.save_branding(**edit.cleaned_data)
        except ValidationError as error:
            edit.add_error(None, error)
        else:
            messages.success(request, _("Branding saved."))
            return redirect("webforms:branding")
    status = 422 if edit.errors else 200
    return render(
        request, "webforms/branding_form.html", {"edit": edit, "brand": brand}, status=status
    )
