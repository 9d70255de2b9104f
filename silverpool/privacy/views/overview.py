"""The privacy overview: a hub for recruiters and admins with the figures that need
attention and links to the privacy pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...accounts.http import AuthedRequest
from ...talents.services import require_editor
from ..services import get_policy
from ..services.overview import privacy_counts


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    counts = privacy_counts(request.user, timezone.localdate())
    return render(request, "privacy/overview.html", {"counts": counts, "policy": get_policy()})
