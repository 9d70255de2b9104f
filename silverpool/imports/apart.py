"""The reading process of a large import (see services/rowstream.py).

A spawned interpreter imports this module, and unpickles the ReadSpec it is given, before
Django is set up: nothing of Silverpool or Django is imported at the top; `produce` sets
Django up and then reads.
"""

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


def produce(spec: ReadSpec, skip: int, results: Queue) -> None:  # type: ignore[type-arg]
    """Put the batches of `spec`'s file after `skip` data rows on `results`, then None; an
    exception (an unreadable file) goes on it instead. Uses no database."""
    import django

    django.setup()
    from django.utils import translation

    from .services.rowstream import RowStream

    with translation.override(spec.language):
        try:
            for batch in RowStream(spec).batches(skip):
                results.put(batch)
        except Exception as error:  # handed to the writer, which raises it
            results.put(error)
            return
    results.put(None)
