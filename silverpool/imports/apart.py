"""The reading process of a large file: for its check (see services/rowstream.py) it opens
the workbook and hands its raw rows over, in chunks, which the check reads through the
mapping; for the upload and the mapping page (services/upload.py) it hands over the
sheets and the first rows (`glance`).

It runs without Django set up (no apps, no database): what it imports is the reading
package, whose messages stay lazy until the check's process renders them, and the phone
number rule (talents/phones.py). So it holds little more than the workbook, which calamine
keeps whole, and gives that back when it ends. A spawned interpreter imports this module,
and unpickles the ReadSpec it is given, first: nothing of Django's app registry may be
needed at the top.

Once it has parsed the workbook it would wait for the check, so it reads the phone
numbers too, the slowest cell of a row (a third of the check's time): each chunk comes
with the number of each row in E.164 where the cells are plain text, or why it was
refused, together with the country it was read for. The check takes it only if it reads
the row's country the same; any other number it reads itself (rows.py).
"""

import multiprocessing
import os
import queue
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import batched, islice
from multiprocessing.queues import Queue
from pathlib import Path

from ..talents import phones
from .countries import country_code
from .reading import Cell, Row, UnreadableFile, open_table
from .reading.errors import NOT_OPENED

# A row's phone number read here: the country it was read for and the number in E.164, or
# why it was refused.
type PhoneHint = tuple[str, str | phones.Refused] | None


@dataclass(frozen=True)
class ReadSpec:
    """Everything reading a job's rows needs, in plain values, so that another process can
    read them without the database (rowstream.spec_of makes it from a job)."""

    path: str
    filename: str
    sheet: str
    encoding: str
    header_row: int
    headers: list[str]
    mapping: list[list[str]]
    default_country: str
    source_label: str
    custom_fields: list[dict[str, object]]
    max_rows: int
    max_memory_mb: int
    chunk_rows: int
    # The columns of the phone number and the country, and the countries by their names
    # as values.parse_country knows them (countries.country_keys), for reading phone numbers
    # here.
    phone_column: int | None
    country_column: int | None
    country_names: dict[str, str]


@dataclass(frozen=True)
class Glance:
    """What the mapping page needs of a file: its sheets, the sheet looked at, the first
    rows of that sheet, the number of its last row (see Table.last_row) and the text
    encoding it was read in (none for a workbook)."""

    sheets: list[str]
    sheet: str
    rows: list[Row]
    last_row: int
    encoding: str


def limit_memory(megabytes: int) -> None:
    """Bound this reading process's memory: a workbook that needs more (calamine loads a
    sheet whole) ends it, and the user is told the file could not be opened, instead of
    the machine running out of memory. Killed so, it leaves no core file."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def glance(
    path: str, filename: str, sheet: str | None, encoding: str, *, max_rows: int, first: int
) -> Glance:
    """The file's sheets and the first `first` rows of `sheet` (None: the sheet the data is
    on), a text file read in `encoding` (empty: the one detected). UnreadableFile if the
    file or the sheet cannot be read."""
    try:
        table = open_table(Path(path), filename=filename, max_rows=max_rows, encoding=encoding)
        chosen = table.default_sheet if sheet is None else sheet
        rows = list(islice(table.rows(chosen), first))
        return Glance(table.sheets, chosen, rows, table.last_row(chosen), table.encoding)
    except MemoryError as error:
        raise UnreadableFile(NOT_OPENED) from error


def chunks(spec: ReadSpec) -> Iterator[tuple[int, tuple[Row, ...]]]:
    """The data rows of the sheet, `chunk_rows` at a time, each chunk with the number of
    data rows before it. UnreadableFile (too many rows, damaged further in) is raised
    here."""
    table = open_table(
        Path(spec.path), filename=spec.filename, max_rows=spec.max_rows, encoding=spec.encoding
    )
    rows = (row for row in table.rows(spec.sheet) if row.number > spec.header_row)
    start = 0
    for chunk in batched(rows, spec.chunk_rows):
        yield start, chunk
        start += len(chunk)


def produce(spec: ReadSpec, results: Queue) -> None:  # type: ignore[type-arg]
    """Put the chunks of `spec`'s file on `results`, each with its rows' phone hints, then
    None; an exception (an unreadable file) goes on it instead."""
    limit_memory(spec.max_memory_mb)
    try:
        for start, rows in chunks(spec):
            _put(results, (start, rows, phone_hints(spec, rows)))
    except MemoryError:
        _put(results, UnreadableFile(NOT_OPENED))
        return
    except Exception as error:  # handed to the check, which raises it
        _put(results, error)
        return
    _put(results, None)


def phone_hints(spec: ReadSpec, rows: tuple[Row, ...]) -> list[PhoneHint] | None:
    """Each row's phone number in E.164, or why it was refused, and the country it was
    read for, where the phone and the country cell are plain text; None for a row whose
    number the check reads itself (a number typed as a number, text to be cleaned
    first)."""
    if spec.phone_column is None:
        return None
    return [_phone_hint(spec, row.cells) for row in rows]


def _phone_hint(spec: ReadSpec, cells: list[Cell]) -> PhoneHint:
    phone = _plain(cells, spec.phone_column)
    if not phone:
        return None
    country = _plain(cells, spec.country_column)
    region = country_code(country, spec.country_names) if country else spec.default_country
    if region is None:
        return None
    return (region, phones.e164(phone, region))


def _plain(cells: list[Cell], index: int | None) -> str:
    """The cell as values.clean_text reads it, if it is plain text (ASCII, not quoted),
    which clean_text only trims; "" otherwise."""
    cell = cells[index] if index is not None and index < len(cells) else None
    if not isinstance(cell, str) or not cell.isascii():
        return ""
    text = cell.strip()
    return "" if text.startswith("'") else text


def _put(results: Queue, item: object) -> None:  # type: ignore[type-arg]
    """Wait for room on the queue while the check lives. A check killed (SIGKILL, OOM)
    never reads again: without this its reader would wait forever."""
    checking = multiprocessing.parent_process()
    while True:
        try:
            results.put(item, timeout=1)
            return
        except queue.Full:
            if checking is not None and not checking.is_alive():
                # Not sys.exit: joining the queue's feeder thread would block on the full
                # pipe. Nothing of this process needs cleaning up.
                os._exit(1)
