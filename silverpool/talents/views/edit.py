"""Create, edit and delete a talent: the manual channel of the intake service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.talent import TalentCreateForm, TalentForm
from ..models import Tag, Talent


def _new_tags(form: TalentCreateForm) -> list[Tag]:
    tags = []
    for name in form.cleaned_data["new_tags"]:
        try:
            tags.append(services.get_or_create_tag(name)[0])
        except ValidationError as exc:
            raise ValidationError({"new_tags": exc.messages}) from exc
    return tags


@login_required
@require_http_methods(["GET", "POST"])
def talent_create(request: AuthedRequest) -> HttpResponse:
    services.require_editor(request.user)
    form = TalentCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                result = services.intake_talent(
                    form.talent_data(),
                    actor=request.user,
                    source_kind=Talent.SourceKind.MANUAL,
                    source_label=str(request.user),
                    status=data["status"],
                    owner=data["owner"],
                    pools=data["pools"],
                    tags=[*data["tags"], *_new_tags(form)],
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _created(request, result)
    return render(request, "talents/talent_form.html", {"form": form, "talent": None})


def _created(request: AuthedRequest, result: services.IntakeResult) -> HttpResponse:
    talent = result.talent
    if result.created:
        messages.success(request, _("%(name)s was added.") % {"name": talent.full_name})
        return redirect("talents:talent-detail", pk=talent.pk)
    messages.warning(
        request, _("A talent with this email already existed; we updated that profile.")
    )
    return redirect("talents:talent-detail", pk=talent.pk)


@login_required
@require_http_methods(["GET", "POST"])
def talent_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    form = TalentForm(request.POST or None, talent=talent)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_talent(talent, form.talent_data(), actor=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if changed:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("talents:talent-detail", pk=talent.pk)
    return render(request, "talents/talent_form.html", {"form": form, "talent": talent})


@login_required
@require_http_methods(["GET", "POST"])
def talent_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    if request.method == "POST":
        services.delete_talent(talent, actor=request.user)
        messages.success(request, _("%(name)s was deleted.") % {"name": talent.full_name})
        return redirect("talents:talent-list")
    context = {
        "title": _("Delete talent"),
        "question": _("Delete %(name)s for good?") % {"name": talent.full_name},
        "detail": _(
            "Their notes, documents, pool memberships, tags and timeline are deleted too. "
            "This cannot be undone."
        ),
        "action": reverse("talents:talent-delete", args=[pk]),
        "back": reverse("talents:talent-detail", args=[pk]),
    }
    return render(request, "talents/talent_confirm_delete.html", context)
