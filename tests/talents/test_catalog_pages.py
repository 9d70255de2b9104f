import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents.models import Event, Pool, Tag, Talent

from ..conftest import logged_in
from .factories import make_pool, make_tag, make_talent

CHANGE_PAGES = ["pool-create", "tag-create"]
OBJECT_CHANGE_PAGES = ["pool-edit", "pool-delete", "tag-edit", "tag-delete"]


def pool_data(name: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"name": name, "description": "", **changes}
    return {key: value for key, value in data.items() if value not in ("", None)}


# Pools


def test_the_pool_list_shows_member_counts_descriptions_and_links_to_the_talents(
    rita: User, recruiter_client: Client
) -> None:
    pool = make_pool("Runners-up 2027", description="Final-round candidates")
    kept = make_talent(rita, pools=[pool])
    make_talent(rita, pools=[pool])
    merged_away = make_talent(rita, pools=[pool])
    Talent.objects.filter(pk=merged_away.pk).update(merged_into=kept)

    html = recruiter_client.get(reverse("talents:pool-list")).content.decode()

    assert "Final-round candidates" in html
    assert f'href="/talents/?pool={pool.pk}"' in html
    assert "2 talents in Runners-up 2027" in html


@pytest.fixture
def half_hidden(alice: User) -> tuple[Pool, Tag]:
    """A public pool and a tag on two talents, one of them also in alice's secret pool."""
    public, tag = make_pool("Runners-up 2027"), make_tag("Silver medalist 2027")
    secret = make_pool("Board search", is_private=True)
    make_talent(alice, pools=[public], tags=[tag])
    make_talent(alice, pools=[public, secret], tags=[tag])
    return public, tag


def test_pool_and_tag_counts_leave_out_talents_the_user_may_not_see(
    half_hidden: tuple[Pool, Tag], rita: User, recruiter_client: Client
) -> None:
    public, tag = half_hidden

    pools = recruiter_client.get(reverse("talents:pool-list")).content.decode()
    tags = recruiter_client.get(reverse("talents:tag-list")).content.decode()
    deleting_pool = recruiter_client.get(reverse("talents:pool-delete", args=[public.pk]))
    deleting_tag = recruiter_client.get(reverse("talents:tag-delete", args=[tag.pk]))

    assert "1 talent in Runners-up 2027" in pools
    assert "1 talent tagged Silver medalist 2027" in tags
    assert "1 talent will leave the pool." in deleting_pool.content.decode()
    assert "1 talent will lose this tag." in deleting_tag.content.decode()


def test_members_of_the_private_pool_and_admins_count_every_talent(
    half_hidden: tuple[Pool, Tag], rita: User, admin_client: Client
) -> None:
    Pool.objects.get(name="Board search").members.add(rita)

    for client in (logged_in(rita), admin_client):
        pools = client.get(reverse("talents:pool-list")).content.decode()
        tags = client.get(reverse("talents:tag-list")).content.decode()
        assert "2 talents in Runners-up 2027" in pools
        assert "2 talents tagged Silver medalist 2027" in tags


