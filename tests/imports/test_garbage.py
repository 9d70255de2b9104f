"""The garbage collector during a run (services/garbage.py): paused, collecting once
every COLLECT_EVERY rows, and as it was before once the run ends; during the check,
paused, collecting the young generations after each chunk, and fully once it is done."""

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from silverpool.accounts.models import User
from silverpool.imports.models import ImportJob
from silverpool.imports.services import garbage, rowstream
from silverpool.talents.models import Talent
from silverpool.talents.services import bulk_intake

from .batches import batches_of
from .workbooks import checked, imported, people, person, uploaded, xlsx


@pytest.fixture
def collections_started() -> Iterator[list[int]]:
    """The generation of each collection that starts while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    yield started
    gc.callbacks.remove(note)


def test_collection_is_paused_and_runs_once_every_so_many_rows(
    monkeypatch: pytest.MonkeyPatch, collections_started: list[int]
) -> None:
    monkeypatch.setattr(garbage, "COLLECT_EVERY", 10)
    with garbage.paused_collection() as collect:
        assert not gc.isenabled()
        collect(6)
        assert collections_started == []
        collect(6)  # 12 rows: one collection, and the count starts again
        collect(6)
        assert collections_started == [2]
        collect(4)
        assert collections_started == [2, 2]
    assert gc.isenabled()


def test_collection_is_as_it_was_after_an_error_and_stays_off_if_it_was_off() -> None:
    with pytest.raises(RuntimeError), garbage.paused_collection():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with garbage.paused_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_run_writes_with_collection_paused_and_collects_between_batches(
    tmp_path: Path,
    rita: User,
    monkeypatch: pytest.MonkeyPatch,
    collections_started: list[int],
) -> None:
    batches_of(monkeypatch, 2)
    monkeypatch.setattr(garbage, "COLLECT_EVERY", 4)
    enabled_while_writing, collections_before = [], []
    intake = bulk_intake.intake_talents

    def watched(*args: Any, **kwargs: Any) -> bulk_intake.BulkResult:
        enabled_while_writing.append(gc.isenabled())
        collections_before.append(len(collections_started))
        return intake(*args, **kwargs)

    monkeypatch.setattr("silverpool.imports.services.run.intake_talents", watched)
    job = imported(xlsx(tmp_path / "t.xlsx", people(9)), rita)

    assert job.state == ImportJob.State.DONE
    assert Talent.objects.count() == 9
    assert enabled_while_writing == [False] * 5
    # Batches of two rows: one collection after the 4th row and one after the 8th, and
    # none of the collector's own meanwhile.
    first = collections_before[0]
    assert collections_before == [first, first, first + 1, first + 1, first + 2]
    assert collections_started[first : first + 2] == [2, 2]  # full ones
    assert gc.isenabled()


@pytest.mark.django_db
def test_the_check_reads_with_collection_paused_and_collects_the_young_after_each_chunk(
    tmp_path: Path,
    rita: User,
    monkeypatch: pytest.MonkeyPatch,
    collections_started: list[int],
) -> None:
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 3)
    enabled_while_reading, collections_before = [], []
    read = rowstream.RowStream.read

    def watched(stream: rowstream.RowStream, *args: Any) -> rowstream.Batch:
        enabled_while_reading.append(gc.isenabled())
        collections_before.append(len(collections_started))
        return read(stream, *args)

    monkeypatch.setattr(rowstream.RowStream, "read", watched)
    # An invalid email: a ValidationError, a cycle (see garbage.py).
    job = uploaded(xlsx(tmp_path / "t.xlsx", [*people(8), person(9, email="x")]), rita)

    assert checked(job).preview["rows"] == 9
    assert enabled_while_reading == [False] * 3
    # Chunks of three rows: a young collection after each, none of the collector's own;
    # then, with the preview saved, a full one (what the run would otherwise pay for).
    first = collections_before[0]
    assert collections_before == [first, first + 1, first + 2]
    assert collections_started[first : first + 3] == [1, 1, 1]
    assert 2 in collections_started[first + 3 :]
    assert gc.isenabled()
