"""The talent list as a spreadsheet (xlsx or csv) with the columns a user picks.

Rows are read in chunks and written as they come, so an export of 100,000 talents holds
one chunk in memory, not the list. Text that a spreadsheet would run as a formula is
neutralised in both formats (sheets.text_cell); each export is one entry in the privacy
audit log.
"""

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from ..accounts.models import User
from ..privacy.models import AuditEntry
from ..privacy.services import audit
from ..privacy.services.audit import neutralise
from ..talents.models import CustomField, Talent
from ..talents.validation import format_phone
from .sheets import text_cell, write_header

Cell = str | int | float | Decimal | datetime.date | None
CHUNK_SIZE = 1000
CUSTOM_PREFIX = "custom:"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (xlsx)")
    CSV = "csv", _("CSV, separated by commas")
    CSV_SEMICOLON = "csv_semicolon", _("CSV, separated by semicolons (Excel in German)")


@dataclass(frozen=True)
class Column:
    """One exportable column: its key (in forms and the audit log), its header in the
    active language and how to read its cell from a talent loaded by `with_list_relations`."""

    key: str
    label: str | Promise
    value: Callable[[Talent], Cell]
    default: bool = True
    width: float = 16  # in an xlsx, in characters


def _joined(items: Iterable[Any]) -> str:
    return ", ".join(str(item) for item in items)


def _local(moment: datetime.datetime) -> datetime.datetime:
    # Spreadsheets know no time zones: the user's local time, as the list shows it.
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _source(talent: Talent) -> str:
    kind = talent.get_source_kind_display()
    return f"{kind} · {talent.source_label}" if talent.source_label else kind


def _legal_basis(talent: Talent) -> str:
    basis = getattr(talent, "legal_basis", None)
    return basis.get_state_display() if basis is not None else ""


BUILTIN_COLUMNS = (
    Column("name", _("Name"), lambda t: t.full_name, width=24),
    Column("first_name", _("First name"), lambda t: t.first_name, default=False),
    Column("last_name", _("Last name"), lambda t: t.last_name, default=False),
    Column("email", _("Email"), lambda t: t.email, width=30),
    Column("phone", _("Phone"), lambda t: format_phone(t.phone), width=18),
    Column("postcode", _("Postcode"), lambda t: t.postcode, default=False, width=10),
    Column("city", _("City"), lambda t: t.city),
    Column("country", _("Country"), lambda t: str(t.country.name) if t.country else ""),
    Column("job_title", _("Job title"), lambda t: t.job_title, width=24),
    Column("skills", _("Skills"), lambda t: _joined(t.skills), width=40),
    Column("linkedin_url", _("LinkedIn"), lambda t: t.linkedin_url, default=False, width=36),
    # Separated by spaces, as the import reads them.
    Column("profile_urls", _("Other profiles"), lambda t: " ".join(t.profile_urls), default=False),
    Column("salary_amount", _("Salary expectation"), lambda t: t.salary_amount, default=False),
    Column("salary_currency", _("Currency"), lambda t: t.salary_currency, default=False),
    Column(
        "salary_period",
        _("Salary period"),
        lambda t: t.get_salary_period_display(),
        default=False,
    ),
    Column("status", _("Status"), lambda t: t.status.name),
    Column("owner", _("Owner"), lambda t: str(t.owner) if t.owner else ""),
    # visible_pools holds only the pools the exporting user may see (with_list_relations).
    Column("pools", _("Pools"), lambda t: _joined(t.visible_pools), width=24),  # type: ignore[attr-defined]
    Column("tags", _("Tags"), lambda t: _joined(t.visible_tags), width=24),  # type: ignore[attr-defined]
    Column("legal_basis", _("Legal basis"), _legal_basis),
    Column("available_from", _("Available from"), lambda t: t.available_from),
    Column("source", _("Source"), _source, default=False, width=30),
    Column("created", _("Created"), lambda t: _local(t.created_at), width=19),
    Column("updated", _("Updated"), lambda t: _local(t.updated_at), width=19),
)


