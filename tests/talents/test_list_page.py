"""The talent list page: search, filters, sort, pages, totals, saved searches, htmx."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Document, SavedSearch, Status, Talent
from silverpool.talents.services.derived import refresh_search_text

from .factories import make_pool, make_tag, make_talent

LIST_URL = reverse("talents:talent-list")


def get_list(client: Client, headers: dict[str, str] | None = None, **params: Any) -> str:
    response = client.get(LIST_URL, params, headers=headers or {})
    assert response.status_code == 200
    return response.content.decode()


def listed_names(html: str) -> list[str]:
    """The talent names in the table, top to bottom, as the user reads them."""
    return re.findall(r'<a href="/talents/\d+/">([^<]*)</a>', html)


# Search


@pytest.mark.parametrize(
    ("fields", "query"),
    [
        ({"first_name": "Annegret", "last_name": "Schmidt"}, "schmi"),
        ({"first_name": "Anna", "last_name": "Müller"}, "mull"),
        ({"first_name": "Anna", "email": "anna.k@devmail.example"}, "devmail"),
        ({"first_name": "Anna", "job_title": "Platform engineer"}, "platform eng"),
        ({"first_name": "Anna", "skills": ["Kubernetes", "Go"]}, "kubern"),
    ],
)
def test_search_finds_a_talent_by_word_prefixes(
    recruiter_client: Client, rita: User, fields: dict[str, Any], query: str
) -> None:
    make_talent(rita, **fields)
    make_talent(rita, first_name="Bernd", last_name="Other", job_title="Chef")

    html = get_list(recruiter_client, q=query)

    assert len(listed_names(html)) == 1
    assert listed_names(html)[0].startswith(fields["first_name"])
    assert "Bernd" not in html


def test_search_finds_a_talent_by_note_text(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, first_name="Clara", last_name="Notes")
    make_talent(rita, first_name="Bernd", last_name="Other")
    services.add_note(talent, "Met her at PyCon Berlin", author=rita)

    html = get_list(recruiter_client, q="pycon")

    assert listed_names(html) == ["Clara Notes"]


def test_search_finds_a_talent_by_cv_text(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, first_name="Dora", last_name="Cv")
    make_talent(rita, first_name="Bernd", last_name="Other")
    Document.objects.create(
        talent=talent,
        file="documents/x",
        original_name="cv.pdf",
        content_type="application/pdf",
        size=1,
        text="Ten years of Fortran numerics",
        extraction=Document.Extraction.DONE,
    )
    refresh_search_text(talent)

    html = get_list(recruiter_client, q="fortran")

    assert listed_names(html) == ["Dora Cv"]


def test_search_with_no_match_says_so_and_offers_to_clear(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Anna")

    html = get_list(recruiter_client, q="zzzz")

    assert listed_names(html) == []
    assert "No talents match these filters." in html
    assert "0 talents" in html


def test_an_empty_database_invites_an_editor_to_add_the_first_talent(
    recruiter_client: Client,
) -> None:
    html = get_list(recruiter_client)

    assert "There are no talents yet." in html
    assert reverse("talents:talent-create") in html


def test_an_empty_database_offers_a_viewer_no_create_link(viewer_client: Client) -> None:
    html = get_list(viewer_client)

    assert "There are no talents yet." in html
    assert reverse("talents:talent-create") not in html


# Filters


def test_pool_filter_shows_only_members_of_the_pool(recruiter_client: Client, rita: User) -> None:
    pool = make_pool("Backend pool")
    make_talent(rita, first_name="In", last_name="Pool", pools=[pool])
    make_talent(rita, first_name="Not", last_name="InPool")

    assert listed_names(get_list(recruiter_client, pool=pool.pk)) == ["In Pool"]


def test_a_search_in_a_pool_and_tag_no_talent_has_both_finds_nobody(
    recruiter_client: Client, rita: User
) -> None:
    # On PostgreSQL the pool's talents with the tag are looked up first (search._members);
    # none at all once made the count's query plan fail with a server error.
    pool, tag = make_pool("Backend pool"), make_tag("Remote only")
    make_talent(rita, first_name="Anna", skills=["Java"], pools=[pool])
    make_talent(rita, first_name="Bernd", skills=["Java"], tags=[tag])

    html = get_list(recruiter_client, q="java", pool=pool.pk, tag=tag.pk)

    assert listed_names(html) == []
    assert "No talents match these filters." in html


def test_tag_filter_shows_only_tagged_talents(recruiter_client: Client, rita: User) -> None:
    tag = make_tag("Remote only")
    make_talent(rita, first_name="Tagged", last_name="One", tags=[tag])
    make_talent(rita, first_name="Untagged", last_name="One")

    assert listed_names(get_list(recruiter_client, tag=tag.pk)) == ["Tagged One"]


def test_status_filter(recruiter_client: Client, rita: User, statuses: dict[str, Status]) -> None:
    make_talent(rita, first_name="Hired", last_name="One", status=statuses["hired"])
    make_talent(rita, first_name="New", last_name="One")

    html = get_list(recruiter_client, status=statuses["hired"].pk)

    assert listed_names(html) == ["Hired One"]


def test_source_kind_and_label_filters(recruiter_client: Client, rita: User) -> None:
    services.intake_talent(
        {"first_name": "From", "last_name": "Import"},
        actor=rita,
        source_kind=Talent.SourceKind.IMPORT,
        source_label="berlin-fair.xlsx",
    )
    services.intake_talent(
        {"first_name": "Other", "last_name": "Import"},
        actor=rita,
        source_kind=Talent.SourceKind.IMPORT,
        source_label="munich.xlsx",
    )
    make_talent(rita, first_name="Typed", last_name="In")

    by_kind = get_list(recruiter_client, source_kind="import")
    by_label = get_list(recruiter_client, source_label="Berlin-Fair.xlsx")

    assert sorted(listed_names(by_kind)) == ["From Import", "Other Import"]
    assert listed_names(by_label) == ["From Import"]


def test_owner_filter_and_no_owner_filter(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    make_talent(rita, first_name="Ritas", last_name="Talent", owner=rita)
    make_talent(rita, first_name="Alices", last_name="Talent", owner=alice)
    make_talent(rita, first_name="Nobodys", last_name="Talent")

    assert listed_names(get_list(recruiter_client, owner=rita.pk)) == ["Ritas Talent"]
    assert listed_names(get_list(recruiter_client, owner="none")) == ["Nobodys Talent"]


def test_available_from_range(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="March", last_name="One", available_from="2030-03-01")
    make_talent(rita, first_name="June", last_name="One", available_from="2030-06-01")
    make_talent(rita, first_name="Never", last_name="Said")

    html = get_list(
        recruiter_client, available_from_min="2030-02-01", available_from_max="2030-04-30"
    )

    assert listed_names(html) == ["March One"]


def test_created_range(recruiter_client: Client, rita: User) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 10, 12, tzinfo=datetime.UTC)):
        make_talent(rita, first_name="Old", last_name="One")
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, tzinfo=datetime.UTC)):
        make_talent(rita, first_name="Newer", last_name="One")

    since = get_list(recruiter_client, created_min="2025-01-01")
    until = get_list(recruiter_client, created_max="2024-12-31")

    assert listed_names(since) == ["Newer One"]
    assert listed_names(until) == ["Old One"]


def test_city_and_country_filters(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Berlin", last_name="De", city="Berlin", country="DE")
    make_talent(rita, first_name="Vienna", last_name="At", city="Wien", country="AT")

    assert listed_names(get_list(recruiter_client, city="berlin")) == ["Berlin De"]
    assert listed_names(get_list(recruiter_client, country="AT")) == ["Vienna At"]


def test_invalid_filters_show_an_error_and_the_other_filters_still_apply(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Berlin", last_name="One", city="Berlin")
    make_talent(rita, first_name="Hamburg", last_name="One", city="Hamburg")

    html = get_list(
        recruiter_client,
        city="Berlin",
        pool="abc",
        tag="99999999999999999999999",
        available_from_min="2030-13-45",
        created_max="yesterday",
        owner="nobody",
        sort="<script>",
    )

    assert listed_names(html) == ["Berlin One"]
    assert "These filters were ignored:" in html
    assert "Enter a valid date." in html
    assert "<script>" not in html


def test_filter_state_is_kept_in_the_form_links_and_bulk_form(
    recruiter_client: Client, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from silverpool.talents.views import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    pool = make_pool("Kept pool")
    for name in ("Anna", "Anton"):
        make_talent(rita, first_name=name, last_name="Kept", city="Köln", pools=[pool])

    html = get_list(recruiter_client, q="kept", pool=pool.pk, city="Köln", sort="name")

    assert 'value="kept"' in html
    assert f'<option value="{pool.pk}" selected>' in html
    assert 'value="Köln"' in html
    assert '<option value="name" selected>' in html
    query = f"q=kept&amp;pool={pool.pk}&amp;city=K%C3%B6ln&amp;sort=name"
    assert f'href="?{query}&amp;page=2"' in html
    assert f'name="query" value="{query}&amp;page=1"' in html


# Sort


def test_sort_by_name_in_both_directions(recruiter_client: Client, rita: User) -> None:
    for first, last in [("Bea", "Berg"), ("Carl", "Adler"), ("Anna", "Zorn")]:
        make_talent(rita, first_name=first, last_name=last)

    ascending = listed_names(get_list(recruiter_client, sort="name"))
    descending = listed_names(get_list(recruiter_client, sort="-name"))

    assert ascending == ["Carl Adler", "Bea Berg", "Anna Zorn"]
    assert descending == ["Anna Zorn", "Bea Berg", "Carl Adler"]


def test_sort_by_availability_puts_talents_without_a_date_last(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Unknown", last_name="Date")
    make_talent(rita, first_name="Later", last_name="One", available_from="2031-01-01")
    make_talent(rita, first_name="Sooner", last_name="One", available_from="2030-01-01")

    soonest = listed_names(get_list(recruiter_client, sort="available"))
    latest = listed_names(get_list(recruiter_client, sort="-available"))

    assert soonest == ["Sooner One", "Later One", "Unknown Date"]
    assert latest == ["Later One", "Sooner One", "Unknown Date"]


def test_sort_by_created_and_by_last_activity(recruiter_client: Client, rita: User) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)):
        first = make_talent(rita, first_name="First", last_name="Created")
    with time_machine.travel(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)):
        make_talent(rita, first_name="Second", last_name="Created")
    with time_machine.travel(datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)):
        services.add_note(first, "Called back", author=rita)

    assert listed_names(get_list(recruiter_client, sort="created")) == [
        "Second Created",
        "First Created",
    ]
    assert listed_names(get_list(recruiter_client, sort="-created")) == [
        "First Created",
        "Second Created",
    ]
    assert listed_names(get_list(recruiter_client, sort="activity")) == [
        "First Created",
        "Second Created",
    ]
    assert listed_names(get_list(recruiter_client, sort="-activity")) == [
        "Second Created",
        "First Created",
    ]


def test_default_sort_is_last_updated_first(recruiter_client: Client, rita: User) -> None:
    with time_machine.travel(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)):
        make_talent(rita, first_name="Older", last_name="Update")
    with time_machine.travel(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)):
        make_talent(rita, first_name="Newer", last_name="Update")

    assert listed_names(get_list(recruiter_client)) == ["Newer Update", "Older Update"]


# Pages and totals


def test_fifty_talents_per_page_with_the_total_and_page_links(
    recruiter_client: Client, rita: User, new_status: Status
) -> None:
    Talent.objects.bulk_create(
        Talent(first_name=f"Person{i:03}", last_name="Paged", status=new_status) for i in range(51)
    )

    first = get_list(recruiter_client, sort="name")
    second = get_list(recruiter_client, sort="name", page=2)

    assert "51 talents" in first
    assert len(listed_names(first)) == 50
    assert 'href="?sort=name&amp;page=2"' in first
    assert listed_names(second) == ["Person050 Paged"]
    assert 'href="?sort=name&amp;page=1"' in second


def test_a_page_number_out_of_range_shows_the_last_page(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, first_name="Only", last_name="One")

    assert listed_names(get_list(recruiter_client, page="999")) == ["Only One"]
    assert listed_names(get_list(recruiter_client, page="x")) == ["Only One"]


def test_totals_use_a_thousands_separator(recruiter_client: Client, new_status: Status) -> None:
    Talent.objects.bulk_create(
        Talent(first_name="Many", last_name=str(i), status=new_status) for i in range(1001)
    )

    assert "1,001 talents" in get_list(recruiter_client)


def test_a_broad_filter_shows_an_estimate_above_the_exact_count_limit(
    recruiter_client: Client, rita: User, settings: Any
) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 2
    for _ in range(5):
        make_talent(rita)

    html = get_list(recruiter_client)

    # Only PostgreSQL can estimate cheaply (EXPLAIN); SQLite counts exactly.
    if connection.vendor == "postgresql":
        assert re.search(r"about [\d,]+ talents", html)
    else:
        assert "5 talents" in html
        assert "about" not in html


def test_a_small_result_is_counted_exactly_below_the_limit(
    recruiter_client: Client, rita: User, settings: Any
) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 10
    for _ in range(3):
        make_talent(rita)

    html = get_list(recruiter_client)

    assert "3 talents" in html
    assert "about 3" not in html


# Columns and permissions


def test_each_row_shows_the_columns_and_links_to_the_detail_page(
    recruiter_client: Client, rita: User, statuses: dict[str, Status]
) -> None:
    pool = make_pool("Column pool")
    tag = make_tag("Column tag")
    talent = make_talent(
        rita,
        first_name="Greta",
        last_name="Columns",
        job_title="Data scientist",
        city="Leipzig",
        available_from="2030-07-01",
        status=statuses["engaged"],
        owner=rita,
        pools=[pool],
        tags=[tag],
    )

    html = get_list(recruiter_client)

    assert f'href="{reverse("talents:talent-detail", args=[talent.pk])}"' in html
    for text in ("Greta Columns", "Data scientist", "Leipzig", "Engaged", "Column pool"):
        assert text in html
    assert "Column tag" in html
    assert "Rita" in html
    assert "01/07/2030" in html


def test_the_list_does_not_query_per_row(
    recruiter_client: Client, rita: User, django_assert_max_num_queries: Any
) -> None:
    pool, tag = make_pool("N1 pool"), make_tag("N1 tag")
    for _ in range(3):
        make_talent(rita, owner=rita, pools=[pool], tags=[tag])
    with django_assert_max_num_queries(100) as few:
        get_list(recruiter_client)
    for _ in range(10):
        make_talent(rita, owner=rita, pools=[pool], tags=[tag])

    with django_assert_max_num_queries(len(few.captured_queries)):
        get_list(recruiter_client)


def test_a_talent_in_a_private_pool_is_hidden_from_a_recruiter_who_is_not_a_member(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    secret = make_pool("Secret pool", is_private=True)
    make_talent(alice, first_name="Hidden", last_name="Talent", pools=[secret])
    make_talent(alice, first_name="Public", last_name="Talent")

    html = get_list(recruiter_client)
    by_pool = get_list(recruiter_client, pool=secret.pk)

    assert listed_names(html) == ["Public Talent"]
    assert "Secret pool" not in html
    assert "Hidden" not in by_pool
    assert "These filters were ignored:" in by_pool


def test_a_member_sees_the_private_pool_talent_but_not_other_private_pools_names(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    mine = make_pool("Rita private pool", is_private=True)
    mine.members.add(rita)
    theirs = make_pool("Board private pool", is_private=True)
    make_talent(alice, first_name="Shared", last_name="Talent", pools=[mine, theirs])

    html = get_list(recruiter_client, pool=mine.pk)

    assert listed_names(html) == ["Shared Talent"]
    assert "Rita private pool" in html
    assert "Board private pool" not in html


def test_markup_in_talent_fields_is_shown_as_text(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="<b>Bold</b>", job_title="<script>alert(1)</script>")

    html = get_list(recruiter_client)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# htmx


def test_an_htmx_request_gets_only_the_results(recruiter_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Partial", last_name="One")

    html = get_list(recruiter_client, headers={"HX-Request": "true"}, q="partial")

    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html
    assert 'role="search"' not in html
    assert listed_names(html) == ["Partial One"]


def test_a_boosted_or_history_restore_request_gets_the_whole_page(
    recruiter_client: Client,
) -> None:
    boosted = get_list(recruiter_client, headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = get_list(
        recruiter_client,
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in boosted
    assert "<html" in restore


def test_the_search_form_works_with_and_without_javascript(recruiter_client: Client) -> None:
    response = recruiter_client.get(LIST_URL)
    html = response.content.decode()

    assert re.search(r'<form method="get"\s+action="/talents/"', html)
    assert 'hx-trigger="input changed delay:300ms, search, submit"' in html
    assert 'hx-push-url="true"' in html
    assert "HX-Request" in response["Vary"]


# Saved searches


def test_a_user_saves_the_current_search_and_sees_it_as_a_link(
    recruiter_client: Client, rita: User
) -> None:
    response = recruiter_client.post(
        reverse("talents:search-save"),
        {"name": "Berlin devs", "query": "q=python&city=Berlin&page=3&csrfmiddlewaretoken=x"},
        follow=True,
    )

    html = response.content.decode()
    saved = SavedSearch.objects.get(user=rita)
    assert saved.query == "q=python&city=Berlin"
    assert "Search “Berlin devs” saved." in html
    assert '<a href="/talents/?q=python&amp;city=Berlin">Berlin devs</a>' in html


def test_saving_under_the_same_name_replaces_the_search(
    recruiter_client: Client, rita: User
) -> None:
    url = reverse("talents:search-save")
    recruiter_client.post(url, {"name": "Mine", "query": "city=Bonn"})

    recruiter_client.post(url, {"name": "Mine", "query": "city=Köln"})

    assert list(SavedSearch.objects.values_list("name", "query")) == [("Mine", "city=K%C3%B6ln")]


def test_a_search_without_a_name_is_not_saved(recruiter_client: Client) -> None:
    response = recruiter_client.post(
        reverse("talents:search-save"), {"name": "", "query": "city=Bonn"}, follow=True
    )

    assert SavedSearch.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_a_user_sees_only_their_own_saved_searches(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    SavedSearch.objects.create(user=rita, name="Ritas search", query="city=Bonn")
    SavedSearch.objects.create(user=alice, name="Alices search", query="city=Ulm")

    html = get_list(recruiter_client)

    assert "Ritas search" in html
    assert "Alices search" not in html


def test_a_user_deletes_their_saved_search(recruiter_client: Client, rita: User) -> None:
    saved = SavedSearch.objects.create(user=rita, name="Old search", query="city=Bonn")

    response = recruiter_client.post(reverse("talents:search-delete", args=[saved.pk]), follow=True)

    assert SavedSearch.objects.count() == 0
    assert "Saved search “Old search” deleted." in response.content.decode()


def test_deleting_another_users_saved_search_answers_404(
    recruiter_client: Client, alice: User
) -> None:
    saved = SavedSearch.objects.create(user=alice, name="Alices", query="city=Ulm")

    response = recruiter_client.post(reverse("talents:search-delete", args=[saved.pk]))

    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saved_searches_are_changed_only_by_post(recruiter_client: Client, rita: User) -> None:
    saved = SavedSearch.objects.create(user=rita, name="Kept", query="city=Ulm")

    deleting = recruiter_client.get(reverse("talents:search-delete", args=[saved.pk]))
    saving = recruiter_client.get(reverse("talents:search-save"), {"name": "x"})

    assert deleting.status_code == 405
    assert saving.status_code == 405
    assert SavedSearch.objects.count() == 1
