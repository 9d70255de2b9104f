"""The talent list export page and its download. Recruiters and admins only, as for a
single talent's data export: viewers may read talents but not take them out."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ...accounts.http import AuthedRequest
from ...talents import services as talents
from ...talents.search import count_talents
from .. import export
from ..export import ExportFormat
from ..forms.export import ExportForm, ExportSelectionForm
from .xlsx import xlsx_download


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def talent_export(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """GET shows the choices for the list's current filters or the rows ticked on it (in
    the query string); POST downloads the file."""
    talents.require_editor(request.user)
    selection = ExportSelectionForm(request.GET, user=request.user)
    if not selection.is_valid():
        # Only a hand-made URL gets here; the filtered list instead would be more than chosen.
        raise BadRequest("invalid selection")
    matching = selection.talents()
    filter_form = selection.filters
    form = ExportForm(request.POST or None, available=export.export_columns())
    if not form.is_valid():
        context = {
            "form": form,
            "total": count_talents(matching),
            "selected": bool(selection.selected_ids),
            "filters": filter_form.described(),
            "filter_query": filter_form.query_string(),
            "export_query": selection.query_string(),
        }
        return render(request, "imports/export_form.html", context)
    columns, fmt = form.chosen_columns(), form.chosen_format()
    export.record_talent_export(
        request.user,
        fmt=fmt,
        columns=columns,
        count=matching.count(),
        filter_keys=[name for name in filter_form.fields if filter_form.data.get(name)],
        selection=bool(selection.selected_ids),
    )
    rows = talents.with_list_relations(matching, request.user)
    filename = _("talents-%(date)s") % {"date": timezone.localdate().isoformat()}
    if fmt == ExportFormat.XLSX:
        return xlsx_download(lambda out: export.write_xlsx(rows, columns, out), f"{filename}.xlsx")
    delimiter = ";" if fmt == ExportFormat.CSV_SEMICOLON else ","
    response = StreamingHttpResponse(
        export.csv_lines(rows, columns, delimiter=delimiter),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
