import datetime

import pytest
import time_machine
from django.db.models import QuerySet
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Event, Pool, PoolMembership, Status, Talent, TalentTag

from .factories import make_pool, make_tag, make_talent


@pytest.fixture
def robert(db: None) -> User:
    """A recruiter who is not a member of the private pool."""
    return User.objects.create_user("robert", "robert@example.com", "pw-robert-123")


@pytest.fixture
def three(rita: User) -> list[Talent]:
    return [make_talent(rita) for _ in range(3)]


@pytest.fixture
def hidden(alice: User, rita: User) -> Talent:
    """A talent in a private pool that only rita (and admins) can see."""
    pool = services.save_pool(
        None, name="Confidential", is_private=True, members=[rita], actor=alice
    )
    talent = make_talent(rita, first_name="Clara")
    services.add_to_pool(talent, pool, actor=alice)
    return talent


def all_of(talents: list[Talent]) -> QuerySet[Talent]:
    return Talent.objects.filter(pk__in=[t.pk for t in talents])


def count_events(kind: Event.Kind) -> dict[int, int]:
    counts: dict[int, int] = {}
    for talent_id in Event.objects.filter(kind=kind).values_list("talent_id", flat=True):
        counts[talent_id] = counts.get(talent_id, 0) + 1
    return counts


def test_bulk_add_to_pool_adds_each_talent_once_with_one_event_each(
    rita: User, three: list[Talent]
) -> None:
    pool = make_pool("Runners-up 2026")
    services.add_to_pool(three[0], pool, actor=rita)

    added = services.bulk_add_to_pool(all_of(three), pool, actor=rita)

    assert added == 2
    assert set(PoolMembership.objects.filter(pool=pool).values_list("talent_id", "added_by")) == {
        (t.pk, rita.pk) for t in three
    }
    assert count_events(Event.Kind.POOL_ADDED) == {t.pk: 1 for t in three}


def test_bulk_add_tag_tags_each_talent_once_with_one_event_each(
    rita: User, three: list[Talent]
) -> None:
    tag = make_tag("High potential 2026")

    added = services.bulk_add_tag(all_of(three), tag, actor=rita)
    again = services.bulk_add_tag(all_of(three), tag, actor=rita)

    assert (added, again) == (3, 0)
    assert TalentTag.objects.filter(tag=tag).count() == 3
    assert count_events(Event.Kind.TAG_ADDED) == {t.pk: 1 for t in three}


def test_bulk_remove_tag_records_an_event_only_where_the_tag_was(
    rita: User, three: list[Talent]
) -> None:
    tag = make_tag("High potential 2026")
    services.add_tag(three[0], tag, actor=rita)

    removed = services.bulk_remove_tag(all_of(three), tag, actor=rita)

    assert removed == 1
    assert not TalentTag.objects.filter(tag=tag).exists()
    assert count_events(Event.Kind.TAG_REMOVED) == {three[0].pk: 1}


def test_bulk_remove_from_pool_records_an_event_only_where_the_talent_was_in_it(
    rita: User, alice: User, three: list[Talent]
) -> None:
    pool, other = make_pool("Runners-up 2026"), make_pool("Vertrieb")
    for talent in three[:2]:
        services.add_to_pool(talent, pool, actor=rita)
    services.add_to_pool(three[0], other, actor=rita)

    removed = services.bulk_remove_from_pool(all_of(three), pool, actor=alice)

    assert removed == 2
    assert not PoolMembership.objects.filter(pool=pool).exists()
    assert list(three[0].pools.all()) == [other]
    assert count_events(Event.Kind.POOL_REMOVED) == {three[0].pk: 1, three[1].pk: 1}
    event = Event.objects.filter(kind=Event.Kind.POOL_REMOVED).first()
    assert event is not None
    assert event.actor == alice
    assert event.data == {"pool_id": pool.pk, "pool": "Runners-up 2026", "private": False}


def test_bulk_remove_from_a_private_pool_lifts_the_talents_restriction(
    rita: User, alice: User, hidden: Talent
) -> None:
    pool = Pool.objects.get(name="Confidential")
    assert Talent.objects.get(pk=hidden.pk).is_restricted

    assert services.bulk_remove_from_pool(all_of([hidden]), pool, actor=alice) == 1

    assert not Talent.objects.get(pk=hidden.pk).is_restricted


def test_bulk_set_status_records_each_talents_old_and_new_status(
    rita: User, three: list[Talent], statuses: dict[str, Status]
) -> None:
    services.set_status(three[0], statuses["contacted"], actor=rita)
    services.set_status(three[1], statuses["hired"], actor=rita)

    changed = services.bulk_set_status(all_of(three), statuses["hired"], actor=rita)

    assert changed == 2
    assert set(all_of(three).values_list("status__key", flat=True)) == {"hired"}
    latest = {
        e.talent_id: (e.data["old"], e.data["new"])
        for e in Event.objects.filter(kind=Event.Kind.STATUS_CHANGED).order_by("id")
    }
    assert latest == {
        three[0].pk: ("contacted", "hired"),
        three[1].pk: ("new", "hired"),
        three[2].pk: ("new", "hired"),
    }


