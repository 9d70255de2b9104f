"""Exporting the rows ticked on the talent list: the bulk bar sends them on to the export
page, which exports exactly those the user may see, and the audit log says it was a
selection."""

import csv
import io
from typing import Any

from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import AuditEntry
from silverpool.talents import services
from silverpool.talents.models import Talent

from ..talents.factories import make_talent

BULK_URL = reverse("talents:talent-bulk")
EXPORT_URL = reverse("imports:talent-export")
LIST_URL = reverse("talents:talent-list")


def ids_query(*talents: Talent) -> str:
    return "&".join(f"ids={talent.pk}" for talent in sorted(talents, key=lambda t: t.pk))


def exported_names(client: Client, query: str, **data: Any) -> list[str]:
    response = client.post(f"{EXPORT_URL}?{query}", {"columns": ["name"], "format": "csv", **data})
    assert isinstance(response, StreamingHttpResponse), response.content[:500]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(text))][1:]


def test_export_selected_sends_the_ticked_rows_and_the_filters_to_the_export_page(
    recruiter_client: Client, rita: User
) -> None:
    anna, ben = make_talent(rita, city="Berlin"), make_talent(rita, city="Berlin")
    make_talent(rita, city="Berlin")

    response = recruiter_client.post(
        BULK_URL, {"action": "export", "ids": [ben.pk, anna.pk], "query": "city=Berlin&page=2"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{EXPORT_URL}?city=Berlin&{ids_query(anna, ben)}"


def test_every_row_of_the_page_can_be_sent_without_javascript(
    recruiter_client: Client, rita: User
) -> None:
    page = [make_talent(rita), make_talent(rita)]

    response = recruiter_client.post(
        BULK_URL, {"action": "export", "all_on_page": "1", "page_ids": [t.pk for t in page]}
    )

    assert response["Location"] == f"{EXPORT_URL}?{ids_query(*page)}"


def test_all_matching_talents_go_to_the_export_of_the_filtered_list(
    recruiter_client: Client, rita: User
) -> None:
    response = recruiter_client.post(
        BULK_URL, {"action": "export", "all_matching": "1", "query": "city=Berlin&page=3"}
    )

    assert response["Location"] == f"{EXPORT_URL}?city=Berlin"


def test_nothing_selected_goes_back_to_the_list_with_a_message(
    recruiter_client: Client, rita: User
) -> None:
    response = recruiter_client.post(BULK_URL, {"action": "export", "query": "city=Berlin"})

    assert response["Location"] == f"{LIST_URL}?city=Berlin"
    assert "Select at least one talent." in recruiter_client.get(response["Location"]).text


def test_the_list_offers_export_selected_in_its_bulk_bar(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita)

    html = recruiter_client.get(LIST_URL).text

    assert 'name="action" value="export">Export selected</button>' in html


def test_the_export_page_counts_the_selection_and_posts_it_back(
    recruiter_client: Client, rita: User
) -> None:
    anna, ben = make_talent(rita, city="Berlin"), make_talent(rita, city="Berlin")
    make_talent(rita, city="Berlin")
    query = f"city=Berlin&{ids_query(anna, ben)}"

    html = recruiter_client.get(f"{EXPORT_URL}?{query}").text

    assert "2 talents selected on the list." in html
    assert f'action="{EXPORT_URL}?{query.replace("&", "&amp;")}"' in html
    # The way back leads to the list with its filters, not to a list of ids.
    assert f'href="{LIST_URL}?city=Berlin"' in html


def test_only_the_selected_talents_are_exported_whatever_the_filters(
    recruiter_client: Client, rita: User
) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Berg", city="Berlin")
    jonas = make_talent(rita, first_name="Jonas", last_name="Kurz", city="Bremen")
    make_talent(rita, first_name="Carla", last_name="Lang", city="Berlin")

    names = exported_names(recruiter_client, f"city=Berlin&{ids_query(anna, jonas)}")

    assert sorted(names) == ["Anna Berg", "Jonas Kurz"]


def test_a_selected_talent_the_user_may_not_see_is_left_out(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    secret = services.save_pool(None, name="Board search", is_private=True, actor=alice)
    hidden = make_talent(alice, first_name="Hidden", last_name="Person")
    services.add_to_pool(hidden, secret, actor=alice)
    mine = make_talent(rita, first_name="Anna", last_name="Berg")

    names = exported_names(recruiter_client, ids_query(mine, hidden))
    page = recruiter_client.get(f"{EXPORT_URL}?{ids_query(mine, hidden)}").text

    assert names == ["Anna Berg"]
    assert "1 talent selected on the list." in page
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED).detail["count"] == 1


def test_the_audit_entry_says_it_was_a_selection_without_the_ids(
    recruiter_client: Client, rita: User
) -> None:
    picked = [make_talent(rita, city="Berlin"), make_talent(rita, city="Berlin")]

    recruiter_client.post(
        f"{EXPORT_URL}?city=Berlin&{ids_query(*picked)}", {"columns": ["name"], "format": "xlsx"}
    )

    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert entry.actor == rita
    assert entry.detail == {
        "what": "talent_list",
        "format": "xlsx",
        "columns": ["name"],
        "count": 2,
        "selection": True,
    }


def test_a_hand_made_selection_is_refused_rather_than_exporting_the_whole_list(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita)

    page = recruiter_client.get(f"{EXPORT_URL}?ids=abc")
    file = recruiter_client.post(f"{EXPORT_URL}?ids=abc", {"columns": ["name"], "format": "csv"})

    assert page.status_code == file.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).exists()


def test_viewers_may_neither_send_nor_export_a_selection(viewer_client: Client, rita: User) -> None:
    talent = make_talent(rita)

    sent = viewer_client.post(BULK_URL, {"action": "export", "ids": [talent.pk]})
    page = viewer_client.get(f"{EXPORT_URL}?ids={talent.pk}")

    assert sent.status_code == page.status_code == 403


def test_the_selection_keeps_the_lists_sort_order(recruiter_client: Client, rita: User) -> None:
    picked = [
        make_talent(rita, first_name="Anna", last_name=last) for last in ("Zeller", "Adler", "Moll")
    ]

    names = exported_names(recruiter_client, f"sort=name&{ids_query(*picked)}")

    assert names == ["Anna Adler", "Anna Moll", "Anna Zeller"]
