"""After an import: the report of the rows it did not take, and undoing it."""

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ...accounts.http import AuthedRequest
from .. import services
from ..access import get_job_for
from ..models import ImportJob
from .xlsx import xlsx_download


@login_required
@require_GET
def import_rejected(request: AuthedRequest, pk: int) -> HttpResponse | FileResponse:
    """The rejected rows as xlsx: row, column, reason, then the file's own columns."""
    job = get_job_for(request.user, pk)
    if not job.rejected_rows.exists():
        return redirect("imports:import-detail", pk=job.pk)
    name = _("%(file)s - not imported") % {"file": PurePath(job.original_name).stem}
    return xlsx_download(
        lambda out: services.write_rejected_rows(job, out, user=request.user), f"{name}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST undoes the import (its uploader or an admin)."""
    job = get_job_for(request.user, pk)
    if not services.can_undo(job):
        return redirect("imports:import-detail", pk=job.pk)
    if request.method == "GET":
        context = {
            "job": job,
            "Consent": ImportJob.Consent,
            "keeps_recorded_consent": services.keeps_recorded_consent(job),
            "created_tags": list(job.created_tags.all()),
        }
        return render(request, "imports/import_undo.html", context)
    services.request_undo(job, actor=request.user)
    return redirect("imports:import-detail", pk=job.pk)
