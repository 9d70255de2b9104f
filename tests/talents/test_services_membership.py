import datetime

import pytest
import time_machine
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Event, PoolMembership, Status, Talent, TalentTag

from .factories import make_pool, make_tag, make_talent


def events(talent: Talent, kind: Event.Kind) -> list[Event]:
    return list(Event.objects.filter(talent=talent, kind=kind))


@pytest.fixture
def talent(rita: User) -> Talent:
    return make_talent(rita, first_name="Jonas", last_name="Becker")


def test_set_status_changes_the_status_and_records_old_and_new(
    rita: User, talent: Talent, statuses: dict[str, Status]
) -> None:
    changed = services.set_status(talent, statuses["contacted"], actor=rita)

    assert changed is True
    assert Talent.objects.get(pk=talent.pk).status == statuses["contacted"]
    [event] = events(talent, Event.Kind.STATUS_CHANGED)
    assert (event.actor, event.data) == (rita, {"old": "new", "new": "contacted"})


def test_set_status_to_the_current_status_changes_nothing(
    rita: User, talent: Talent, statuses: dict[str, Status]
) -> None:
    services.set_status(talent, statuses["contacted"], actor=rita)

    changed = services.set_status(talent, statuses["contacted"], actor=rita)

    assert changed is False
    assert len(events(talent, Event.Kind.STATUS_CHANGED)) == 1


def test_set_status_marks_the_talent_as_updated_and_active(
    rita: User, talent: Talent, statuses: dict[str, Status]
) -> None:
    later = timezone.now() + datetime.timedelta(hours=2)

    with time_machine.travel(later, tick=False):
        services.set_status(talent, statuses["engaged"], actor=rita)

    talent.refresh_from_db()
    assert talent.updated_at == later
    assert talent.last_activity_at == later


def test_a_channel_acting_without_a_user_is_named_on_the_event(
    talent: Talent, statuses: dict[str, Status]
) -> None:
    services.set_status(talent, statuses["hired"], actor=None, actor_label="Personio")

    [event] = events(talent, Event.Kind.STATUS_CHANGED)
    assert (event.actor, event.actor_label) == (None, "Personio")


def test_set_owner_records_the_previous_and_the_new_owner(
    rita: User, alice: User, talent: Talent
) -> None:
    services.set_owner(talent, rita, actor=alice)

    changed = services.set_owner(talent, alice, actor=alice)

    assert changed is True
    assert Talent.objects.get(pk=talent.pk).owner == alice
    assert [e.data for e in events(talent, Event.Kind.OWNER_CHANGED)] == [
        {"old": "Rita", "new": "Alice"},
        {"old": "", "new": "Rita"},
    ]


def test_set_owner_to_nobody_unassigns_and_is_recorded(rita: User, talent: Talent) -> None:
    services.set_owner(talent, rita, actor=rita)

    services.set_owner(talent, None, actor=rita)

    assert Talent.objects.get(pk=talent.pk).owner is None
    assert events(talent, Event.Kind.OWNER_CHANGED)[0].data == {"old": "Rita", "new": ""}


def test_set_owner_to_the_current_owner_changes_nothing(rita: User, talent: Talent) -> None:
    services.set_owner(talent, rita, actor=rita)

    assert services.set_owner(talent, rita, actor=rita) is False
    assert services.set_owner(make_talent(rita), None, actor=rita) is False
    assert len(events(talent, Event.Kind.OWNER_CHANGED)) == 1


def test_add_to_pool_records_who_added_the_talent_once(rita: User, talent: Talent) -> None:
    pool = make_pool("Runners-up Q3")

    first = services.add_to_pool(talent, pool, actor=rita)
    second = services.add_to_pool(talent, pool, actor=rita)

    assert (first, second) == (True, False)
    membership = PoolMembership.objects.get(talent=talent)
    assert (membership.pool, membership.added_by) == (pool, rita)
    [event] = events(talent, Event.Kind.POOL_ADDED)
    assert event.data == {"pool_id": pool.pk, "pool": "Runners-up Q3", "private": False}


def test_remove_from_pool_is_recorded_once(rita: User, talent: Talent) -> None:
    pool = make_pool("Runners-up Q3")
    services.add_to_pool(talent, pool, actor=rita)

    first = services.remove_from_pool(talent, pool, actor=rita)
    second = services.remove_from_pool(talent, pool, actor=rita)

    assert (first, second) == (True, False)
    assert not PoolMembership.objects.filter(talent=talent).exists()
    assert len(events(talent, Event.Kind.POOL_REMOVED)) == 1


def test_removing_a_talent_from_a_pool_it_is_not_in_records_nothing(
    rita: User, talent: Talent
) -> None:
    assert services.remove_from_pool(talent, make_pool(), actor=rita) is False
    assert not events(talent, Event.Kind.POOL_REMOVED)


def test_add_tag_is_recorded_once_with_who_added_it(rita: User, talent: Talent) -> None:
    tag = make_tag("Relocation OK")

    first = services.add_tag(talent, tag, actor=rita)
    second = services.add_tag(talent, tag, actor=rita)

    assert (first, second) == (True, False)
    assert TalentTag.objects.get(talent=talent).added_by == rita
    assert [e.data for e in events(talent, Event.Kind.TAG_ADDED)] == [{"tag": "Relocation OK"}]


def test_remove_tag_is_recorded_once(rita: User, talent: Talent) -> None:
    tag = make_tag("Relocation OK")
    services.add_tag(talent, tag, actor=rita)

    first = services.remove_tag(talent, tag, actor=rita)
    second = services.remove_tag(talent, tag, actor=rita)

    assert (first, second) == (True, False)
    assert not TalentTag.objects.filter(talent=talent).exists()
    assert len(events(talent, Event.Kind.TAG_REMOVED)) == 1


def test_each_change_appears_on_the_timeline_newest_first(
    rita: User, talent: Talent, statuses: dict[str, Status]
) -> None:
    pool, tag = make_pool(), make_tag()

    services.add_to_pool(talent, pool, actor=rita)
    services.add_tag(talent, tag, actor=rita)
    services.set_status(talent, statuses["contacted"], actor=rita)
    services.set_owner(talent, rita, actor=rita)
    services.remove_tag(talent, tag, actor=rita)
    services.remove_from_pool(talent, pool, actor=rita)
    services.add_note(talent, "Ruft zurück", author=rita)

    assert list(talent.events.values_list("kind", flat=True)) == [
        Event.Kind.NOTE_ADDED,
        Event.Kind.POOL_REMOVED,
        Event.Kind.TAG_REMOVED,
        Event.Kind.OWNER_CHANGED,
        Event.Kind.STATUS_CHANGED,
        Event.Kind.TAG_ADDED,
        Event.Kind.POOL_ADDED,
        Event.Kind.CREATED,
    ]


def test_a_field_edit_records_each_changed_field_with_old_and_new(
    rita: User, talent: Talent
) -> None:
    changed = services.update_talent(
        talent, {"city": "Köln", "job_title": "Data Engineer", "last_name": "Becker"}, actor=rita
    )

    assert sorted(changed) == ["city", "job_title"]
    assert sorted(
        (e.data["field"], e.data["old"], e.data["new"])
        for e in events(talent, Event.Kind.FIELD_CHANGED)
    ) == [("city", "", "Köln"), ("job_title", "", "Data Engineer")]
