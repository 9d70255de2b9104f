"""The sheets the imports app writes (the template, the talent export, the report of the
rows not imported): a bold header row that stays in view, columns wide enough to read,
and text that a spreadsheet would run as a formula kept as text."""

from collections.abc import Collection, Sequence
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..privacy.services.audit import neutralise


def write_header(
    sheet: WriteOnlyWorksheet,
    headers: Sequence[str],
    widths: Sequence[float],
    *,
    text_columns: Collection[int] = (),
) -> None:
    """The first row of `sheet`: `headers` in bold, kept in view while scrolling; each
    column `widths` characters wide, those at `text_columns` (0-based) formatted as text.
    A write-only sheet writes its columns with its first row: this comes first."""
    for index, width in enumerate(widths):
        column = sheet.column_dimensions[get_column_letter(index + 1)]
        column.width = width
        if index in text_columns:
            column.number_format = "@"
    sheet.freeze_panes = "A2"
    cells = []
    for header in headers:
        cell = _text(sheet, header)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """`value` for a row of `sheet`: text that a spreadsheet would run as a formula
    (=, +, -, @, ...) as a text cell that says so (see _text); anything else as it is."""
    if isinstance(value, str) and neutralise(value) != value:
        return _text(sheet, value)
    return value


def _text(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    """A text cell of `value`. One that a spreadsheet would run as a formula is marked the
    way Excel marks text typed with a ' in front, which it hides: shown as it is and never
    run, not even once edited. Text that starts with ' already keeps one more, as in a CSV
    export, which the import takes off (values.clean_text)."""
    safe = neutralise(value)
    cell = WriteOnlyCell(sheet, value=safe if value.startswith("'") else value)
    cell.data_type = "s"  # openpyxl would take text starting with = for a formula
    cell.quotePrefix = safe != value
    return cell
