"""Reading an uploaded spreadsheet into rows, safely.

`open_table()` is the way in: it judges the file by its content (never its name), refuses
hostile or unreadable files with an `UnreadableFile` whose message a recruiter can act on,
and returns a `Table` whose `rows()` yields `Row(number, cells)` for each non-blank row.
"""

from pathlib import Path

from .errors import TooManyRows, UnreadableFile
from .guards import Kind, detect_kind, is_workbook
from .table import Cell, Row, Table
from .text import TextTable
from .workbook import WorkbookTable

__all__ = ["Cell", "Row", "Table", "TooManyRows", "UnreadableFile", "is_workbook", "open_table"]


def open_table(path: Path, *, filename: str, max_rows: int, encoding: str = "") -> Table:
    """Open the upload stored at `path`; `filename` is the name it was uploaded under, used
    only to name the sheet of a CSV file, and `encoding` the text encoding a CSV file is
    read in (empty: detected). `rows()` refuses sheets with more than `max_rows` non-blank
    rows."""
    if detect_kind(path) is Kind.TEXT:
        return TextTable(path, filename=filename, max_rows=max_rows, encoding=encoding)
    return WorkbookTable(path, max_rows=max_rows)
