"""The reading process of a large file's check (see services/rowstream.py): it opens the
workbook and hands its raw rows over, in chunks; the check reads them through the mapping.

It runs without Django set up (no apps, no database): what it imports is the reading
package, whose messages stay lazy until the check's process renders them. So it holds
little more than the workbook, which calamine keeps whole, and gives that back when it
ends. A spawned interpreter imports this module, and unpickles the ReadSpec it is given,
first: nothing of Django's app registry may be needed at the top.
"""

import multiprocessing
import os
import queue
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import batched
from multiprocessing.queues import Queue
from pathlib import Path

from .reading import Row, open_table


@dataclass(frozen=True)
class ReadSpec:
    """Everything reading a job's rows needs, in plain values, so that another process can
    read them without the database (rowstream.spec_of makes it from a job)."""

    path: str
    filename: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: list[list[str]]
    default_country: str
    source_label: str
    custom_fields: list[dict[str, object]]
    max_rows: int
    chunk_rows: int


def chunks(spec: ReadSpec) -> Iterator[tuple[int, tuple[Row, ...]]]:
    """The data rows of the sheet, `chunk_rows` at a time, each chunk with the number of
    data rows before it. UnreadableFile (too many rows, damaged further in) is raised
    here."""
    table = open_table(Path(spec.path), filename=spec.filename, max_rows=spec.max_rows)
    rows = (row for row in table.rows(spec.sheet) if row.number > spec.header_row)
    start = 0
    for chunk in batched(rows, spec.chunk_rows):
        yield start, chunk
        start += len(chunk)


def produce(spec: ReadSpec, results: Queue) -> None:  # type: ignore[type-arg]
    """Put the chunks of `spec`'s file on `results`, then None; an exception (an
    unreadable file) goes on it instead."""
    try:
        for chunk in chunks(spec):
            _put(results, chunk)
    except Exception as error:  # handed to the check, which raises it
        _put(results, error)
        return
    _put(results, None)


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
