"""Admin settings: the status list and the custom talent fields. Admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.catalog import CustomFieldForm, StatusForm
from ..models import CustomField, Status


def _confirm_delete(
    request: AuthedRequest, *, question: str, consequence: str = "", blocked: str = ""
) -> HttpResponse:
    context = {
        "question": question,
        "consequence": consequence,
        "blocked": blocked,
        "cancel_url": reverse("talents:settings"),
    }
    return render(request, "talents/confirm_delete.html", context)


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    services.require_admin(request.user)
    fields = [(field, services.custom_field_usage(field)) for field in CustomField.objects.all()]
    # Aggregate queries ignore Meta.ordering, so the order is spelled out.
    statuses = Status.objects.annotate(talent_count=Count("talents")).order_by("position", "id")
    return render(request, "talents/settings.html", {"statuses": statuses, "fields": fields})


def _settings_form(request: AuthedRequest, form: BaseForm, heading: str) -> HttpResponse:
    return render(request, "talents/settings_form.html", {"form": form, "heading": heading})


@login_required
def status_create(request: AuthedRequest) -> HttpResponse:
    services.require_admin(request.user)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            status = services.save_status(None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Status “%(name)s” added.") % {"name": status.name})
            return redirect("talents:settings")
    return _settings_form(request, form, _("New status"))


@login_required
def status_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    status = get_object_or_404(Status, pk=pk)
    form = StatusForm(request.POST or None, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_status(status, **form.cleaned_data)
        except ValidationError as exc:
            status.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("Status “%(name)s” saved.") % {"name": status.name})
            return redirect("talents:settings")
    return _settings_form(request, form, _("Edit status “%(name)s”") % {"name": status.name})


@login_required
def status_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    status = get_object_or_404(Status, pk=pk)
    if request.method != "POST":
        question = _("Delete the status “%(name)s”?") % {"name": status.name}
        blocked = services.status_delete_blocker(status)
        consequence = ""
        if status.is_default:
            consequence = _(
                "It is the default for new talents. Until you choose another default, "
                "new talents get the first status in the list."
            )
        return _confirm_delete(request, question=question, consequence=consequence, blocked=blocked)
    try:
        services.delete_status(status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status “%(name)s” deleted.") % {"name": status.name})
    return redirect("talents:settings")


@login_required
def field_create(request: AuthedRequest) -> HttpResponse:
    services.require_admin(request.user)
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            field = services.save_custom_field(None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Field “%(label)s” added.") % {"label": field.label})
            return redirect("talents:settings")
    return _settings_form(request, form, _("New custom field"))


@login_required
def field_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    field = get_object_or_404(CustomField, pk=pk)
    form = CustomFieldForm(request.POST or None, field=field)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_custom_field(field, **form.cleaned_data)
        except ValidationError as exc:
            field.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("Field “%(label)s” saved.") % {"label": field.label})
            return redirect("talents:settings")
    return _settings_form(request, form, _("Edit field “%(name)s”") % {"name": field.label})


@login_required
def field_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    field = get_object_or_404(CustomField, pk=pk)
    if request.method != "POST":
        used = services.custom_field_usage(field)
        consequence = ngettext(
            "%(count)d talent has a value in this field. The value is deleted with the field; "
            "the talent's timeline keeps a record of it.",
            "%(count)d talents have a value in this field. The values are deleted with the "
            "field; each talent's timeline keeps a record of it.",
            used,
        ) % {"count": used}
        question = _("Delete the field “%(label)s”?") % {"label": field.label}
        return _confirm_delete(request, question=question, consequence=consequence)
    cleared = services.delete_custom_field(field, actor=request.user)
    done = ngettext(
        "Field “%(label)s” deleted, with its value on %(count)d talent.",
        "Field “%(label)s” deleted, with its values on %(count)d talents.",
        cleared,
    )
    messages.success(request, done % {"label": field.label, "count": cleared})
    return redirect("talents:settings")
