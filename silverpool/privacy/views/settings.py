"""The privacy settings: the policy, the purposes and their versioned consent texts.
Admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ...accounts.http import AuthedRequest
from ...talents.services import require_admin
from ..forms.settings import PolicyForm, PurposeForm
from ..models import ConsentText, Purpose
from ..services import get_policy
from ..services.policy import LANGUAGES
from ..services.settings import (
    create_purpose,
    latest_texts,
    text_history,
    update_policy,
    update_purpose,
)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = PolicyForm(request.POST or None, instance=get_policy())
    if request.method == "POST" and form.is_valid():
        result = update_policy(form.cleaned_data, actor=request.user)
        if not result.changed:
            messages.info(request, _("Nothing changed."))
        else:
            messages.success(request, _("Privacy settings saved."))
        if result.postponed is not None:
            messages.success(
                request,
                ngettext(
                    "The GDPR function is on. %(count)d consent deadline that had passed "
                    "was moved to a fresh deadline.",
                    "The GDPR function is on. %(count)d consent deadlines that had passed "
                    "were moved to a fresh deadline.",
                    result.postponed,
                )
                % {"count": result.postponed},
            )
        return redirect("privacy:settings")
    purposes = [(purpose, latest_texts(purpose)) for purpose in Purpose.objects.all()]
    return render(request, "privacy/policy_form.html", {"form": form, "purposes": purposes})


def _purpose_form(request: AuthedRequest, form: PurposeForm, heading: str) -> HttpResponse:
    return render(request, "privacy/purpose_form.html", {"form": form, "heading": heading})


@login_required
@require_http_methods(["GET", "POST"])
def purpose_create(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = PurposeForm(request.POST or None, texts={})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        purpose = create_purpose(
            key=data["key"],
            name_en=data["name_en"],
            name_de=data["name_de"],
            texts=form.texts(),
            actor=request.user,
        )
        messages.success(request, _("Purpose “%(key)s” added.") % {"key": purpose.key})
        return redirect("privacy:settings")
    return _purpose_form(request, form, _("New purpose"))


@login_required
@require_http_methods(["GET", "POST"])
def purpose_edit(request: AuthedRequest, key: str) -> HttpResponse:
    require_admin(request.user)
    purpose = get_object_or_404(Purpose, key=key)
    current = {lang: text.text for lang, text in latest_texts(purpose).items() if text}
    form = PurposeForm(request.POST or None, purpose=purpose, texts=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        published = update_purpose(
            purpose,
            name_en=data["name_en"],
            name_de=data["name_de"],
            texts=form.texts(),
            actor=request.user,
        )
        for text in published:
            messages.success(
                request,
                _("Version %(version)d of the %(language)s text published.")
                % {"version": text.version, "language": text.get_language_display()},
            )
        if not published:
            messages.success(request, _("Saved. The consent texts did not change."))
        return redirect("privacy:settings")
    return _purpose_form(request, form, _("Purpose “%(name)s”") % {"name": purpose.name_en})


@login_required
@require_GET
def text_versions(request: AuthedRequest, key: str, language: str) -> HttpResponse:
    """Every version of a purpose's text in one language: consent records point at them.
    Everyone logged in may read them; talents see the same texts on the consent page."""
    purpose = get_object_or_404(Purpose, key=key)
    if language not in LANGUAGES:
        raise Http404(_("No such language."))
    context = {
        "purpose": purpose,
        "language": ConsentText.Language(language).label,
        "versions": text_history(purpose, language),
    }
    return render(request, "privacy/text_list.html", context)
