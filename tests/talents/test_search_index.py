"""The full-text index stays in step with the talents after every migration.

On SQLite it is an FTS5 table fed by triggers (migration 0002). A later migration that
rebuilds talents_talent drops those triggers without a word; these tests and the system
check talents.E001 make that loud.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.checks import FTS_TRIGGERS
from silverpool.talents.models import Talent
from silverpool.talents.search import (
    TalentFilters,
    filter_talents,
    search_index_deferred,
    search_index_rewritten,
)

from .factories import make_talent

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only"
)


def found(q: str) -> list[Talent]:
    return list(filter_talents(Talent.objects.active(), TalentFilters(q=q)))


@sqlite_only
def test_every_search_trigger_exists_after_all_migrations(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'talents_talent'"
        )
        triggers = {name for (name,) in cursor.fetchall()}

    assert set(FTS_TRIGGERS) <= triggers


def test_a_new_talent_is_found_at_once_and_follows_its_changes_and_deletion(rita: User) -> None:
    talent = make_talent(rita, first_name="Quirin", last_name="Zwiebelmeier")

    assert found("zwiebelmeier") == [talent]

    services.update_talent(talent, {"last_name": "Knoblauch"}, actor=rita)

    assert found("zwiebelmeier") == []
    assert found("knoblauch") == [talent]

    services.delete_talent(talent, actor=rita)

    assert found("knoblauch") == []


def test_manage_py_check_passes_with_the_search_triggers(db: None) -> None:
    call_command("check", "talents")


@sqlite_only
def test_manage_py_check_fails_loudly_when_a_search_trigger_is_missing(db: None) -> None:
    # What SQLite does to the triggers when a migration rebuilds talents_talent.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER talents_talent_fts_ai")

    with pytest.raises(SystemCheckError, match=r"talents\.E001.*talents_talent_fts_ai"):
        call_command("check", "talents")


def trigger_count(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = %s", [name])
        (count,) = cursor.fetchone()
        return int(count)


@sqlite_only
@pytest.mark.parametrize(
    ("bulk", "trigger"),
    [
        (search_index_deferred, "talents_talent_fts_ai"),
        (search_index_rewritten, "talents_talent_fts_au"),
    ],
)
def test_a_bulk_write_that_fails_leaves_the_trigger_in_place(
    db: None, bulk: Callable[[list[int]], AbstractContextManager[None]], trigger: str
) -> None:
    """Bulk writes drop a trigger for their transaction (migration 0015): a failure takes
    the drop back with the rows."""
    talent = make_talent(first_name="Quirin", last_name="Zwiebelmeier")
    counted_inside = []

    def failing_write() -> None:
        with transaction.atomic(), bulk([talent.pk]):
            counted_inside.append(trigger_count(trigger))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_write()

    assert counted_inside == [0]
    assert trigger_count(trigger) == 1
    assert found("zwiebelmeier") == [talent]
    call_command("check", "talents")


def test_words_rewritten_in_bulk_replace_the_old_ones_and_the_trigger_is_back(
    rita: User,
) -> None:
    talent = make_talent(rita, first_name="Quirin", last_name="Zwiebelmeier")

    with transaction.atomic(), search_index_rewritten([talent.pk]):
        Talent.objects.filter(pk=talent.pk).update(search_text="quirin knoblauch")

    assert found("zwiebelmeier") == []
    assert found("knoblauch") == [talent]
    services.update_talent(talent, {"last_name": "Porree"}, actor=rita)
    assert found("knoblauch") == []
    assert found("porree") == [talent]
