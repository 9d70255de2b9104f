"""Data-subject requests: registered with a due date one month out, flagged when due soon
or overdue, extended once with a reason, closed as done or refused."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import ConsentRecord, DataSubjectRequest, LegalBasis
from silverpool.privacy.services import dsr
from silverpool.talents import services as talent_services
from silverpool.talents.models import Talent
from tests.conftest import logged_in
from tests.talents.factories import make_talent

REQUESTS = reverse("privacy:requests")
CREATE = reverse("privacy:request-create")
Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status
# Noon in Berlin, in winter time.
NOON = datetime.datetime(2026, 1, 15, 11, tzinfo=datetime.UTC)


def register(
    client: Client, *, received_on: str = "2026-01-15", kind: str = "access", **fields: object
) -> DataSubjectRequest:
    data = {"kind": kind, "channel": "email", "received_on": received_on, "note": "", **fields}
    client.post(CREATE, data)
    request = DataSubjectRequest.objects.order_by("-id").first()
    assert request is not None
    return request


def new_request(
    talent: Talent | None, *, received_on: datetime.date, kind: str = Kind.ACCESS
) -> DataSubjectRequest:
    return dsr.open_request(
        kind=Kind(kind),
        received_on=received_on,
        channel=DataSubjectRequest.Channel.EMAIL,
        talent=talent,
        actor=None,
    )


def detail_url(request: DataSubjectRequest) -> str:
    return reverse("privacy:request-detail", args=[request.pk])


def test_viewers_cannot_see_or_handle_requests(viewer_client: Client, rita: User) -> None:
    request = new_request(make_talent(rita), received_on=datetime.date(2026, 1, 15))
    urls = [REQUESTS, CREATE, detail_url(request)]

    for url in urls:
        assert viewer_client.get(url).status_code == 403
    for name in ("privacy:request-extend", "privacy:request-close"):
        response = viewer_client.post(
            reverse(name, args=[request.pk]), {"months": 2, "reason": "x", "status": "done"}
        )
        assert response.status_code == 403
    assert viewer_client.post(CREATE, {"kind": "access"}).status_code == 403
    request.refresh_from_db()
    assert (request.status, request.extension_reason) == (Status.OPEN, "")


@pytest.mark.parametrize("client_name", ["recruiter_client", "admin_client"])
def test_recruiters_and_admins_handle_requests(
    client_name: str, request: pytest.FixtureRequest, rita: User
) -> None:
    client: Client = request.getfixturevalue(client_name)
    item = new_request(make_talent(rita), received_on=datetime.date(2026, 1, 15))

    assert client.get(REQUESTS).status_code == 200
    assert client.get(CREATE).status_code == 200
    assert client.get(detail_url(item)).status_code == 200


def test_a_request_is_due_one_month_after_it_was_received(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita, email="lena@example.com")

    with time_machine.travel(datetime.datetime(2026, 2, 3, 9, tzinfo=datetime.UTC), tick=False):
        by_id = register(recruiter_client, received_on="2026-01-31", talent_id=talent.pk)
        by_email = register(
            recruiter_client, received_on="2026-01-15", kind="erasure", email="LENA@example.com"
        )
        nobody = register(recruiter_client, received_on="2026-02-03", note="Unknown caller")

    assert (by_id.talent, by_id.due_on) == (talent, datetime.date(2026, 2, 28))
    assert (by_email.talent, by_email.kind, by_email.due_on) == (
        talent,
        Kind.ERASURE,
        datetime.date(2026, 2, 15),
    )
    assert (nobody.talent, nobody.due_on, nobody.note) == (
        None,
        datetime.date(2026, 3, 3),
        "Unknown caller",
    )
    assert by_id.created_by == User.objects.get(username="rita")
    assert by_id.talent_ref == talent.pk


def test_registering_reports_an_unknown_talent_and_a_future_date(
    recruiter_client: Client,
) -> None:
    with time_machine.travel(NOON, tick=False):
        unknown_id = recruiter_client.post(
            CREATE,
            {"kind": "access", "channel": "email", "received_on": "2026-01-15", "talent_id": 9999},
        )
        unknown_email = recruiter_client.post(
            CREATE,
            {
                "kind": "access",
                "channel": "email",
                "received_on": "2026-01-15",
                "email": "ghost@example.com",
            },
        )
        future = recruiter_client.post(
            CREATE, {"kind": "access", "channel": "email", "received_on": "2026-01-16"}
        )

    assert "No talent with this id." in unknown_id.content.decode()
    assert "No talent with this email address." in unknown_email.content.decode()
    assert "A request cannot be received in the future." in future.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_a_recruiter_cannot_find_a_talent_of_a_private_pool_they_are_not_in(
    alice: User, rita: User
) -> None:
    robert = User.objects.create_user("robert", "robert@example.com", "pw-robert-123")
    pool = talent_services.save_pool(
        None, name="Executive search", is_private=True, members=[rita], actor=alice
    )
    ceo = make_talent(rita, first_name="Clara", last_name="Vorstand", email="clara@example.com")
    talent_services.add_to_pool(ceo, pool, actor=rita)
    new_request(ceo, received_on=datetime.date(2026, 1, 15))

    with time_machine.travel(NOON, tick=False):
        response = logged_in(robert).post(
            CREATE,
            {
                "kind": "access",
                "channel": "email",
                "received_on": "2026-01-15",
                "email": "clara@example.com",
            },
        )
        listed = logged_in(robert).get(REQUESTS).content.decode()
        member_list = logged_in(rita).get(REQUESTS).content.decode()

    assert "No talent with this email address." in response.content.decode()
    assert DataSubjectRequest.objects.count() == 1
    # The request stays on the list (it must be answered) but without the name.
    assert f"#{ceo.pk}" in listed
    assert "Clara" not in listed
    assert "Clara Vorstand" in member_list


def test_the_list_shows_open_requests_by_due_date_and_flags_the_urgent_ones(
    recruiter_client: Client, rita: User
) -> None:
    later = new_request(make_talent(rita), received_on=datetime.date(2026, 1, 14))
    overdue = new_request(None, received_on=datetime.date(2025, 12, 1))
    soon = new_request(None, received_on=datetime.date(2025, 12, 20))
    done = new_request(None, received_on=datetime.date(2025, 11, 1))
    dsr.close_request(done, status=Status.DONE, actor=rita)

    with time_machine.travel(NOON, tick=False):
        response = recruiter_client.get(REQUESTS)

    rows = response.context["rows"]
    assert [(item, urgency) for item, urgency in rows] == [
        (overdue, dsr.Urgency.OVERDUE),
        (soon, dsr.Urgency.DUE_SOON),
        (later, dsr.Urgency.ON_TIME),
    ]
    html = response.content.decode()
    assert html.count('class="overdue"') == 1
    assert html.count('class="due-soon"') == 1
    assert "due in ≤ 7 days" in html


def test_overdue_is_decided_by_the_local_date(rita: User) -> None:
    request = new_request(None, received_on=datetime.date(2026, 1, 1))
    assert request.due_on == datetime.date(2026, 2, 1)

    # 23:30 UTC on 1 February is already 2 February in Berlin.
    with time_machine.travel(datetime.datetime(2026, 2, 1, 22, 59, tzinfo=datetime.UTC)):
        before = dsr.overdue_count()
    with time_machine.travel(datetime.datetime(2026, 2, 1, 23, 30, tzinfo=datetime.UTC)):
        after = dsr.overdue_count()
        html = logged_in(rita).get(REQUESTS).content.decode()

    assert (before, after) == (0, 1)
    assert 'class="overdue"' in html


def test_the_menu_warns_recruiters_of_overdue_requests(rita: User, victor: User) -> None:
    new_request(None, received_on=datetime.date(2026, 1, 1))
    menu_link = f'href="{reverse("privacy:overview")}"'

    with time_machine.travel(datetime.datetime(2026, 1, 31, 12, tzinfo=datetime.UTC)):
        in_time = logged_in(rita).get(reverse("talents:talent-list")).content.decode()
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC)):
        late = logged_in(rita).get(reverse("talents:talent-list")).content.decode()
        viewer = logged_in(victor).get(reverse("talents:talent-list")).content.decode()

    assert menu_link in in_time
    assert "badge-warning" not in in_time
    assert "badge-warning" in late
    assert '1<span class="visually-hidden"> overdue</span>' in late
    assert menu_link not in viewer


def test_an_extension_needs_a_reason(recruiter_client: Client) -> None:
    request = new_request(None, received_on=datetime.date(2026, 1, 15))
    url = reverse("privacy:request-extend", args=[request.pk])

    response = recruiter_client.post(url, {"months": 2, "reason": "   "})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    request.refresh_from_db()
    assert (request.due_on, request.extension_reason) == (datetime.date(2026, 2, 15), "")


def test_a_request_is_extended_once_by_up_to_two_months(recruiter_client: Client) -> None:
    request = new_request(None, received_on=datetime.date(2026, 1, 15))
    url = reverse("privacy:request-extend", args=[request.pk])

    too_long = recruiter_client.post(url, {"months": 3, "reason": "Many documents"})
    recruiter_client.post(url, {"months": 2, "reason": "Many documents to collect"})
    again = recruiter_client.post(url, {"months": 1, "reason": "Still more"}, follow=True)

    assert too_long.status_code == 422
    request.refresh_from_db()
    assert request.due_on == datetime.date(2026, 4, 15)
    assert request.extension_reason == "Many documents to collect"
    assert "This request cannot be extended (again)." in again.content.decode()
    assert 'id="extend"' not in again.content.decode()


def test_closing_a_request_moves_it_to_the_closed_list(
    recruiter_client: Client, rita: User
) -> None:
    request = new_request(None, received_on=datetime.date(2026, 1, 15))

    response = recruiter_client.post(
        reverse("privacy:request-close", args=[request.pk]),
        {"status": "refused", "note": "Identity could not be verified."},
        follow=True,
    )

    request.refresh_from_db()
    assert "Request closed." in response.content.decode()
    assert (request.status, request.closed_by) == (Status.REFUSED, rita)
    assert "Identity could not be verified." in request.note
    assert response.context["rows"] == []
    closed = recruiter_client.get(REQUESTS + "?show=closed")
    assert [item for item, _ in closed.context["rows"]] == [request]
    assert "Refused" in closed.content.decode()


def test_closing_needs_an_outcome_and_happens_once(recruiter_client: Client, rita: User) -> None:
    request = new_request(None, received_on=datetime.date(2026, 1, 15))
    url = reverse("privacy:request-close", args=[request.pk])

    missing = recruiter_client.post(url, {"note": "?"})
    recruiter_client.post(url, {"status": "done"})
    twice = recruiter_client.post(url, {"status": "refused"}, follow=True)

    assert missing.status_code == 422
    request.refresh_from_db()
    assert request.status == Status.DONE
    assert "This request is already closed." in twice.content.decode()


def test_a_granted_objection_can_withdraw_all_consents(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)
    objection = new_request(talent, received_on=datetime.date(2026, 1, 15), kind=Kind.OBJECTION)
    page = recruiter_client.get(detail_url(objection)).content.decode()

    response = recruiter_client.post(
        reverse("privacy:request-close", args=[objection.pk]),
        {"status": "done", "withdraw_all": "on"},
        follow=True,
    )

    assert "Withdraw all consents of this talent" in page
    assert "All consents of the talent were withdrawn." in response.content.decode()
    basis = LegalBasis.objects.get(talent=talent)
    assert basis.state == LegalBasis.State.WITHDRAWN
    withdrawn = ConsentRecord.objects.filter(
        talent=talent, decision=ConsentRecord.Decision.WITHDRAWN
    )
    assert sorted(withdrawn.values_list("purpose__key", flat=True)) == [
        "email_campaigns",
        "talent_pool",
    ]
    assert {record.recorded_by for record in withdrawn} == {rita}


def test_a_refused_objection_withdraws_nothing(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita)
    objection = new_request(talent, received_on=datetime.date(2026, 1, 15), kind=Kind.OBJECTION)

    response = recruiter_client.post(
        reverse("privacy:request-close", args=[objection.pk]),
        {"status": "refused", "withdraw_all": "on"},
    )

    assert response.status_code == 422
    assert "Consents are withdrawn only when the objection is done." in response.content.decode()
    assert LegalBasis.objects.get(talent=talent).state == LegalBasis.State.AWAITING_CONSENT
    assert not ConsentRecord.objects.filter(talent=talent).exists()


def test_only_an_objection_offers_to_withdraw_consent(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita)
    access = new_request(talent, received_on=datetime.date(2026, 1, 15))

    page = recruiter_client.get(detail_url(access)).content.decode()
    recruiter_client.post(
        reverse("privacy:request-close", args=[access.pk]),
        {"status": "done", "withdraw_all": "on"},
    )

    assert "Withdraw all consents" not in page
    assert not ConsentRecord.objects.filter(talent=talent).exists()
