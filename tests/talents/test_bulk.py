"""Bulk actions on the talent list: pools, tags, status, owner, delete; who may, on what."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents.models import Event, Status, Talent

from .factories import make_pool, make_tag, make_talent

BULK_URL = reverse("talents:talent-bulk")
LIST_URL = reverse("talents:talent-list")


def bulk(client: Client, **data: Any) -> Any:
    return client.post(BULK_URL, data)


def flash(response: Any) -> str:
    """The flash messages the user sees on the page the bulk action led to."""
    page = response.client.get(response["Location"])
    return " ".join(re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', page.text))


def test_add_to_pool_adds_the_selected_talents_and_says_how_many(
    recruiter_client: Client, rita: User
) -> None:
    pool = make_pool("Frontend pool")
    picked = [make_talent(rita), make_talent(rita)]
    other = make_talent(rita)

    response = bulk(
        recruiter_client,
        action="add_to_pool",
        pool=pool.pk,
        ids=[t.pk for t in picked],
        query="city=Berlin&page=2",
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?city=Berlin&page=2"
    assert set(pool.talents.all()) == set(picked)
    assert other not in pool.talents.all()
    assert flash(response) == "2 talents added to pool Frontend pool"
    assert picked[0].events.filter(kind=Event.Kind.POOL_ADDED).exists()


def test_remove_from_pool_removes_the_selected_talents_that_were_in_it(
    recruiter_client: Client, rita: User
) -> None:
    pool = make_pool("Frontend pool")
    members = [make_talent(rita, pools=[pool]) for _ in range(3)]
    outsider = make_talent(rita)

    response = bulk(
        recruiter_client,
        action="remove_from_pool",
        pool=pool.pk,
        ids=[members[0].pk, members[1].pk, outsider.pk],
    )

    assert flash(response) == "2 talents removed from pool Frontend pool"
    assert list(pool.talents.all()) == [members[2]]
    removed = members[0].events.get(kind=Event.Kind.POOL_REMOVED)
    assert (removed.actor, removed.data["pool"]) == (rita, "Frontend pool")
    assert not outsider.events.filter(kind=Event.Kind.POOL_REMOVED).exists()


def test_remove_from_pool_needs_a_pool_and_may_not_touch_a_private_pool_of_others(
    recruiter_client: Client, rita: User
) -> None:
    secret = make_pool("Secret pool", is_private=True)
    talent = make_talent(rita)
    secret.talents.add(talent, through_defaults={})

    without = bulk(recruiter_client, action="remove_from_pool", ids=[talent.pk])
    assert flash(without) == "Choose a pool."
    other = bulk(recruiter_client, action="remove_from_pool", pool=secret.pk, ids=[talent.pk])
    assert "Select a valid choice" in flash(other)

    assert list(secret.talents.all()) == [talent]


def test_add_tag_and_remove_tag(recruiter_client: Client, rita: User) -> None:
    tag = make_tag("Night owl")
    talents = [make_talent(rita), make_talent(rita, tags=[tag])]

    added = bulk(recruiter_client, action="add_tag", tag=tag.pk, ids=[t.pk for t in talents])
    assert flash(added) == "Tag Night owl added to 1 talent"
    assert set(tag.talents.all()) == set(talents)

    removed = bulk(recruiter_client, action="remove_tag", tag=tag.pk, ids=[talents[0].pk])
    assert flash(removed) == "Tag Night owl removed from 1 talent"
    assert list(tag.talents.all()) == [talents[1]]


def test_set_status(recruiter_client: Client, rita: User, statuses: dict[str, Status]) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)):
        talents = [make_talent(rita), make_talent(rita)]

    response = bulk(
        recruiter_client,
        action="set_status",
        status=statuses["contacted"].pk,
        ids=[t.pk for t in talents],
    )

    assert {t.status.key for t in Talent.objects.all()} == {"contacted"}
    assert all(t.updated_at.year > 2024 for t in Talent.objects.all())
    assert flash(response) == "Status of 2 talents set to Contacted"
    event = talents[0].events.get(kind=Event.Kind.STATUS_CHANGED)
    assert event.data == {"old": "new", "new": "contacted"}


def test_set_owner_and_remove_the_owner(recruiter_client: Client, rita: User, alice: User) -> None:
    talent = make_talent(rita)

    given = bulk(recruiter_client, action="set_owner", owner=alice.pk, ids=[talent.pk])
    assert flash(given) == "Owner of 1 talent set to Alice"
    talent.refresh_from_db()
    assert talent.owner == alice

    taken = bulk(recruiter_client, action="set_owner", owner="none", ids=[talent.pk])
    assert flash(taken) == "Owner of 1 talent set to no owner"
    talent.refresh_from_db()
    assert talent.owner is None


def test_a_viewer_cannot_be_made_owner(recruiter_client: Client, rita: User, victor: User) -> None:
    talent = make_talent(rita)

    bulk(recruiter_client, action="set_owner", owner=victor.pk, ids=[talent.pk])

    talent.refresh_from_db()
    assert talent.owner is None


def test_all_matching_applies_to_every_talent_matching_the_filters(
    recruiter_client: Client, rita: User, statuses: dict[str, Status]
) -> None:
    berlin = [make_talent(rita, city="Berlin", job_title="Go developer") for _ in range(3)]
    make_talent(rita, city="Berlin", job_title="Designer")
    elsewhere = make_talent(rita, city="Hamburg", job_title="Go developer")

    response = bulk(
        recruiter_client,
        action="set_status",
        status=statuses["engaged"].pk,
        all_matching="1",
        ids=[elsewhere.pk],  # ticked rows do not count when all matching is chosen
        query="q=go+dev&city=berlin&page=1",
    )

    engaged = set(Talent.objects.filter(status__key="engaged"))
    assert engaged == set(berlin)
    assert flash(response) == "Status of 3 talents set to Engaged"


def test_all_matching_with_a_text_search_removes_a_tag(
    recruiter_client: Client, rita: User
) -> None:
    tag = make_tag("Outdated")
    found = make_talent(rita, job_title="Rust developer", tags=[tag])
    kept = make_talent(rita, job_title="Accountant", tags=[tag])

    bulk(recruiter_client, action="remove_tag", tag=tag.pk, all_matching="1", query="q=rust")

    assert list(tag.talents.all()) == [kept]
    assert found.events.filter(kind=Event.Kind.TAG_REMOVED).exists()


def test_select_all_on_the_page_works_without_javascript(
    recruiter_client: Client, rita: User
) -> None:
    pool = make_pool("Whole page pool")
    talents = [make_talent(rita) for _ in range(3)]

    bulk(
        recruiter_client,
        action="add_to_pool",
        pool=pool.pk,
        all_on_page="1",
        page_ids=[t.pk for t in talents],
    )

    assert set(pool.talents.all()) == set(talents)


def test_delete_first_asks_for_confirmation_with_the_count(
    recruiter_client: Client, rita: User
) -> None:
    talents = [make_talent(rita, first_name=f"Doomed{i}") for i in range(2)]

    response = bulk(recruiter_client, action="delete", ids=[t.pk for t in talents], query="q=x")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete 2 talents?" in html
    assert "Doomed0" in html
    assert 'name="confirm" value="1"' in html
    assert f'name="ids" value="{talents[0].pk}"' in html  # carried to the real delete
    assert f'href="{LIST_URL}?q=x"' in html
    assert Talent.objects.count() == 2


def test_delete_with_confirmation_deletes(recruiter_client: Client, rita: User) -> None:
    doomed = [make_talent(rita) for _ in range(2)]
    kept = make_talent(rita)

    response = bulk(recruiter_client, action="delete", confirm="1", ids=[t.pk for t in doomed])

    assert list(Talent.objects.all()) == [kept]
    assert flash(response) == "2 talents deleted"


def test_delete_all_matching_confirms_the_whole_count_then_deletes(
    recruiter_client: Client, rita: User
) -> None:
    for _ in range(3):
        make_talent(rita, city="Bonn")
    kept = make_talent(rita, city="Köln")

    asked = bulk(recruiter_client, action="delete", all_matching="1", query="city=Bonn")
    done = bulk(recruiter_client, action="delete", all_matching="1", query="city=Bonn", confirm="1")

    assert "Delete 3 talents?" in asked.content.decode()
    assert 'name="all_matching" value="1"' in asked.content.decode()
    assert list(Talent.objects.all()) == [kept]
    assert flash(done) == "3 talents deleted"


def test_the_delete_button_asks_in_the_browser_too(recruiter_client: Client, rita: User) -> None:
    make_talent(rita)

    html = recruiter_client.get(LIST_URL).content.decode()

    assert re.search(r'value="delete"\s+data-confirm="[^"]+"', html)


def test_talents_the_user_may_not_see_are_never_touched(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    secret = make_pool("Secret bulk pool", is_private=True)
    hidden = make_talent(alice, pools=[secret])
    tag = make_tag("Sneaky")

    tagged = bulk(recruiter_client, action="add_tag", tag=tag.pk, ids=[hidden.pk])
    assert flash(tagged) == "Tag Sneaky added to 0 talents"
    deleted = bulk(recruiter_client, action="delete", confirm="1", ids=[hidden.pk])
    assert flash(deleted) == "0 talents deleted"

    assert not hidden.talent_tags.exists()
    assert Talent.objects.filter(pk=hidden.pk).exists()


def test_a_private_pool_of_others_is_not_offered_and_cannot_be_posted(
    recruiter_client: Client, rita: User
) -> None:
    secret = make_pool("Secret target pool", is_private=True)
    talent = make_talent(rita)

    html = recruiter_client.get(LIST_URL).content.decode()
    response = bulk(recruiter_client, action="add_to_pool", pool=secret.pk, ids=[talent.pk])

    assert "Secret target pool" not in html
    assert not secret.talents.exists()
    assert "Select a valid choice" in flash(response)


def test_an_action_without_its_argument_changes_nothing(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    response = bulk(recruiter_client, action="add_to_pool", ids=[talent.pk], query="city=Ulm")

    assert response["Location"] == f"{LIST_URL}?city=Ulm"
    assert flash(response) == "Choose a pool."
    assert not talent.pool_memberships.exists()


def test_an_empty_selection_changes_nothing(recruiter_client: Client, rita: User) -> None:
    tag = make_tag("Nobody")
    make_talent(rita)

    response = bulk(recruiter_client, action="add_tag", tag=tag.pk)

    assert flash(response) == "Select at least one talent."
    assert not tag.talents.exists()


@pytest.mark.parametrize(
    "ids", [["abc"], ["-1"], ["99999999999999999999999"], [str(i) for i in range(1, 600)]]
)
def test_malformed_ids_are_refused_without_an_error_page(
    recruiter_client: Client, rita: User, ids: list[str]
) -> None:
    tag = make_tag("Malformed")
    make_talent(rita)

    response = bulk(recruiter_client, action="add_tag", tag=tag.pk, ids=ids)

    assert response.status_code == 302
    assert not tag.talents.exists()


def test_the_return_query_cannot_send_the_user_elsewhere(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    response = bulk(
        recruiter_client,
        action="add_tag",
        tag=make_tag("Safe").pk,
        ids=[talent.pk],
        query="next=//evil.example&city=Ulm&page=x",
    )

    assert response["Location"] == f"{LIST_URL}?city=Ulm"


def test_a_viewer_gets_403_on_a_bulk_action(viewer_client: Client, rita: User) -> None:
    talent = make_talent(rita)
    tag = make_tag("Viewer tag")

    response = bulk(viewer_client, action="add_tag", tag=tag.pk, ids=[talent.pk])
    deleting = bulk(viewer_client, action="delete", confirm="1", ids=[talent.pk])

    assert response.status_code == 403
    assert deleting.status_code == 403
    assert not tag.talents.exists()
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_a_viewer_sees_no_checkboxes_or_bulk_bar(viewer_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Visible")

    html = viewer_client.get(LIST_URL).content.decode()

    assert "Visible" in html
    assert 'name="ids"' not in html
    assert 'id="bulk-bar"' not in html
    assert BULK_URL not in html


def test_an_editor_sees_a_checkbox_per_row_and_select_all(
    recruiter_client: Client, rita: User
) -> None:
    talents = [make_talent(rita) for _ in range(2)]

    html = recruiter_client.get(LIST_URL).content.decode()

    for talent in talents:
        assert re.search(rf'name="ids"\s+value="{talent.pk}"', html)
    assert "data-select-all" in html
    assert 'id="bulk-bar"' in html


def test_select_all_matching_is_offered_when_there_is_more_than_one_page(
    recruiter_client: Client, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from silverpool.talents.views import listing

    for _ in range(3):
        make_talent(rita)
    one_page = recruiter_client.get(LIST_URL).content.decode()
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)

    two_pages = recruiter_client.get(LIST_URL).content.decode()

    assert 'name="all_matching"' not in one_page
    assert 'name="all_matching"' in two_pages
    assert "Select all 3 matching talents" in two_pages


def test_bulk_actions_need_a_post(recruiter_client: Client) -> None:
    assert recruiter_client.get(BULK_URL).status_code == 405
