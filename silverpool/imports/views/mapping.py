"""The mapping page: which sheet (or a CSV file's text encoding), where each column goes,
then the check (preview).

Four small forms post here, told apart by `action`: choosing another sheet or encoding
and applying a saved mapping change the suggestion and come back to the page; the mapping
form itself starts the check and goes on to the preview.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.forms import BoundField, Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from openpyxl.utils import get_column_letter

from ...accounts.http import AuthedRequest
from ...talents.models import CustomField
from .. import services
from ..access import get_job_for
from ..forms.mapping import EncodingForm, MappingForm, SavedMappingForm, SheetForm
from ..models import ImportJob, SavedMapping
from ..reading import UnreadableFile

EXAMPLES = 3


@dataclass(frozen=True)
class Column:
    letter: str
    field: BoundField
    examples: list[str]


def _columns(form: MappingForm, rows: list[list[str]]) -> list[Column]:
    columns = []
    for index, field in enumerate(form.columns()):
        values = (cells[index] for cells in rows if index < len(cells))
        examples = [value for value in values if value][:EXAMPLES]
        columns.append(Column(get_column_letter(index + 1), field, examples))
    return columns


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    if job.state not in services.MAPPABLE:
        return redirect("imports:import-detail", pk=job.pk)
    action = request.POST.get("action", "check") if request.method == "POST" else ""
    custom_fields = list(CustomField.objects.all())
    form = MappingForm(
        request.POST if action == "check" else None, job=job, custom_fields=custom_fields
    )
    # The page needs nothing of the file but to choose another sheet or encoding (calamine
    # loads a sheet whole, seconds and 100s of MB for a large one): see ImportJob.sample.
    if action == "check" and form.is_valid() and (checking := _check(request, job, form)):
        return checking
    if not job.sheets:
        services.keep_sheets_and_examples(job)
    sheet_form = SheetForm(request.POST if action == "sheet" else None, job=job, sheets=job.sheets)
    encoding_form = EncodingForm(request.POST if action == "encoding" else None, job=job)
    saved_form = SavedMappingForm(request.POST if action == "saved" else None)
    if (
        action == "sheet"
        and sheet_form.is_valid()
        and _read_again(job, sheet_form.cleaned_data["sheet"], sheet_form, "sheet")
    ):
        return redirect("imports:import-mapping", pk=job.pk)
    if action == "encoding" and encoding_form.is_valid():
        job.encoding = encoding_form.cleaned_data["encoding"]
        if _read_again(job, job.sheet, encoding_form, "encoding"):
            return redirect("imports:import-mapping", pk=job.pk)
    if action == "saved" and saved_form.is_valid():
        services.apply_saved_mapping(job, saved_form.cleaned_data["saved"])
        services.save_suggestion(job)
        return redirect("imports:import-mapping", pk=job.pk)
    return _page(request, job, form, sheet_form, encoding_form, saved_form)


def _read_again(job: ImportJob, sheet: str, form: Form, field: str) -> bool:
    """Read the headers and first rows of `sheet` again (in the job's encoding), suggest
    their mapping and save it; False, with the reason on `form`'s `field` and the job as it
    was, if the file cannot be read so (an empty notes sheet, one over the row limit, bytes
    the chosen encoding does not have)."""
    try:
        services.choose_sheet(job, services.glance_at(job, sheet))
    except UnreadableFile as error:
        job.refresh_from_db()
        form.add_error(field, str(error))
        return False
    services.save_suggestion(job)
    return True


def _check(request: AuthedRequest, job: ImportJob, form: MappingForm) -> HttpResponse | None:
    """Start the check with the submitted mapping, or None with the problem on the form."""
    targets = form.targets()
    try:
        services.check_mapping(targets, job.headers)
    except services.MappingProblem as problem:
        form.add_error(None, problem.message)
        form.mark_columns(problem.columns, described_by="mapping-problem")
        return None
    job.mapping = [[target.field, target.custom_key] for target in targets]
    job.default_country = form.cleaned_data["default_country"]
    # An import started meanwhile (from another tab) is not put back to checking.
    if services.request_check(job) and (name := form.cleaned_data["save_as"].strip()):
        services.save_mapping(job, name, user=request.user)
    return redirect("imports:import-detail", pk=job.pk)


def _page(
    request: AuthedRequest,
    job: ImportJob,
    form: MappingForm,
    sheet_form: SheetForm,
    encoding_form: EncodingForm,
    saved_form: SavedMappingForm,
) -> HttpResponse:
    in_use = services.saved_mapping_in_use(job)
    if in_use is not None and not saved_form.is_bound:
        saved_form.initial["saved"] = in_use.pk
    context = {
        "job": job,
        "form": form,
        "columns": _columns(form, job.sample),
        "sheet_form": sheet_form if len(job.sheets) > 1 else None,
        "encoding_form": encoding_form if job.encoding else None,
        "saved_form": saved_form if SavedMapping.objects.exists() else None,
        "saved_in_use": in_use,
        "imported_before": services.imported_before(job, request.user),
    }
    refused = form.errors or sheet_form.errors or encoding_form.errors or saved_form.errors
    return render(request, "imports/mapping_form.html", context, status=422 if refused else 200)
