import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Pool, Talent

from .factories import make_pool, make_talent


@pytest.fixture
def robert(db: None) -> User:
    """A recruiter who is not a member of the private pool."""
    return User.objects.create_user("robert", "robert@example.com", "pw-robert-123")


@pytest.fixture
def confidential(alice: User, rita: User) -> Pool:
    return services.save_pool(
        None, name="Executive search", is_private=True, members=[rita], actor=alice
    )


@pytest.fixture
def ceo(rita: User, confidential: Pool) -> Talent:
    talent = make_talent(rita, first_name="Clara", last_name="Vorstand")
    services.add_to_pool(talent, confidential, actor=rita)
    return talent


def sees(user: User, talent: Talent) -> bool:
    return Talent.objects.visible_to(user).filter(pk=talent.pk).exists()


def test_a_talent_in_a_private_pool_is_hidden_from_a_recruiter_who_is_not_a_member(
    robert: User, victor: User, ceo: Talent
) -> None:
    assert not sees(robert, ceo)
    assert not sees(victor, ceo)
    with pytest.raises(Http404):
        services.get_talent_for(robert, ceo.pk)


def test_a_talent_in_a_private_pool_is_seen_by_the_pools_members_and_admins(
    rita: User, alice: User, ceo: Talent
) -> None:
    assert services.get_talent_for(rita, ceo.pk, write=True) == ceo
    assert services.get_talent_for(alice, ceo.pk) == ceo


def test_a_talent_is_visible_again_once_it_leaves_the_private_pool(
    rita: User, robert: User, ceo: Talent, confidential: Pool
) -> None:
    services.remove_from_pool(ceo, confidential, actor=rita)

    assert sees(robert, ceo)


def test_a_talent_also_in_a_public_pool_stays_hidden(rita: User, robert: User, ceo: Talent) -> None:
    services.add_to_pool(ceo, make_pool("Runners-up 2026"), actor=rita)

    assert not sees(robert, ceo)


def test_a_member_of_another_private_pool_holding_the_talent_sees_it(
    alice: User, robert: User, ceo: Talent
) -> None:
    board = services.save_pool(None, name="Board", is_private=True, members=[robert], actor=alice)

    services.add_to_pool(ceo, board, actor=alice)

    assert sees(robert, ceo)


def test_making_a_pool_private_hides_its_talents_and_making_it_public_shows_them(
    alice: User, rita: User, robert: User
) -> None:
    pool = services.save_pool(None, name="Leadership", actor=alice)
    talent = make_talent(rita)
    services.add_to_pool(talent, pool, actor=rita)

    services.save_pool(pool, name="Leadership", is_private=True, members=[rita], actor=alice)
    hidden = not sees(robert, talent)
    services.save_pool(pool, name="Leadership", is_private=False, actor=alice)

    assert hidden
    assert sees(robert, talent)


def test_deleting_the_private_pool_shows_its_talents_again(
    alice: User, robert: User, ceo: Talent, confidential: Pool
) -> None:
    services.delete_pool(confidential, actor=alice)

    assert sees(robert, ceo)


def test_editing_a_talent_from_an_older_copy_does_not_reveal_it(rita: User, robert: User) -> None:
    talent = make_talent(rita, first_name="Clara")
    pool = services.save_pool(None, name="Secret", is_private=True, members=[rita], actor=rita)
    services.add_to_pool(talent, pool, actor=rita)

    services.update_talent(talent, {"job_title": "CFO"}, actor=rita)

    assert not sees(robert, talent)


def test_bulk_adding_to_a_private_pool_hides_the_talents(
    rita: User, robert: User, confidential: Pool
) -> None:
    talents = [make_talent(rita), make_talent(rita)]

    services.bulk_add_to_pool(
        Talent.objects.filter(pk__in=[t.pk for t in talents]), confidential, actor=rita
    )

    assert not Talent.objects.visible_to(robert).exists()


def test_a_private_pool_is_listed_only_for_its_members_and_admins(
    rita: User, robert: User, alice: User, confidential: Pool
) -> None:
    assert confidential in services.pools_visible_to(rita)
    assert confidential in services.pools_visible_to(alice)
    assert confidential not in services.pools_visible_to(robert)
    with pytest.raises(Http404):
        services.get_pool_for(robert, confidential.pk)


def test_a_document_of_a_hidden_talent_answers_404(rita: User, robert: User, ceo: Talent) -> None:
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n")
    document = services.add_document(ceo, upload, actor=rita)

    with pytest.raises(Http404):
        services.get_document_for(robert, document.pk)
    assert services.get_document_for(rita, document.pk) == document


def test_a_viewer_sees_public_talents_but_may_not_change_them(rita: User, victor: User) -> None:
    talent = make_talent(rita)

    assert services.get_talent_for(victor, talent.pk) == talent
    with pytest.raises(PermissionDenied):
        services.get_talent_for(victor, talent.pk, write=True)


def test_a_merged_talent_answers_404_even_to_an_admin(rita: User, alice: User) -> None:
    primary, secondary = make_talent(rita), make_talent(rita)
    services.merge_talents(primary, secondary, choices={}, actor=rita)

    with pytest.raises(Http404):
        services.get_talent_for(alice, secondary.pk)


def test_timeline_hides_the_name_of_a_private_pool_from_non_members(
    rita: User, alice: User
) -> None:
    secret = Pool.objects.create(name="Executive search", is_private=True)
    talent = make_talent(alice, pools=[secret])
    services.remove_from_pool(talent, secret, actor=alice)
    events = list(talent.events.all())

    seen_by_rita = services.hide_private_pool_names(rita, list(talent.events.all()))
    seen_by_alice = services.hide_private_pool_names(alice, events)

    assert "Executive search" not in {e.data.get("pool") for e in seen_by_rita}
    assert {e.data.get("pool") for e in seen_by_alice if "pool" in e.data} == {"Executive search"}


def test_timeline_keeps_the_name_of_a_deleted_public_pool(rita: User, alice: User) -> None:
    pool = Pool.objects.create(name="Sales DACH")
    talent = make_talent(alice, pools=[pool])
    services.delete_pool(pool, actor=alice)

    seen = services.hide_private_pool_names(rita, list(talent.events.all()))

    assert {e.data.get("pool") for e in seen if "pool" in e.data} == {"Sales DACH"}
