"""Excel and OpenDocument workbooks, read with calamine (Rust: fast, and it expands no XML
entities, so billion-laughs and external-entity parts are inert)."""

import datetime
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError

from .errors import CORRUPT, PASSWORD_PROTECTED, UnreadableFile
from .table import Cell, Row, Table, is_blank


class WorkbookTable(Table):
    """An xlsx, xlsm, ods or xls workbook."""

    def __init__(self, path: Path, *, max_rows: int) -> None:
        try:
            self.workbook = CalamineWorkbook.from_path(path)
        except PasswordError as error:
            raise UnreadableFile(PASSWORD_PROTECTED) from error
        except CalamineError as error:
            raise UnreadableFile(CORRUPT) from error
        self._loaded: tuple[str, CalamineSheet] | None = None
        super().__init__(list(self.workbook.sheet_names), max_rows=max_rows)

    def _sheet(self, name: str) -> CalamineSheet:
        # calamine loads a sheet whole (1.4 s and 140 MB for 100,000 rows): choosing the
        # default sheet and then reading it load it once, not twice.
        if self._loaded is None or self._loaded[0] != name:
            self._loaded = None  # the sheet before goes first
            self._loaded = (name, self.workbook.get_sheet_by_name(name))
        return self._loaded[1]

    def last_row(self, sheet: str) -> int:
        try:
            data = self._sheet(sheet)
        except CalamineError as error:
            raise UnreadableFile(CORRUPT) from error
        return data.start[0] + data.height if data.start else 0

    def _read(self, sheet: str) -> Iterator[Row]:
        try:
            data = self._sheet(sheet)
            # calamine starts at the first used row; the row numbers stay those Excel shows.
            first = data.start[0] + 1 if data.start else 1
            for offset, values in enumerate(data.iter_rows()):
                cells = [cell_value(value) for value in values]
                if not is_blank(cells):
                    yield Row(first + offset, cells)
        except CalamineError as error:
            raise UnreadableFile(CORRUPT) from error


def cell_value(value: object) -> Cell:
    match value:
        case str():
            return value.strip() or None
        # Excel stores every number as a float; 65000.0 is the 65000 the recruiter typed.
        case float() if value.is_integer():
            return int(value)
        case bool() | int() | float() | datetime.date() | datetime.time():
            return value
        case datetime.timedelta():
            # A duration cell ("3:30" formatted as [h]:mm) has no better meaning in an import.
            return str(value)
        case _:
            return None
