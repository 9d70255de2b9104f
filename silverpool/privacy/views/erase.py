"""Erasure on request (Art. 17 GDPR): a recruiter confirms what goes and how the talent
asked; the talent is erased at once and the request recorded as done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ...accounts.http import AuthedRequest
from ...talents.services import get_talent_for
from ..forms.erase import ErasureForm
from ..models import DataSubjectRequest, LegalBasis
from ..services.erasure import (
    DOCUMENTS,
    EMAILS,
    NOTES,
    SUBMISSIONS,
    LegalHoldActive,
    erase_on_request,
    removal_preview,
)


@login_required
@require_http_methods(["GET", "POST"])
def talent_erase(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = get_talent_for(request.user, pk, write=True)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = DataSubjectRequest.Channel(form.cleaned_data["channel"])
        try:
            erase_on_request(talent, actor=request.user, channel=channel)
        except LegalHoldActive:
            pass  # set a moment ago: the page below says so
        else:
            # No name: the talent is gone, and so is anything that says who it was.
            messages.success(request, _("The talent was erased."))
            return redirect("talents:talent-list")
    basis = LegalBasis.objects.filter(talent=talent).first()
    preview = removal_preview(talent)
    context = {
        "talent": talent,
        "form": form,
        "hold": basis if basis and basis.on_legal_hold() else None,
        "documents": preview.count(DOCUMENTS),
        "notes": preview.count(NOTES),
        "emails": preview.count(EMAILS),
        "submissions": preview.count(SUBMISSIONS),
        "merged": len(preview.talent_ids) - 1,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "privacy/erase_confirm.html", context, status=status)
