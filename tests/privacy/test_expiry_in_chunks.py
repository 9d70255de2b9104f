"""Consents that end expire a chunk at a time: the same legal-basis change and timeline
entry for every talent, at a cost that does not grow with the number of talents."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from time_machine import TimeMachineFixture

from silverpool.privacy.models import LegalBasis
from silverpool.privacy.services import basis, expire_consents
from silverpool.talents.models import Event, Talent

from ..talents.factories import make_talent
from .factories import give_consent

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)
ENDED = datetime.date(2028, 3, 3)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


def consenting(count: int) -> list[Talent]:
    talents = [make_talent() for _ in range(count)]
    for talent in talents:
        give_consent(talent)
    return talents


def test_every_ended_consent_expires_across_chunks_with_its_timeline_entry(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(basis, "EXPIRE_CHUNK", 2)
    talents = consenting(5)
    renewed = make_talent()
    give_consent(renewed)
    LegalBasis.objects.filter(talent=renewed).update(consent_valid_until=datetime.date(2029, 1, 1))

    assert expire_consents(ENDED) == 5

    for talent in talents:
        legal_basis = LegalBasis.objects.get(talent=talent)
        assert (legal_basis.state, legal_basis.due_on) == (LegalBasis.State.CONSENT_EXPIRED, ENDED)
        assert legal_basis.purposes == []
        [event] = talent.events.filter(kind=Event.Kind.LEGAL_BASIS_CHANGED, actor_label="System")
        assert event.data == {
            "old": "consent_valid",
            "new": "consent_expired",
            "due_on": "2028-03-03",
        }
    assert LegalBasis.objects.get(talent=renewed).state == LegalBasis.State.CONSENT_VALID


def test_expiring_many_consents_takes_no_more_queries_than_a_few(db: None) -> None:
    consenting(2)
    with CaptureQueriesContext(connection) as few:
        expire_consents(ENDED)
    consenting(8)

    with CaptureQueriesContext(connection) as many:
        expire_consents(datetime.date(2029, 3, 4))

    assert len(many) == len(few)
