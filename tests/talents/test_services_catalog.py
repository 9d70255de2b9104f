"""Tags themselves: their names in a text, found whatever their case, and which of them
nothing has."""

import pytest
from django.core.exceptions import ValidationError

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Tag
from silverpool.webforms.models import Form

from ..webforms.factories import make_talent_form
from .factories import make_tag, make_talent


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Silver medalist, Java; Remote/Hybrid", ["Silver medalist", "Java", "Remote/Hybrid"]),
        ("Java\njava | JAVA", ["Java"]),  # each once, as first written
        (" , ", []),
    ],
)
def test_a_text_of_tag_names_gives_each_name_once(text: str, names: list[str]) -> None:
    assert services.tag_names(text) == names


def test_a_tag_name_too_long_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match="at most 80 characters: “x{81}”"):
        services.tag_names("Java, " + "x" * 81)


def test_get_or_create_tag_finds_a_tag_whatever_its_case_and_says_when_it_made_one(
    db: None,
) -> None:
    messe = make_tag("Messe Dresden")

    assert services.get_or_create_tag("  messe dresden ") == (messe, False)
    made, new = services.get_or_create_tag("Campus 2027")
    assert new
    assert Tag.objects.get(name="Campus 2027") == made


def test_unused_tags_are_those_no_talent_saved_search_or_other_row_has(
    rita: User, alice: User
) -> None:
    free, on_talent, searched, on_form, own = (
        make_tag(name) for name in ("Frei", "Am Talent", "Gesucht", "Im Formular", "Eigen")
    )
    services.add_tag(make_talent(rita), on_talent, actor=rita)
    services.save_search(alice, name="Messe", query=f"q=java&tag={searched.pk}")
    make_talent_form(tags=[on_form])
    mine = make_talent_form("Mine", tags=[own])

    unused = services.unused_tags([free, on_talent, searched, on_form, own], besides=mine)

    assert unused == [free, own]  # the form's own hold on "Eigen" does not count
    assert services.unused_tags([own], besides=Form.objects.get(title="Careers site")) == []
