"""The records of processing activities (Art. 30 GDPR) as a page and as downloads in
Markdown and JSON, in German or English. Admins only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ...accounts.http import AuthedRequest
from ...talents.services import require_admin
from ..services.policy import LANGUAGES
from ..services.records import build_records, records_json, records_markdown

FORMATS = {
    "md": ("text/markdown; charset=utf-8", records_markdown),
    "json": ("application/json", records_json),
}


@login_required
@require_GET
def records_page(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    language = get_language() if get_language() in LANGUAGES else "en"
    context = {"records": build_records(language), "languages": LANGUAGES}
    return render(request, "privacy/records_detail.html", context)


@login_required
@require_GET
def records_download(request: AuthedRequest, language: str, fmt: str) -> HttpResponse:
    require_admin(request.user)
    if language not in LANGUAGES or fmt not in FORMATS:
        raise Http404(_("No such download."))
    content_type, render_as = FORMATS[fmt]
    records = build_records(language)
    response = HttpResponse(render_as(records), content_type=content_type)
    name = f"records-of-processing-{language}-{records.generated_on.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
