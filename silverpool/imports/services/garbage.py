"""Python's cyclic garbage collector, paused while an import writes its rows.

A batch's rows, talents and timeline entries are hundreds of thousands of small objects
that live until the batch is written. Each time enough of them have survived, the
collector looks through every object of the process for cycles, and finds next to none:
in a run of 100,000 rows on PostgreSQL its 20 full collections took 4.3 s of the worker's
15.7 s of CPU, the young ones 1.4 s more (docs/benchmarks.md). Paused, it collects once
every COLLECT_EVERY rows, which keeps what cycles there are from piling up. (The check
is left to the collector: it leaves real cycles, about six objects a row, and paused
it grew by 70 MB at 100,000 rows.)
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

COLLECT_EVERY = 60_000


@contextmanager
def paused_collection() -> Iterator[Callable[[int], None]]:
    """Pause automatic collection; the function given is told of each batch's rows and
    collects once COLLECT_EVERY have passed. On exit collection is as it was before."""
    was_enabled = gc.isenabled()
    gc.disable()
    passed = 0

    def done(count: int) -> None:
        nonlocal passed
        passed += count
        if passed >= COLLECT_EVERY:
            passed = 0
            gc.collect()

    try:
        yield done
    finally:
        if was_enabled:
            gc.enable()