def test_counts_follow_each_users_private_pools_and_leave_out_merged_talents(
    alice: User, rita: User, victor: User
) -> None:
    public, tag = make_pool("Runners-up 2027"), make_tag("Silver medalist 2027")
    board, works = (
        make_pool("Board search", is_private=True),
        make_pool("Works council", is_private=True),
    )
    board.members.add(rita)
    make_talent(alice, pools=[public], tags=[tag])
    make_talent(alice, pools=[public, board], tags=[tag])
    # In a pool rita is a member of, so she sees it although it also sits in one she is not.
    make_talent(alice, pools=[public, board, works], tags=[tag])
    make_talent(alice, pools=[public, works], tags=[tag])
    survivor = make_talent(alice, pools=[public], tags=[tag])
    merged_away = make_talent(alice, pools=[public, board], tags=[tag])
    Talent.objects.filter(pk=merged_away.pk).update(merged_into=survivor)

    def counts(user: User) -> tuple[str, str]:
        client = logged_in(user)
        pools = client.get(reverse("talents:pool-list")).content.decode()
        tags = client.get(reverse("talents:tag-list")).content.decode()
        return pools, tags

    (rita_pools, rita_tags), (victor_pools, victor_tags), (alice_pools, alice_tags) = (
        counts(rita),
        counts(victor),
        counts(alice),
    )

    assert "4 talents in Runners-up 2027" in rita_pools
    assert "4 talents tagged Silver medalist 2027" in rita_tags
    assert "2 talents in Board search" in rita_pools
    assert "Works council" not in rita_pools
    assert "2 talents in Runners-up 2027" in victor_pools
    assert "2 talents tagged Silver medalist 2027" in victor_tags
    assert "5 talents in Runners-up 2027" in alice_pools
    assert "5 talents tagged Silver medalist 2027" in alice_tags
    assert "2 talents in Board search" in alice_pools
    assert "2 talents in Works council" in alice_pools


def test_a_pool_and_a_tag_without_talents_count_zero(recruiter_client: Client) -> None:
    make_pool("Empty pool"), make_tag("Unused tag")

    pools = recruiter_client.get(reverse("talents:pool-list")).content.decode()
    tags = recruiter_client.get(reverse("talents:tag-list")).content.decode()

    assert "0 talents in Empty pool" in pools
    assert "0 talents tagged Unused tag" in tags


def test_a_private_pool_is_listed_only_for_its_members_and_admins(
    alice: User, rita: User, victor: User
) -> None:
    secret = make_pool("Board search", is_private=True)
    secret.members.add(victor, alice)
    make_talent(alice, pools=[secret])
    clients = {user.username: Client() for user in (alice, rita, victor)}
    for user in (alice, rita, victor):
        clients[user.username].force_login(user)

    pages = {
        name: c.get(reverse("talents:pool-list")).content.decode() for name, c in clients.items()
    }

    assert "1 talent in Board search" in pages["alice"]
    assert "1 talent in Board search" in pages["victor"]
    assert "Board search" not in pages["rita"]


@pytest.mark.parametrize("name", ["pool-edit", "pool-delete"])
def test_a_private_pool_of_others_is_not_found_even_by_guessed_id(
    recruiter_client: Client, name: str
) -> None:
    secret = make_pool("Board search", is_private=True)

    get = recruiter_client.get(reverse(f"talents:{name}", args=[secret.pk]))
    post = recruiter_client.post(reverse(f"talents:{name}", args=[secret.pk]), pool_data("Mine"))

    assert (get.status_code, post.status_code) == (404, 404)
    assert Pool.objects.filter(pk=secret.pk, name="Board search").exists()


def test_a_recruiter_creates_a_pool(recruiter_client: Client, rita: User) -> None:
    response = recruiter_client.post(
        reverse("talents:pool-create"),
        pool_data("Data engineers", description="For the 2028 platform team"),
        follow=True,
    )

    pool = Pool.objects.get(name="Data engineers")
    assert pool.description == "For the 2028 platform team"
    assert pool.created_by == rita
    assert not pool.is_private
    assert "Pool “Data engineers” created." in response.content.decode()


def test_a_pool_name_taken_in_another_case_is_an_error_on_the_name(
    recruiter_client: Client,
) -> None:
    make_pool("Data engineers")

    response = recruiter_client.post(reverse("talents:pool-create"), pool_data("DATA ENGINEERS"))

    assert response.status_code == 200
    assert "This name is already taken." in response.content.decode()
    assert Pool.objects.filter(name__iexact="data engineers").count() == 1


