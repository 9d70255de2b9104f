"""Data-subject requests follow a merge: a request the duplicate made is the primary's
while they are merged, and goes back to the duplicate when the merge is undone."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.privacy.models import DataSubjectRequest
from silverpool.privacy.services import open_request
from silverpool.talents.models import Merge, Talent
from silverpool.talents.services import merge_talents, undo_merge

from ..talents.factories import make_talent

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def pair(db: None) -> tuple[Talent, Talent]:
    primary = make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")
    secondary = make_talent(first_name="Lena", last_name="Vogel", email="l.vogel@example.com")
    return primary, secondary


def ask_for_access(talent: Talent, actor: User | None) -> DataSubjectRequest:
    return open_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        received_on=datetime.date(2027, 3, 1),
        channel=DataSubjectRequest.Channel.EMAIL,
        talent=talent,
        actor=actor,
    )


def test_the_duplicates_request_is_listed_under_the_merged_talent(
    pair: tuple[Talent, Talent], rita: User, recruiter_client: Client
) -> None:
    primary, secondary = pair
    request = ask_for_access(secondary, rita)

    merge_talents(primary, secondary, choices={}, actor=rita)

    request.refresh_from_db()
    assert request.talent == primary
    # It keeps the id it came in under.
    assert request.talent_ref == secondary.pk
    html = recruiter_client.get(reverse("privacy:requests")).content.decode()
    assert f'href="{reverse("talents:talent-detail", args=[primary.pk])}">Lena Vogel</a>' in html


def test_undoing_the_merge_gives_each_talent_its_own_requests_back(
    pair: tuple[Talent, Talent], rita: User
) -> None:
    primary, secondary = pair
    theirs = ask_for_access(secondary, rita)
    ours = ask_for_access(primary, rita)
    merge = merge_talents(primary, secondary, choices={}, actor=rita)
    after_merge = ask_for_access(primary, rita)

    undo_merge(merge, actor=rita)

    assert list(secondary.data_requests.all()) == [theirs]
    assert sorted(r.pk for r in primary.data_requests.all()) == [ours.pk, after_merge.pk]


def test_a_merge_made_before_requests_moved_along_can_still_be_undone(
    pair: tuple[Talent, Talent], rita: User
) -> None:
    primary, secondary = pair
    request = ask_for_access(primary, rita)
    merge = merge_talents(primary, secondary, choices={}, actor=rita)
    # What such a merge recorded: consent proof only.
    del merge.snapshot["privacy"]["moved"]["data_requests"]
    Merge.objects.filter(pk=merge.pk).update(snapshot=merge.snapshot)

    undo_merge(merge, actor=rita)

    request.refresh_from_db()
    assert request.talent == primary
    assert Talent.objects.get(pk=secondary.pk).merged_into is None
