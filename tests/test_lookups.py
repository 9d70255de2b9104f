"""AnyOf matches what `__in` would, on both databases, for single columns and pairs."""

import pytest
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple

from silverpool.lookups import AnyOf
from silverpool.talents.models import Talent
from tests.talents.factories import make_talent


@pytest.fixture
def talents(db: None) -> dict[str, Talent]:
    return {
        "anna": make_talent(first_name="Anna", last_name="Berg", city="Köln"),
        "ben": make_talent(first_name="Ben", last_name="Berg", city="Bonn"),
        "cem": make_talent(first_name="Cem", last_name="Arslan", city="Köln"),
    }


def first_names(*conditions: AnyOf) -> set[str]:
    return set(Talent.objects.filter(*conditions).values_list("first_name", flat=True))


def test_any_of_matches_ids_and_texts(talents: dict[str, Talent]) -> None:
    assert first_names(AnyOf(F("pk"), [talents["anna"].pk, talents["cem"].pk])) == {"Anna", "Cem"}
    assert first_names(AnyOf(F("city"), {"Bonn", "Paris"})) == {"Ben"}


def test_an_empty_list_matches_nothing(talents: dict[str, Talent]) -> None:
    assert first_names(AnyOf(F("city"), [])) == set()


def test_pairs_match_as_pairs_not_each_column_alone(talents: dict[str, Talent]) -> None:
    # Berg and Köln are each there, but only Anna is a Berg in Köln.
    pairs = [("Berg", "Köln"), ("Arslan", "Bonn")]

    assert first_names(AnyOf(Tuple(F("last_name"), F("city")), pairs)) == {"Anna"}


def test_pairs_of_an_id_and_a_text(talents: dict[str, Talent]) -> None:
    pairs = [(talents["ben"].pk, "Bonn"), (talents["cem"].pk, "Bonn")]

    assert first_names(AnyOf(Tuple(F("pk"), F("city")), pairs)) == {"Ben"}
