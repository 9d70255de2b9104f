"""An import's page, which follows its state: the check running, the preview with the
decisions, the progress of the run, the result. The page may be left and opened again.

While the check or the run goes on, a fragment of the page polls every second (htmx);
once the state has moved on, the poll answers with a redirect to the page, which then
shows the next step in full.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ...accounts.http import AuthedRequest
from ...talents.models import CustomField
from ...talents.templatetags.talent_tags import custom_value_text, display_value, field_label
from ...talents.validation import EDITABLE_FIELDS
from .. import services
from ..access import get_job_for
from ..forms.decisions import DecisionsForm
from ..models import ImportJob

TEMPLATE = "imports/import_detail.html"
State = ImportJob.State
# Fragments that poll, and the states in which they still have something to show.
POLLING = {
    "checking": {State.CHECKING},
    "progress": {State.QUEUED, State.RUNNING},
    "undoing": {State.UNDOING},
}
FINISHED = {State.DONE, State.CANCELLED, State.FAILED, State.UNDONE}
# Shown in the salary column, or in a column per custom field.
FOLDED = ("salary_currency", "salary_period", "custom_values")
# What a preview cell shows of its text: so many characters of so many lines. A note has a
# line per thing the file said beside the fields (a title, another address, a remark).
PREVIEW_LINE_CHARS = 80
PREVIEW_LINES = 4
# The tag names a sentence of the page lists; of more, how many there are.
LISTED_TAGS = 20


@dataclass(frozen=True)
class PreviewTable:
    """The first rows as they will be imported: a column per field any of them fills."""

    headers: list[str]
    rows: list[dict[str, Any]]


def preview_table(first: list[dict[str, Any]]) -> PreviewTable:
    filled = {name for row in first for name, value in row["fields"].items() if value}
    names = [name for name in EDITABLE_FIELDS if name in filled and name not in FOLDED]
    custom = {field.key: field for field in CustomField.objects.all()}
    custom_keys = sorted(
        {key for row in first for key in row["fields"].get("custom_values", {})} & custom.keys()
    )
    headers = [
        capfirst(_("Salary expectation") if name == "salary_amount" else field_label(name))
        for name in names
    ]
    headers += [custom[key].label for key in custom_keys]
    with_tags = any(row.get("tags") for row in first)
    if with_tags:
        headers.append(_("Tags"))
    with_note = any(row["note"] for row in first)
    if with_note:
        headers.append(_("Note"))
    rows = []
    for row in first:
        fields = row["fields"]
        cells = [_cell(name, fields) for name in names]
        values = fields.get("custom_values", {})
        cells += [custom_value_text(custom[key], values.get(key)) for key in custom_keys]
        if with_tags:
            cells.append(", ".join(row.get("tags", [])))
        if with_note:
            cells.append(row["note"])
        shown = [_shortened(cell) for cell in cells]
        rows.append({"number": row["row"], "exists": row["exists"], "cells": shown})
    return PreviewTable(headers, rows)


def _listed(names: list[str]) -> str:
    """Names for a sentence: "Java, Senior" or "A, B, … (45 in all)"."""
    if len(names) <= LISTED_TAGS:
        return ", ".join(names)
    shown = ", ".join(names[:LISTED_TAGS])
    return _("%(names)s, … (%(n)s in all)") % {"names": shown, "n": len(names)}


def _shortened(text: str) -> str:
    lines = text.splitlines()
    shown = [Truncator(line).chars(PREVIEW_LINE_CHARS) for line in lines[:PREVIEW_LINES]]
    if len(lines) > PREVIEW_LINES:
        shown.append("…")
    return "\n".join(shown)


def _cell(name: str, fields: dict[str, Any]) -> str:
    if name != "salary_amount":
        return display_value(name, fields.get(name))
    amount = display_value(name, fields.get(name))
    if not amount:
        return ""  # a currency and period alone, as an export writes them, say nothing
    period = display_value("salary_period", fields.get("salary_period"))
    text = f"{amount} {fields.get('salary_currency', '')}".strip()
    return f"{text} · {period}" if period else text


@dataclass(frozen=True)
class Progress:
    done: int
    total: int  # 0: not known
    rate: float  # rows per second since it started
    time_left: str


def _progress(done: int, total: int, seconds: float) -> Progress:
    rate = done / seconds if seconds > 0 else 0.0
    time_left = ""
    if rate > 0 and total:
        left = (total - done) / rate
        if left < 60:
            time_left = _("less than a minute")
        else:
            time_left = timeuntil(timezone.now() + datetime.timedelta(seconds=left))
    return Progress(done, total, rate, time_left)


def progress_of(job: ImportJob) -> Progress:
    """The run's."""
    seconds = (timezone.now() - job.started_at).total_seconds() if job.started_at else 0.0
    return _progress(job.cursor, job.total_rows, seconds)


