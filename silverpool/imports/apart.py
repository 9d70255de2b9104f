"""The reading process of a large file's check (see services/rowstream.py).

A spawned interpreter imports this module, and unpickles the ReadSpec it is given, before
Django is set up: nothing of Silverpool or Django is imported at the top; `produce` sets
Django up and then reads.
"""

import multiprocessing
import os
import queue
from dataclasses import dataclass
from multiprocessing.queues import Queue


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
    language: str


def produce(spec: ReadSpec, results: Queue) -> None:  # type: ignore[type-arg]
    """Put the batches of `spec`'s file on `results`, read through the mapping, every
    other one as its raw rows `(start, rows)`; then None. An exception (an unreadable
    file) goes on it instead. Uses no database."""
    import django

    django.setup()
    from django.utils import translation

    from .services.rowstream import RowStream

    with translation.override(spec.language):
        try:
            stream = RowStream(spec)
            for index, (start, chunk) in enumerate(stream.chunks()):
                # Every other chunk goes unread: the check reads it meanwhile (rows are read
                # one by one; only repeated emails need them in order, which the check
                # judges).
                _put(results, stream.read(start, chunk) if index % 2 == 0 else (start, chunk))
        except Exception as error:  # handed to the writer, which raises it
            _put(results, error)
            return
    _put(results, None)


def _put(results: Queue, item: object) -> None:  # type: ignore[type-arg]
    """Wait for room on the queue while the writer lives. A writer killed (SIGKILL, OOM)
    never reads again: without this its reader would wait forever."""
    writer = multiprocessing.parent_process()
    while True:
        try:
            results.put(item, timeout=1)
            return
        except queue.Full:
            if writer is not None and not writer.is_alive():
                # Not sys.exit: joining the queue's feeder thread would block on the full
                # pipe. Nothing of this process needs cleaning up.
                os._exit(1)
