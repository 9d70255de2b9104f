"""The imports page: the upload form, the template to download, and the import history."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ...accounts.http import AuthedRequest
from ...talents.services import require_editor
from .. import services
from ..access import jobs_visible_to
from ..forms.upload import UploadForm
from ..reading import UnreadableFile
from ..template import write_template
from .xlsx import xlsx_download

HISTORY_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    """GET shows the upload form and the history; POST keeps a readable file and goes on
    to its mapping, or shows why it cannot be read (and keeps nothing)."""
    require_editor(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(form.cleaned_data["file"], user=request.user)
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:import-mapping", pk=job.pk)
    jobs = jobs_visible_to(request.user).select_related("uploaded_by")
    page = Paginator(jobs, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [(job, services.can_undo(job)) for job in page],
        "discardable": services.MAPPABLE,
        "show_uploader": request.user.is_admin,
    }
    status = 422 if form.errors else 200
    return render(request, "imports/import_list.html", context, status=status)


@login_required
@require_GET
def import_template(request: AuthedRequest) -> FileResponse:
    """An empty workbook with headers the mapping recognises, in the user's language."""
    require_editor(request.user)
    return xlsx_download(write_template, _("talents-template") + ".xlsx")
