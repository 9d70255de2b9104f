"""An upload becomes an import job: the file is kept under a server-made name, opened
once to refuse what cannot be read, and its columns get a suggested mapping."""

import functools
import hashlib
import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ...accounts.models import User
from ...talents.models import CustomField
from .. import apart
from ..access import jobs_visible_to
from ..apart import Glance
from ..headers import (
    Target,
    TargetField,
    filled,
    find_header_row,
    normalize_header,
    suggest_mapping,
)
from ..models import ImportJob, SavedMapping
from ..reading import Row, UnreadableFile, is_workbook
from ..reading.errors import NOT_OPENED
from ..values import clean_text, note_text

logger = logging.getLogger(__name__)

# Rows read to find the header; the first data rows among them are the mapping page's
# examples.
SAMPLE_ROWS = 30
EXAMPLE_ROWS = 5


def create_job(upload: UploadedFile[bytes], *, user: User) -> ImportJob:
    """Keep the upload and suggest how to read it; raises UnreadableFile (and keeps
    nothing) when it is not a spreadsheet Silverpool can read."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    job = ImportJob(
        uploaded_by=user,
        original_name=(upload.name or "upload")[:255],
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )
    job.file.save("upload", upload, save=False)
    try:
        glance = glance_at(job)
        job.sheets = glance.sheets
        choose_sheet(job, glance)
    except UnreadableFile:
        job.file.delete(save=False)
        raise
    job.save()
    return job


def glance_at(job: ImportJob, sheet: str | None = None) -> Glance:
    """The job's file's sheets and the first rows of `sheet` (None: the sheet the data is
    on), a text file read in the job's encoding (empty: detected); UnreadableFile says why
    they cannot be read. A workbook is opened in a process of its own, with a memory limit
    (see reading.is_workbook): the upload and the mapping page run in a web process, which
    would keep the memory of a sheet loaded whole (about 140 MB for 100,000 rows), or run
    out of it. Starting that process takes about half a second."""
    read = functools.partial(
        apart.glance,
        job.file.path,
        job.original_name,
        sheet,
        job.encoding,
        max_rows=settings.IMPORT_MAX_ROWS,
        first=SAMPLE_ROWS,
    )
    if not is_workbook(Path(job.file.path)):
        return read()
    # spawn, not fork: a web process may run threads and holds a database connection.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1,
        mp_context=context,
        initializer=apart.limit_memory,
        initargs=(settings.IMPORT_READER_MAX_MB,),
    ) as reader:
        try:
            return reader.submit(read).result()
        except BrokenProcessPool as error:
            # Killed, most likely for the memory the workbook took (see rowstream).
            logger.warning("the reading process of %s ended: %s", job.file.name, error)
            raise UnreadableFile(NOT_OPENED) from error


def choose_sheet(job: ImportJob, glance: Glance) -> None:
    """Read the header row of the sheet glanced at and suggest a mapping: a saved mapping
    whose headers are all in this file wins; otherwise the suggestions from the headers.
    Not saved."""
    sample = glance.rows
    job.sheet = glance.sheet
    job.encoding = glance.encoding
    job.last_row = glance.last_row
    job.header_row = find_header_row(sample)
    header_cells = next(cells for number, cells in sample if number == job.header_row)
    width = max(len(cells) for _number, cells in sample)
    job.headers = [clean_text(cell) for cell in header_cells] + [""] * (width - len(header_cells))
    job.sample = _examples(sample, job.header_row)
    saved = saved_mapping_for(job.headers)
    if saved is not None:
        apply_saved_mapping(job, saved)
    else:
        targets = suggest_mapping(job.headers, list(CustomField.objects.all()))
        job.mapping = [[target.field, target.custom_key] for target in targets]


def apply_saved_mapping(job: ImportJob, saved: SavedMapping) -> None:
    """Map the job's columns as `saved` says; a column it does not know gets the suggestion
    from its header, unless that goes into a field the saved mapping fills already."""
    known = [saved.columns.get(normalize_header(header)) for header in job.headers]
    taken = {each for pair in known if pair is not None for each in filled(_target(pair))}
    suggested = suggest_mapping(job.headers, list(CustomField.objects.all()))
    mapping = []
    for pair, target in zip(known, suggested, strict=True):
        if pair is None:
            pair = [target.field, target.custom_key]
            if filled(target) & taken:
                pair = [TargetField.IGNORE, ""]
            taken |= filled(_target(pair))
        mapping.append(pair)
    job.mapping = mapping
    job.default_country = saved.default_country


def saved_mapping_in_use(job: ImportJob) -> SavedMapping | None:
    """The saved mapping that knows every column of the job's file and maps them as they
    are mapped now (suggested at the upload, or chosen), if one does: the page names it."""
    for saved in _knowing_every_header(job.headers):
        if saved.default_country == job.default_country and job.mapping == [
            saved.columns.get(normalize_header(header), [TargetField.IGNORE, ""])
            for header in job.headers
        ]:
            return saved
    return None


# The states of an import that wrote talents or is about to, and was not undone.
WRITTEN = (
    ImportJob.State.QUEUED,
    ImportJob.State.RUNNING,
    ImportJob.State.DONE,
    ImportJob.State.CANCELLED,
)


def imported_before(job: ImportJob, user: User) -> ImportJob | None:
    """The latest other import of the same file (by its content) that `user` may see and
    that wrote its talents: uploading a file again is often a mistake, which the mapping
    page points out."""
    same = jobs_visible_to(user).filter(sha256=job.sha256, state__in=WRITTEN).exclude(pk=job.pk)
    return same.order_by("-created_at", "-pk").first()


# Until the import starts, the mapping may change; a changed mapping is checked again.
MAPPABLE = (ImportJob.State.MAPPING, ImportJob.State.CHECKING, ImportJob.State.READY)


def save_suggestion(job: ImportJob, *, state: str = ImportJob.State.MAPPING) -> bool:
    """Save the job's sheet, header and mapping (as choose_sheet or apply_saved_mapping
    or the mapping page left them); an earlier check no longer applies. False, and nothing
    saved, once the import has started."""
    saved = ImportJob.objects.filter(pk=job.pk, state__in=MAPPABLE).update(
        sheet=job.sheet,
        encoding=job.encoding,
        last_row=job.last_row,
        header_row=job.header_row,
        headers=job.headers,
        mapping=job.mapping,
        sample=job.sample,
        default_country=job.default_country,
        state=state,
        preview={},
        total_rows=0,
    )
    if saved:
        job.state, job.preview, job.total_rows = state, {}, 0
    return bool(saved)


def _examples(sample: Sequence[Row], header_row: int) -> list[list[str]]:
    """The first data rows as the mapping page shows them: an Excel date as the uploader
    reads dates ("1. April 2027"), as the note and the preview show it."""
    below = (cells for number, cells in sample if number > header_row)
    return [[note_text(cell) for cell in cells] for cells in islice(below, EXAMPLE_ROWS)]


def keep_sheets_and_examples(job: ImportJob) -> None:
    """For a job uploaded before the sheets and examples were kept with it: read them."""
    glance = glance_at(job, job.sheet)
    job.sheets, job.last_row = glance.sheets, glance.last_row
    job.sample = _examples(glance.rows, job.header_row)
    ImportJob.objects.filter(pk=job.pk).update(
        sheets=job.sheets, sample=job.sample, last_row=job.last_row
    )


def targets_of(job: ImportJob) -> list[Target]:
    return [_target(pair) for pair in job.mapping]


def _target(pair: Sequence[str]) -> Target:
    """A column's target as a mapping keeps it: [field, custom field's key]."""
    field, key = pair
    return Target(TargetField(field), key)


@dataclass(frozen=True)
class MappingProblem(Exception):
    message: str
    columns: tuple[int, ...] = ()  # the columns it is about, by index


def check_mapping(targets: Sequence[Target], headers: Sequence[str]) -> None:
    """Refuse a mapping of the columns with `headers` the import cannot work with;
    MappingProblem says why."""
    fields = [t.field for t in targets]
    if TargetField.EMAIL not in fields:
        raise MappingProblem(
            _(
                "No column goes into “email”. Silverpool recognises talents by their email "
                "address: choose the column that holds it, or add one to the file."
            )
        )
    if not {TargetField.FIRST_NAME, TargetField.FULL_NAME} & set(fields):
        raise MappingProblem(_("No column goes into “first name” or “full name”."))
    seen: dict[Target, int] = {}
    for index, target in enumerate(targets):
        for each in filled(target):
            if each in seen:
                raise MappingProblem(
                    _("Two columns go into “%(field)s”: %(first)s and %(second)s.")
                    % {
                        "field": each.custom_key or TargetField(each.field).label,
                        "first": _column_name(seen[each], headers),
                        "second": _column_name(index, headers),
                    },
                    (seen[each], index),
                )
            seen[each] = index


def _column_name(index: int, headers: Sequence[str]) -> str:
    """A column as the mapping page and a spreadsheet name it: “Ort” (column E)."""
    header = headers[index] if index < len(headers) else ""
    letter = get_column_letter(index + 1)
    if not header:
        return _("column %(letter)s") % {"letter": letter}
    return _("“%(header)s” (column %(letter)s)") % {"header": header, "letter": letter}


@transaction.atomic
def save_mapping(job: ImportJob, name: str, *, user: User) -> SavedMapping:
    """Keep this job's mapping for the next file with the same headers (same name: replaced)."""
    columns = {
        normalize_header(header): pair
        for header, pair in zip(job.headers, job.mapping, strict=False)
        if header
    }
    saved, _created = SavedMapping.objects.update_or_create(
        name=name,
        defaults={"columns": columns, "default_country": job.default_country, "created_by": user},
    )
    return saved


def saved_mapping_for(headers: Sequence[str]) -> SavedMapping | None:
    """The newest saved mapping that knows every non-empty header of the file."""
    return next(_knowing_every_header(headers), None)


def _knowing_every_header(headers: Sequence[str]) -> Iterator[SavedMapping]:
    """The saved mappings that know every non-empty header of a file, newest first."""
    wanted = {normalize_header(header) for header in headers if header}
    for saved in SavedMapping.objects.order_by("-created_at"):
        if wanted and wanted <= saved.columns.keys():
            yield saved