def test_renaming_a_pool_keeps_its_talents(rita: User, recruiter_client: Client) -> None:
    pool = make_pool("Finalists 2027")
    talent = make_talent(rita, pools=[pool])

    recruiter_client.post(
        reverse("talents:pool-edit", args=[pool.pk]),
        pool_data("Silver medalists", description="Second place"),
    )

    pool.refresh_from_db()
    assert (pool.name, pool.description) == ("Silver medalists", "Second place")
    assert list(talent.pools.all()) == [pool]


def test_a_private_pool_gets_the_chosen_members_and_hides_its_talents(
    alice: User, rita: User, victor: User, admin_client: Client
) -> None:
    pool = make_pool("Executives")
    talent = make_talent(rita, pools=[pool])

    admin_client.post(
        reverse("talents:pool-edit", args=[pool.pk]),
        pool_data("Executives", is_private="on", members=[victor.pk]),
    )

    pool.refresh_from_db()
    assert pool.is_private
    assert list(pool.members.all()) == [victor]
    assert not Talent.objects.visible_to(rita).filter(pk=talent.pk).exists()
    assert Talent.objects.visible_to(victor).filter(pk=talent.pk).exists()


def test_a_recruiter_who_makes_a_pool_private_stays_a_member(
    rita: User, victor: User, recruiter_client: Client
) -> None:
    recruiter_client.post(
        reverse("talents:pool-create"),
        pool_data("Headhunting", is_private="on", members=[victor.pk]),
    )

    pool = Pool.objects.get(name="Headhunting")
    assert set(pool.members.all()) == {rita, victor}
    assert recruiter_client.get(reverse("talents:pool-edit", args=[pool.pk])).status_code == 200


def test_the_delete_page_says_how_many_talents_leave_the_pool(
    rita: User, recruiter_client: Client
) -> None:
    pool = make_pool("Finalists 2027")
    make_talent(rita, pools=[pool])
    make_talent(rita, pools=[pool])

    response = recruiter_client.get(reverse("talents:pool-delete", args=[pool.pk]))

    html = response.content.decode()
    assert "Delete the pool “Finalists 2027”?" in html
    assert "2 talents will leave the pool." in html
    assert Pool.objects.filter(pk=pool.pk).exists()


def test_deleting_a_pool_keeps_its_talents_and_notes_it_on_their_timelines(
    rita: User, recruiter_client: Client
) -> None:
    pool = make_pool("Finalists 2027")
    talent = make_talent(rita, pools=[pool])

    response = recruiter_client.post(reverse("talents:pool-delete", args=[pool.pk]), follow=True)

    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert Talent.objects.filter(pk=talent.pk).exists()
    assert talent.events.filter(kind=Event.Kind.POOL_REMOVED, data__pool="Finalists 2027").exists()
    assert "Pool “Finalists 2027” deleted; 1 talent left it." in response.content.decode()


# Tags


def test_the_tag_list_shows_counts_and_links_to_the_talents(
    rita: User, viewer_client: Client
) -> None:
    tag = make_tag("Silver medalist 2027")
    make_talent(rita, tags=[tag])

    html = viewer_client.get(reverse("talents:tag-list")).content.decode()

    assert f'href="/talents/?tag={tag.pk}"' in html
    assert "1 talent tagged Silver medalist 2027" in html


def test_a_recruiter_creates_and_renames_a_tag(recruiter_client: Client) -> None:
    recruiter_client.post(reverse("talents:tag-create"), {"name": "  Referral 2027 "})
    tag = Tag.objects.get(name="Referral 2027")

    recruiter_client.post(reverse("talents:tag-edit", args=[tag.pk]), {"name": "Referred"})

    tag.refresh_from_db()
    assert tag.name == "Referred"


def test_a_tag_name_taken_in_another_case_is_an_error_on_the_name(
    recruiter_client: Client,
) -> None:
    tag = make_tag("Remote only")
    other = make_tag("On site")

    response = recruiter_client.post(
        reverse("talents:tag-edit", args=[other.pk]), {"name": "REMOTE ONLY"}
    )

    assert response.status_code == 200
    assert "This name is already taken." in response.content.decode()
    assert "Rename tag “On site”" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "On site"
    assert Tag.objects.filter(name__iexact="remote only").get() == tag


