"""The audit log: profile and document reads are logged, the page filters and pages the
log, and the CSV export cannot run formulas in a spreadsheet."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.privacy.models import AuditEntry
from silverpool.privacy.services import audit
from silverpool.talents import services
from tests.conftest import logged_in
from tests.talents.factories import make_talent
from tests.talents.test_documents import stored_document

AUDIT = reverse("privacy:audit")
EXPORT = reverse("privacy:audit-export")
NOON = datetime.datetime(2026, 5, 4, 12, tzinfo=datetime.UTC)


def views_of(talent_id: int) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(talent_id=talent_id, action=AuditEntry.Action.VIEWED)
    return [(str(e.actor), e.detail["what"]) for e in entries.select_related("actor")]


def export_rows(client: Client, query: str = "") -> list[list[str]]:
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def at(moment: datetime.datetime, **kwargs: object) -> AuditEntry:
    entry = audit(**kwargs)  # type: ignore[arg-type]
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=moment)
    return entry


@pytest.mark.parametrize("url", [AUDIT, EXPORT])
def test_only_admins_see_and_export_the_audit_log(
    url: str, admin_client: Client, recruiter_client: Client, viewer_client: Client
) -> None:
    assert admin_client.get(url).status_code == 200
    assert recruiter_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_opening_a_profile_is_logged_once_per_ten_minutes(rita: User, victor: User) -> None:
    talent = make_talent(rita)
    url = reverse("talents:talent-detail", args=[talent.pk])

    with time_machine.travel(NOON, tick=False):
        logged_in(victor).get(url)
        logged_in(victor).get(url)
        logged_in(rita).get(url)
    with time_machine.travel(NOON + datetime.timedelta(minutes=9), tick=False):
        logged_in(victor).get(url)
    with time_machine.travel(NOON + datetime.timedelta(minutes=11), tick=False):
        logged_in(victor).get(url)

    assert views_of(talent.pk) == [
        ("Victor", "profile"),
        ("Rita", "profile"),
        ("Victor", "profile"),
    ]


def test_a_page_fragment_refresh_is_not_a_new_read(rita: User, recruiter_client: Client) -> None:
    talent = make_talent(rita)

    recruiter_client.get(
        reverse("talents:talent-detail", args=[talent.pk]) + "?fragment=timeline",
        headers={"HX-Request": "true"},
    )

    assert views_of(talent.pk) == []


def test_a_profile_the_user_may_not_see_is_not_logged(viewer_client: Client) -> None:
    assert viewer_client.get(reverse("talents:talent-detail", args=[999_999])).status_code == 404

    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEWED).exists()


def test_downloading_a_document_is_logged(rita: User, viewer_client: Client) -> None:
    talent = make_talent(rita)
    document = stored_document(talent, rita)

    response = viewer_client.get(reverse("talents:document-download", args=[document.pk]))

    assert response.status_code == 200
    assert views_of(talent.pk) == [("Victor", "document")]


def test_the_page_shows_the_newest_entries_first_fifty_per_page(
    admin_client: Client, alice: User
) -> None:
    for number in range(60):
        at(
            NOON + datetime.timedelta(minutes=number),
            actor=alice,
            action="viewed",
            talent_id=number,
        )

    first = admin_client.get(AUDIT)
    second = admin_client.get(AUDIT + "?page=2")

    first_ids = [entry.talent_id for entry in first.context["page"]]
    assert first_ids == list(range(59, 9, -1))
    assert [entry.talent_id for entry in second.context["page"]] == list(range(9, -1, -1))
    assert "60 entries" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()


def test_the_log_filters_by_talent_actor_action_and_date(
    admin_client: Client, alice: User, rita: User
) -> None:
    talent = make_talent(rita)
    day = NOON.date()
    at(NOON, actor=rita, action="viewed", talent_id=talent.pk)
    at(NOON, actor=alice, action="viewed", talent_id=talent.pk)
    at(NOON, actor=rita, action="exported", talent_id=talent.pk)
    at(NOON, actor=rita, action="viewed", talent_id=talent.pk + 1)
    at(NOON - datetime.timedelta(days=3), actor=rita, action="viewed", talent_id=talent.pk)
    at(NOON, actor=None, actor_label="System", action="erased", talent_id=talent.pk)
    query = (
        f"?talent={talent.pk}&actor={rita.pk}&action=viewed"
        f"&since={day.isoformat()}&until={day.isoformat()}"
    )

    page = admin_client.get(AUDIT + query).context["page"]
    by_label = admin_client.get(AUDIT + "?actor=label:System").context["page"]

    assert [(e.actor, e.action, e.created_at.date()) for e in page] == [(rita, "viewed", day)]
    assert [e.action for e in by_label] == ["erased"]


def test_a_day_in_the_filter_is_the_local_day(admin_client: Client, alice: User) -> None:
    # 23:30 UTC on 3 May is 01:30 on 4 May in Berlin.
    late = datetime.datetime(2026, 5, 3, 23, 30, tzinfo=datetime.UTC)
    at(late, actor=alice, action="viewed", talent_id=1)

    on_4th = admin_client.get(AUDIT + "?since=2026-05-04&until=2026-05-04").context["page"]
    on_3rd = admin_client.get(AUDIT + "?until=2026-05-03").context["page"]

    assert timezone.localtime(late).date() == datetime.date(2026, 5, 4)
    assert len(on_4th) == 1
    assert len(on_3rd) == 0


def test_an_invalid_filter_value_is_ignored(admin_client: Client, alice: User) -> None:
    at(NOON, actor=alice, action="viewed", talent_id=1)

    response = admin_client.get(AUDIT + "?talent=abc&since=yesterday")

    assert response.status_code == 200
    assert len(response.context["page"]) == 1


def test_the_csv_export_holds_the_filtered_entries(admin_client: Client, alice: User) -> None:
    at(NOON, actor=alice, action="viewed", talent_id=7, what="profile")
    at(NOON, actor=alice, action="exported", talent_id=7)
    at(NOON, actor=alice, action="viewed", talent_id=8, what="document")

    rows = export_rows(admin_client, "?talent=7&action=viewed")

    assert rows == [
        ["time", "actor", "action", "talent_id", "detail"],
        ["2026-05-04T14:00:00+02:00", "Alice (alice)", "viewed", "7", '{"what": "profile"}'],
    ]


def test_the_csv_export_neutralises_spreadsheet_formulas(admin_client: Client) -> None:
    evil = User.objects.create_user("=cmd|' /C calc'!A0", first_name="", role=User.Role.RECRUITER)
    at(NOON, actor=evil, action="viewed", talent_id=1)
    for label in ("@SUM(1+1)", "+1", "-1", "\tTAB", "\rCR", "System"):
        at(NOON, actor=None, actor_label=label, action="erased", talent_id=2)

    rows = export_rows(admin_client)

    actors = sorted(row[1] for row in rows[1:])
    assert actors == sorted(
        [
            "'=cmd|' /C calc'!A0 (=cmd|' /C calc'!A0)",
            "'@SUM(1+1)",
            "'+1",
            "'-1",
            "'\tTAB",
            "'\rCR",
            "System",
        ]
    )


def test_the_export_link_keeps_the_filters(admin_client: Client) -> None:
    html = admin_client.get(AUDIT + "?action=erased&talent=5").content.decode()

    assert f"{EXPORT}?action=erased&amp;talent=5" in html


def test_details_read_as_words_not_as_python_lists(admin_client: Client, alice: User) -> None:
    at(NOON, actor=alice, action="consent", talent_id=7, given=["talent_pool", "email_campaigns"])

    html = admin_client.get(AUDIT).content.decode()

    assert "<code>given</code>: talent_pool, email_campaigns" in html
    assert "[" not in html.split("<code>given</code>")[1].split("</td>")[0]


def test_a_changed_field_is_logged_by_name_without_its_value(rita: User) -> None:
    talent = make_talent(rita, city="Leipzig")

    services.update_talent(talent, {"city": "Dresden"}, actor=rita)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGED, talent_id=talent.pk)
    assert (entry.actor, entry.detail) == (rita, {"fields": ["city"]})
    assert "Dresden" not in str(entry.detail)


def test_deleting_a_talent_keeps_an_audit_entry_with_counts_only(rita: User) -> None:
    talent = make_talent(rita, first_name="Ida", last_name="Brandt")
    services.add_note(talent, "Called, very keen", author=rita)

    services.delete_talent(talent, actor=rita)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETED)
    assert (entry.actor, entry.talent_id) == (rita, talent.pk)
    assert entry.detail["notes"] == 1
    assert "Ida" not in str(entry.detail)