def test_bulk_set_status_marks_the_changed_talents_as_updated(
    rita: User, three: list[Talent], statuses: dict[str, Status]
) -> None:
    later = timezone.now() + datetime.timedelta(hours=3)

    with time_machine.travel(later, tick=False):
        services.bulk_set_status(all_of(three), statuses["archived"], actor=rita)

    assert set(all_of(three).values_list("updated_at", flat=True)) == {later}
    assert set(all_of(three).values_list("last_activity_at", flat=True)) == {later}


def test_bulk_set_owner_records_each_talents_previous_owner(
    rita: User, alice: User, three: list[Talent]
) -> None:
    services.set_owner(three[0], rita, actor=rita)
    services.set_owner(three[1], alice, actor=rita)
    later = timezone.now() + datetime.timedelta(hours=3)

    with time_machine.travel(later, tick=False):
        changed = services.bulk_set_owner(all_of(three), alice, actor=alice)

    assert changed == 2
    assert set(all_of(three).values_list("owner", flat=True)) == {alice.pk}
    bulk_events = Event.objects.filter(kind=Event.Kind.OWNER_CHANGED, actor=alice)
    assert {e.talent_id: e.data for e in bulk_events} == {
        three[0].pk: {"old": "Rita", "new": "Alice"},
        three[2].pk: {"old": "", "new": "Alice"},
    }
    assert Talent.objects.get(pk=three[0].pk).updated_at == later


def test_bulk_set_owner_to_nobody_unassigns_only_owned_talents(
    rita: User, three: list[Talent]
) -> None:
    services.set_owner(three[0], rita, actor=rita)

    changed = services.bulk_set_owner(all_of(three), None, actor=rita)

    assert changed == 1
    assert not all_of(three).filter(owner__isnull=False).exists()
    changes = Event.objects.filter(kind=Event.Kind.OWNER_CHANGED).order_by("id")
    assert [e.data for e in changes] == [{"old": "", "new": "Rita"}, {"old": "Rita", "new": ""}]


def test_bulk_delete_deletes_the_talents_with_their_notes_and_events(
    rita: User, three: list[Talent]
) -> None:
    services.add_note(three[0], "Bitte löschen", author=rita)

    deleted = services.bulk_delete(all_of(three[:2]), actor=rita)

    assert deleted == 2
    assert list(Talent.objects.all()) == [three[2]]
    assert set(Event.objects.values_list("talent_id", flat=True)) == {three[2].pk}


def test_bulk_delete_also_deletes_talents_merged_into_the_deleted_ones(
    rita: User, three: list[Talent]
) -> None:
    services.merge_talents(three[0], three[1], choices={}, actor=rita)

    services.bulk_delete(all_of(three[:1]), actor=rita)

    assert list(Talent.objects.all()) == [three[2]]


def visible_selection(robert: User, talents: list[Talent]) -> QuerySet[Talent]:
    """What the list page hands to a bulk action: the selection, scoped to the user."""
    return Talent.objects.visible_to(robert).filter(pk__in=[t.pk for t in talents])


def test_bulk_actions_leave_talents_the_user_cannot_see_untouched(
    robert: User, hidden: Talent, three: list[Talent], statuses: dict[str, Status]
) -> None:
    selection = [*three, hidden]
    events_before = Event.objects.filter(talent=hidden).count()
    pool, tag = make_pool(), make_tag()

    services.bulk_set_status(visible_selection(robert, selection), statuses["hired"], actor=robert)
    services.bulk_set_owner(visible_selection(robert, selection), robert, actor=robert)
    services.bulk_add_to_pool(visible_selection(robert, selection), pool, actor=robert)
    services.bulk_add_tag(visible_selection(robert, selection), tag, actor=robert)
    deleted = services.bulk_delete(visible_selection(robert, selection), actor=robert)

    hidden.refresh_from_db()
    assert deleted == 3
    assert list(Talent.objects.all()) == [hidden]
    assert (hidden.status.key, hidden.owner) == ("new", None)
    assert not hidden.pools.filter(pk=pool.pk).exists()
    assert not hidden.tags.exists()
    assert Event.objects.filter(talent=hidden).count() == events_before


def test_bulk_remove_tag_leaves_a_hidden_talents_tag_alone(
    rita: User, robert: User, hidden: Talent, three: list[Talent]
) -> None:
    tag = make_tag()
    for talent in [*three, hidden]:
        services.add_tag(talent, tag, actor=rita)

    removed = services.bulk_remove_tag(visible_selection(robert, [*three, hidden]), tag, actor=rita)

    assert removed == 3
    assert list(TalentTag.objects.filter(tag=tag).values_list("talent_id", flat=True)) == [
        hidden.pk
    ]


def test_bulk_actions_on_an_empty_selection_do_nothing(
    rita: User, statuses: dict[str, Status]
) -> None:
    nothing = Talent.objects.none()
    pool: Pool = make_pool()

    assert services.bulk_add_to_pool(nothing, pool, actor=rita) == 0
    assert services.bulk_remove_from_pool(nothing, pool, actor=rita) == 0
    assert services.bulk_remove_tag(nothing, make_tag(), actor=rita) == 0
    assert services.bulk_set_status(nothing, statuses["hired"], actor=rita) == 0
    assert services.bulk_delete(nothing, actor=rita) == 0
    assert not Event.objects.exists()