def _custom_column(field: CustomField) -> Column:
    def value(talent: Talent) -> Cell:
        raw = talent.custom_values.get(field.key)
        if raw in (None, ""):
            return None
        try:
            if field.kind == CustomField.Kind.DATE:
                return datetime.date.fromisoformat(raw)
            if field.kind == CustomField.Kind.NUMBER:
                return float(raw)
        except (TypeError, ValueError):
            pass  # a value from before the field's kind changed: export it as text
        return str(raw)

    return Column(CUSTOM_PREFIX + field.key, field.label, value)


def export_columns() -> list[Column]:
    """Every column a user may pick, custom fields last, headers in the active language."""
    return [*BUILTIN_COLUMNS, *(_custom_column(f) for f in CustomField.objects.all())]


def _rows(talents: QuerySet[Talent], columns: Sequence[Column]) -> Iterator[list[Cell]]:
    # iterator() with a chunk size still runs the prefetches, once per chunk.
    for talent in talents.iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(talent) for column in columns]


_THOUSANDS_LOOKALIKE = re.compile(r"-?\d{1,3}[.,]\d{3}")


def _csv_text(value: Cell, decimal: str) -> str:
    """A cell as CSV text; numbers with `decimal` as the decimal mark (a comma for German
    Excel, which reads 1.5 as the 1st of May and 65000.00 as text)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # 1200000.0 as "1200000", not "1.2e+06" (what :g gives) or "1200000.0".
        text = (str(int(value)) if value.is_integer() else repr(value)).replace(".", decimal)
        # 1.125 (or 1,125) reads as 1125 in one language or the other, and to the import;
        # 1.1250 is 1.125 to all.
        return text + "0" if _THOUSANDS_LOOKALIKE.fullmatch(text) else text
    if isinstance(value, Decimal):
        return str(value).replace(".", decimal)
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


class _Echo:
    """A file that hands back what is written to it, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    talents: QuerySet[Talent], columns: Sequence[Column], *, delimiter: str = ","
) -> Iterator[str]:
    """The export as CSV text, line by line. It starts with a byte order mark: without one
    Excel reads UTF-8 as Windows-1252 and garbles every umlaut."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    # Semicolons are what German Excel writes and reads; it wants decimal commas with them.
    decimal = "," if delimiter == ";" else "."
    yield "\ufeff" + writer.writerow([neutralise(str(column.label)) for column in columns])
    for row in _rows(talents, columns):
        yield writer.writerow([_csv_text(cell, decimal) for cell in row])


def write_xlsx(talents: QuerySet[Talent], columns: Sequence[Column], out: IO[bytes]) -> None:
    """Write the export as an xlsx workbook to `out`. Write-only mode streams rows to a
    temporary file instead of keeping a cell object per value; dates stay real dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Talents")))
    labels = [str(column.label) for column in columns]
    widths = [
        max(column.width, len(label) + 4) for column, label in zip(columns, labels, strict=True)
    ]
    write_header(sheet, labels, widths)
    for row in _rows(talents, columns):
        sheet.append([text_cell(sheet, cell) for cell in row])
    workbook.save(out)


def record_talent_export(
    actor: User,
    *,
    fmt: ExportFormat,
    columns: Sequence[Column],
    count: int,
    filter_keys: Sequence[str],
    selection: bool = False,
) -> AuditEntry:
    """One audit entry for the whole export. It names the filters used but not their
    values: a search for a person's name is personal data, and the log must hold none.
    An export of rows ticked on the list says it was a selection instead (the filters did
    not choose the talents); the count says enough, the ids are not kept."""
    chosen_by = {"selection": True} if selection else {"filters": sorted(filter_keys)}
    return audit(
        actor=actor,
        action=AuditEntry.Action.EXPORTED,
        what="talent_list",
        format=str(fmt),
        columns=[column.key for column in columns],
        count=count,
        **chosen_by,
    )
