"""Tags themselves: found whatever their case, and which of them nothing has."""

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Tag
from silverpool.webforms.models import Form

from ..webforms.factories import make_talent_form
from .factories import make_tag, make_talent


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
