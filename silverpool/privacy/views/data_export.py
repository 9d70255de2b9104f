"""A recruiter's data export of a talent (Art. 15 GDPR): the JSON file and the readable
copy. Recruiters and admins only: viewers may read a profile but not take personal data
out of Silverpool."""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ...accounts.http import AuthedRequest
from ...talents import services as talents
from .. import services
from ..services import ExportFormat

COPY_TEMPLATE = "privacy/data_copy.html"


def json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    """The export as a JSON file the browser saves rather than shows."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_GET
def talent_export(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = talents.get_talent_for(request.user, pk, write=True)
    data = services.export_talent_data(talent, for_talent=False, viewer=request.user)
    services.record_export(talent, what=ExportFormat.JSON, actor=request.user)
    return json_download(data, f"talent-{talent.pk}-{timezone.localdate().isoformat()}.json")


@never_cache
@login_required
@require_GET
def talent_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = talents.get_talent_for(request.user, pk, write=True)
    data = services.export_talent_data(talent, for_talent=False, viewer=request.user)
    services.record_export(talent, what=ExportFormat.HTML, actor=request.user)
    return render(request, COPY_TEMPLATE, {"data": data, "talent": talent, "for_talent": False})