def check_progress(job: ImportJob) -> Progress | None:
    """The check's, once it has reported; its total is an estimate (check_report)."""
    report = services.check_report(job)
    return None if report is None else _progress(*report)


def _context(job: ImportJob, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"job": job, "State": State, "Consent": ImportJob.Consent, **extra}
    if job.state in POLLING["progress"]:
        context["progress"] = progress_of(job)
    elif job.state == State.CHECKING:
        context["checked"] = check_progress(job)
    elif job.state == State.READY:
        context["table"] = preview_table(job.preview.get("first", []))
        problems = job.preview.get("problems", [])
        shown_total = job.preview.get("invalid", 0) + job.preview.get("repeated", 0)
        context["more_problems"] = max(0, shown_total - len(problems))
        context["file_tags"] = _listed(job.preview.get("tags", []))
        context["new_file_tags"] = _listed(job.preview.get("new_tags", []))
    elif job.state in FINISHED:
        context["can_undo"] = services.can_undo(job)
        context["has_rejected_rows"] = job.rejected_rows.exists()
        context["listed_url"] = reverse("talents:talent-list") + f"?import_job={job.pk}"
        context["created_tags"] = _listed([tag.name for tag in job.created_tags.all()])
    return context


@login_required
@require_GET
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    fragment = request.GET.get("fragment", "")
    if request.htmx and fragment in POLLING:
        if job.state in POLLING[fragment]:
            return render(request, f"{TEMPLATE}#{fragment}", _context(job))
        return HttpResponseClientRedirect(reverse("imports:import-detail", args=[job.pk]))
    if job.state == State.MAPPING and "error" not in job.preview:
        return redirect("imports:import-mapping", pk=job.pk)
    extra = {"form": DecisionsForm(job=job, user=request.user)} if job.state == State.READY else {}
    return render(request, TEMPLATE, _context(job, **extra))


@login_required
@require_POST
def import_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the decisions and start the import."""
    job = get_job_for(request.user, pk)
    if job.state == State.READY:
        form = DecisionsForm(request.POST, job=job, user=request.user)
        if not form.is_valid():
            return render(request, TEMPLATE, _context(job, form=form), status=422)
        if services.start_import(job, decide=form.save_decisions):
            return redirect("imports:import-detail", pk=job.pk)
        job.refresh_from_db()
    if job.state not in services.MAPPABLE:
        # A second click, or another tab: the page shows where it is, and this says that
        # what was chosen here did not count.
        messages.info(
            request,
            _(
                "This import had been started already, with the choices made then; it goes "
                "on with those."
            ),
        )
    return redirect("imports:import-detail", pk=job.pk)


@login_required
@require_POST
def import_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete an upload that has not been imported, with its file."""
    job = get_job_for(request.user, pk)
    if services.discard_job(job):
        messages.info(
            request,
            _("“%(file)s” was discarded: the file is deleted, nothing was imported from it.")
            % {"file": job.original_name},
        )
        return redirect("imports:import-upload")
    messages.info(
        request,
        _("This import has started, so it cannot be discarded; once it ends it can be undone."),
    )
    return redirect("imports:import-detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    if job.state in POLLING["progress"]:
        services.cancel_import(job)
        if job.started_at is None:
            messages.info(request, _("The import was cancelled before it started."))
        else:
            messages.info(
                request,
                _(
                    "The import stops; the batch it is writing is not saved, and what it saved "
                    "before can be undone."
                ),
            )
    return redirect("imports:import-detail", pk=job.pk)
