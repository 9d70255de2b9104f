"""Small batches for tests that follow an import batch by batch."""

import pytest

from silverpool.imports.services import rowstream


def batches_of(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    """Chunks and batches of `rows` rows on either database."""
    monkeypatch.setattr(rowstream, "BATCH_ROWS", rows)
    monkeypatch.setattr(rowstream, "SQLITE_BATCH_ROWS", rows)
