"""Python's cyclic garbage collector, paused while an import checks or writes its rows.

A batch's rows, talents and timeline entries are hundreds of thousands of small objects
that live until the batch is written. Each time enough of them have survived, the
collector looks through every object of the process for cycles, and finds next to none:
in a run of 100,000 rows on PostgreSQL its 20 full collections took 4.3 s of the worker's
15.7 s of CPU, the young ones 1.4 s more (docs/benchmarks.md). Paused, it collects once
every COLLECT_EVERY rows, which keeps what cycles there are from piling up.

The check makes real cycles: each invalid row's ValidationError (Django's holds itself in
its error_list) with the frames of its traceback, which hold the row. Paused with nothing
collected, it grew by 70 MB at 100,000 rows; the collector's own scans took 1.1 s of its
12 s. It collects the young generations after each chunk instead: 0.4 s, and the cycles
go while they are young; and fully once its preview is saved (see check_file).
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

COLLECT_EVERY = 60_000


@contextmanager
def paused_collection(
    every: int | None = None, generation: int = 2
) -> Iterator[Callable[[int], None]]:
    """Pause automatic collection; the function given is told how many rows were done
    (a batch, a chunk) and collects `generation` once `every` (default COLLECT_EVERY)
    have passed. On exit collection is as it was before."""
    every = COLLECT_EVERY if every is None else every
    was_enabled = gc.isenabled()
    gc.disable()
    passed = 0

    def done(count: int) -> None:
        nonlocal passed
        passed += count
        if passed >= every:
            passed = 0
            gc.collect(generation)

    try:
        yield done
    finally:
        if was_enabled:
            gc.enable()
