"""What every reader hands on: the sheets of a file and their non-blank rows."""

import datetime
import functools
from abc import ABC, abstractmethod
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from .errors import EMPTY, TooManyRows, UnreadableFile

# How far into each sheet to look for data when choosing the default sheet: title rows and
# notes above a header are a handful, and a single-column sheet must not be read to the end.
LOOK_AHEAD_ROWS = 50

type Cell = str | int | float | bool | datetime.datetime | datetime.date | datetime.time | None


class Row(NamedTuple):
    """One non-blank row: its 1-based row number in the sheet, as the recruiter sees it in
    Excel (or the line a CSV record starts on), and its cells."""

    number: int
    cells: list[Cell]


class Table(ABC):
    """An opened upload: one or more named sheets, each read row by row on demand.

    `rows()` may be called again (preview first, import later); each call reads the sheet
    afresh, so nothing but the current row needs to stay in memory for CSV files.
    """

    sheets: list[str]
    # The text encoding it is read in; none for a workbook.
    encoding = ""

    def __init__(self, sheets: list[str], *, max_rows: int) -> None:
        self.sheets = sheets
        self.max_rows = max_rows

    @functools.cached_property
    def default_sheet(self) -> str:
        """The sheet the data is on; raises UnreadableFile if every sheet is blank. Chosen
        when asked for: reading a sheet named already needs no other sheet looked at."""
        return self._choose_default_sheet()

    def rows(self, sheet: str | None = None) -> Iterator[Row]:
        """The non-blank rows of `sheet` (default: `default_sheet`), header rows included.

        Raises TooManyRows once the sheet turns out to have more than `max_rows` of them,
        and UnreadableFile if the rest of the file cannot be read.
        """
        rows = self._read(sheet if sheet is not None else self.default_sheet)
        for count, row in enumerate(rows, start=1):
            if count > self.max_rows:
                raise TooManyRows(self.max_rows)
            yield row

    @abstractmethod
    def _read(self, sheet: str) -> Iterator[Row]:
        """Every non-blank row of the sheet, without any limit."""

    @abstractmethod
    def last_row(self, sheet: str) -> int:
        """The number of the sheet's last row as `rows()` numbers them (0: none), found
        without reading the rows: how far a reader has to go, for its progress."""

    def _choose_default_sheet(self) -> str:
        # A workbook often opens with a cover page or instructions; the data is on the first
        # sheet with two rows of two filled cells (a header and one record). Failing that,
        # the first sheet with anything in it.
        first_filled: str | None = None
        for sheet in self.sheets:
            table_like = 0
            for row in islice(self._read(sheet), LOOK_AHEAD_ROWS):
                first_filled = first_filled or sheet
                if sum(cell is not None for cell in row.cells) >= 2:
                    table_like += 1
                    if table_like == 2:
                        return sheet
        if first_filled is None:
            raise UnreadableFile(EMPTY)
        return first_filled


def is_blank(cells: list[Cell]) -> bool:
    return all(cell is None for cell in cells)
