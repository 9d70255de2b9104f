"""Merging duplicates: consent proof moves to the primary, which keeps the stronger legal
basis; undoing the merge gives each talent back exactly what it had."""

import datetime

import pytest
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.privacy.models import ConsentRecord, ConsentRequest, LegalBasis, Purpose
from silverpool.privacy.services import set_legal_hold, withdraw_consent
from silverpool.privacy.services.requests import request_consent
from silverpool.talents.models import Merge, Talent
from silverpool.talents.services import merge_talents, undo_merge

from ..talents.factories import make_talent
from .factories import give_consent

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)
BASIS_FIELDS = (
    "state",
    "since",
    "consent_deadline",
    "consent_valid_until",
    "purposes",
    "due_on",
    "asked_at",
    "legal_hold_until",
    "notice_sent_at",
)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def pair(db: None) -> tuple[Talent, Talent]:
    primary = make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")
    secondary = make_talent(first_name="Lena", last_name="Vogel", email="l.vogel@example.com")
    return primary, secondary


def snapshot(talent: Talent) -> dict[str, object]:
    basis = LegalBasis.objects.get(talent=talent)
    return {name: getattr(basis, name) for name in BASIS_FIELDS}


def merge(pair: tuple[Talent, Talent], actor: User) -> Merge:
    primary, secondary = pair
    return merge_talents(primary, secondary, choices={}, actor=actor)


def test_the_primary_takes_the_duplicates_consent_and_its_proof(
    pair: tuple[Talent, Talent], rita: User
) -> None:
    primary, secondary = pair
    give_consent(secondary, recruiter=rita)
    request_consent(secondary, actor=rita, kind=ConsentRequest.Kind.RENEWAL)

    merge(pair, rita)

    basis = LegalBasis.objects.get(talent=primary)
    assert basis.state == LegalBasis.State.CONSENT_VALID
    assert basis.consent_valid_until == datetime.date(2028, 3, 2)
    assert sorted(basis.purposes) == [Purpose.EMAIL_CAMPAIGNS, Purpose.TALENT_POOL]
    assert ConsentRecord.objects.filter(talent=primary).count() == 2
    assert ConsentRequest.objects.filter(talent=primary).count() == 1
    assert primary.events.filter(kind="legal_basis_changed", data__reason="merge").exists()
    # The hidden duplicate has no deadline of its own while it is part of the primary.
    assert LegalBasis.objects.get(talent=secondary).due_on is None


def test_a_valid_consent_of_the_primary_beats_a_duplicate_awaiting_consent(
    pair: tuple[Talent, Talent], rita: User
) -> None:
    primary, _ = pair
    give_consent(primary)
    before = snapshot(primary)

    merge(pair, rita)

    assert snapshot(primary) == before


def test_a_later_withdrawal_on_the_duplicate_beats_an_older_consent(
    pair: tuple[Talent, Talent], rita: User, clock: TimeMachineFixture
) -> None:
    primary, secondary = pair
    give_consent(primary)
    give_consent(secondary)
    clock.shift(datetime.timedelta(days=10))
    withdraw_consent(
        secondary,
        [Purpose.TALENT_POOL],
        method=ConsentRecord.Method.PRIVACY_PAGE,
        actor=None,
        actor_label="Talent",
    )

    merge(pair, rita)

    assert LegalBasis.objects.get(talent=primary).state == LegalBasis.State.WITHDRAWN


def test_a_later_consent_beats_an_older_withdrawal(
    pair: tuple[Talent, Talent], rita: User, clock: TimeMachineFixture
) -> None:
    primary, secondary = pair
    give_consent(primary)
    withdraw_consent(
        primary,
        [Purpose.TALENT_POOL],
        method=ConsentRecord.Method.PRIVACY_PAGE,
        actor=None,
        actor_label="Talent",
    )
    clock.shift(datetime.timedelta(days=10))
    give_consent(secondary)

    merge(pair, rita)

    assert LegalBasis.objects.get(talent=primary).state == LegalBasis.State.CONSENT_VALID


def test_an_application_hold_beats_awaiting_consent_and_a_legal_hold_comes_along(
    pair: tuple[Talent, Talent], rita: User, alice: User
) -> None:
    primary, secondary = pair
    LegalBasis.objects.filter(talent=secondary).update(
        state=LegalBasis.State.APPLICATION_HOLD,
        hold_until=datetime.date(2027, 9, 2),
        due_on=datetime.date(2027, 9, 2),
    )
    set_legal_hold(
        secondary, reason="Lawsuit 4 Ca 12/27", until=datetime.date(2028, 1, 1), actor=alice
    )

    merge(pair, rita)

    basis = LegalBasis.objects.get(talent=primary)
    assert basis.state == LegalBasis.State.APPLICATION_HOLD
    assert basis.due_on == datetime.date(2027, 9, 2)
    assert (basis.legal_hold_reason, basis.legal_hold_until) == (
        "Lawsuit 4 Ca 12/27",
        datetime.date(2028, 1, 1),
    )


def test_undo_restores_both_talents_exactly(pair: tuple[Talent, Talent], rita: User) -> None:
    primary, secondary = pair
    request_consent(primary, actor=rita)
    give_consent(secondary, recruiter=rita)
    primary_before, secondary_before = snapshot(primary), snapshot(secondary)
    records = set(ConsentRecord.objects.filter(talent=secondary).values_list("pk", flat=True))

    undo_merge(merge(pair, rita), actor=rita)

    assert snapshot(primary) == primary_before
    assert snapshot(secondary) == secondary_before
    assert (
        set(ConsentRecord.objects.filter(talent=secondary).values_list("pk", flat=True)) == records
    )
    assert not ConsentRecord.objects.filter(talent=primary).exists()
    assert ConsentRequest.objects.filter(talent=primary).count() == 1


def test_undo_keeps_a_decision_made_on_the_merged_profile(
    pair: tuple[Talent, Talent], rita: User
) -> None:
    primary, secondary = pair
    done = merge(pair, rita)
    give_consent(primary, Purpose.TALENT_POOL)

    undo_merge(done, actor=rita)

    assert LegalBasis.objects.get(talent=primary).state == LegalBasis.State.CONSENT_VALID
    assert ConsentRecord.objects.filter(talent=primary).count() == 1
    assert LegalBasis.objects.get(talent=secondary).due_on == datetime.date(2027, 4, 1)