def test_deleting_a_tag_says_how_many_talents_lose_it_first(
    rita: User, recruiter_client: Client
) -> None:
    tag = make_tag("Needs visa")
    talent = make_talent(rita, tags=[tag])

    confirm = recruiter_client.get(reverse("talents:tag-delete", args=[tag.pk]))
    recruiter_client.post(reverse("talents:tag-delete", args=[tag.pk]))

    assert "1 talent will lose this tag." in confirm.content.decode()
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert talent.events.filter(kind=Event.Kind.TAG_REMOVED).exists()


# Roles


def test_a_viewer_sees_pools_and_tags_without_any_buttons_to_change_them(
    viewer_client: Client,
) -> None:
    make_pool("Runners-up 2027")
    make_tag("Silver medalist 2027")

    pools = viewer_client.get(reverse("talents:pool-list")).content.decode()
    tags = viewer_client.get(reverse("talents:tag-list")).content.decode()

    assert "Runners-up 2027" in pools
    assert "Silver medalist 2027" in tags
    for html in (pools, tags):
        assert "/new/" not in html
        assert "/edit/" not in html
        assert "/delete/" not in html


@pytest.mark.parametrize("name", CHANGE_PAGES)
def test_a_viewer_cannot_create_pools_or_tags(viewer_client: Client, name: str) -> None:
    get = viewer_client.get(reverse(f"talents:{name}"))
    post = viewer_client.post(reverse(f"talents:{name}"), {"name": "Sneaky"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert not Pool.objects.filter(name="Sneaky").exists()
    assert not Tag.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize("name", OBJECT_CHANGE_PAGES)
def test_a_viewer_cannot_change_or_delete_pools_or_tags(viewer_client: Client, name: str) -> None:
    obj = make_pool("Runners-up 2027") if name.startswith("pool") else make_tag("Silver 2027")

    get = viewer_client.get(reverse(f"talents:{name}", args=[obj.pk]))
    post = viewer_client.post(reverse(f"talents:{name}", args=[obj.pk]), {"name": "Renamed"})

    assert (get.status_code, post.status_code) == (403, 403)
    obj.refresh_from_db()
    assert obj.name in ("Runners-up 2027", "Silver 2027")


@pytest.mark.parametrize("name", ["pool-list", "tag-list", *CHANGE_PAGES])
def test_anonymous_visitors_are_sent_to_log_in(db: None, name: str) -> None:
    url = reverse(f"talents:{name}")

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_visitors_cannot_delete_a_pool(db: None) -> None:
    pool = make_pool("Runners-up 2027")

    response = Client().post(reverse("talents:pool-delete", args=[pool.pk]))

    assert response.status_code == 302
    assert Pool.objects.filter(pk=pool.pk).exists()


def test_an_admin_sees_and_changes_a_private_pool_without_being_a_member(
    admin_client: Client,
) -> None:
    secret = make_pool("Board search", is_private=True)

    response = admin_client.post(
        reverse("talents:pool-edit", args=[secret.pk]),
        pool_data("Board search 2028", is_private="on"),
    )

    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.name == "Board search 2028"


def test_pools_and_tags_are_listed_by_name(recruiter_client: Client) -> None:
    make_pool("Zebra pool")
    make_pool("Aardvark pool")
    make_tag("Zebra tag")
    make_tag("Aardvark tag")

    pools = recruiter_client.get(reverse("talents:pool-list")).content.decode()
    tags = recruiter_client.get(reverse("talents:tag-list")).content.decode()

    assert pools.index("Aardvark pool") < pools.index("Zebra pool")
    assert tags.index("Aardvark tag") < tags.index("Zebra tag")
