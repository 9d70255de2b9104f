"""The audit log: who viewed, exported, changed or deleted personal data. Admins only."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...accounts.http import AuthedRequest
from ...talents.models import Talent
from ...talents.services import require_admin
from ..forms.audit import AuditFilterForm
from ..services.audit import audit_csv_lines, filter_audit

PAGE_SIZE = 50


@login_required
@require_GET
def audit_log(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = AuditFilterForm(request.GET)
    entries = filter_audit(form.to_filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Entries outlive their talent: only ids that still exist become links.
    talent_ids = {entry.talent_id for entry in page if entry.talent_id is not None}
    existing = set(Talent.objects.filter(pk__in=talent_ids).values_list("pk", flat=True))
    context = {
        "form": form,
        "page": page,
        "existing_talents": existing,
        "filter_query": query.urlencode(),
    }
    return render(request, "privacy/audit_list.html", context)


@login_required
@require_GET
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV; no cell can run as a spreadsheet formula."""
    require_admin(request.user)
    entries = filter_audit(AuditFilterForm(request.GET).to_filters())
    response = StreamingHttpResponse(
        audit_csv_lines(entries), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
