import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silverpool.accounts.models import ApiToken, User, hash_token


def raw_key_in(html: str) -> str:
    match = re.search(r'value="(sp_[^"]+)"', html)
    assert match, "the new token is not on the page"
    return match.group(1)


@pytest.mark.parametrize("client_fixture", ["admin_client", "recruiter_client", "viewer_client"])
def test_every_role_can_create_a_token_and_sees_it_once(
    request: pytest.FixtureRequest, client_fixture: str
) -> None:
    client: Client = request.getfixturevalue(client_fixture)

    created = client.post(reverse("accounts:token-list"), {"name": "Careers site"})
    later = client.get(reverse("accounts:token-list"))

    raw = raw_key_in(created.content.decode())
    token = ApiToken.objects.get()
    assert created.status_code == 200
    assert "shown only this once" in created.content.decode()
    assert token.name == "Careers site"
    assert token.key_hash == hash_token(raw)
    assert raw not in later.content.decode()
    assert token.hint in later.content.decode()


def test_the_page_with_a_new_token_is_never_cached(recruiter_client: Client) -> None:
    response = recruiter_client.post(reverse("accounts:token-list"), {"name": "Script"})

    assert "no-store" in response["Cache-Control"]


def test_a_token_needs_a_name(recruiter_client: Client) -> None:
    response = recruiter_client.post(reverse("accounts:token-list"), {"name": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_list_shows_only_the_users_own_tokens(
    rita: User, victor: User, recruiter_client: Client
) -> None:
    ApiToken.issue(rita, "Rita's import")
    ApiToken.issue(victor, "Victor's dashboard")

    html = recruiter_client.get(reverse("accounts:token-list")).content.decode()

    assert "Rita&#x27;s import" in html
    assert "Victor" not in html.split("</header>")[1]


def test_revoking_a_token_stops_it_and_shows_it_as_revoked(
    rita: User, recruiter_client: Client
) -> None:
    token, _raw = ApiToken.issue(rita, "Old script")

    response = recruiter_client.post(reverse("accounts:token-revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Token “Old script” revoked." in response.content.decode()
    assert "Revoked on" in response.content.decode()


def test_revoking_needs_a_post(rita: User, recruiter_client: Client) -> None:
    token, _raw = ApiToken.issue(rita, "Old script")

    response = recruiter_client.get(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.is_active


def test_another_users_token_cannot_be_revoked_and_answers_not_found(
    alice: User, recruiter_client: Client
) -> None:
    token, _raw = ApiToken.issue(alice, "Alice's token")

    response = recruiter_client.post(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_with_htmx_only_the_tokens_block_comes_back(recruiter_client: Client) -> None:
    response = recruiter_client.post(
        reverse("accounts:token-list"), {"name": "Via htmx"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="tokens">')
    assert "<html" not in html
    assert raw_key_in(html).startswith("sp_")


def test_revoking_with_htmx_returns_the_updated_block(rita: User, recruiter_client: Client) -> None:
    token, _raw = ApiToken.issue(rita, "Old script")

    response = recruiter_client.post(
        reverse("accounts:token-revoke", args=[token.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Revoked on" in html


def test_a_token_records_its_use_at_most_once_a_minute(rita: User) -> None:
    token, raw = ApiToken.issue(rita, "Script")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    start = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)

    with time_machine.travel(start, tick=False):
        client.get("/api/v1/statuses")
    with (
        time_machine.travel(start + datetime.timedelta(seconds=59), tick=False),
        CaptureQueriesContext(connection) as soon_after,
    ):
        response = client.get("/api/v1/statuses")
    token.refresh_from_db()
    recorded_soon_after = token.last_used_at
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        client.get("/api/v1/statuses")
    token.refresh_from_db()

    assert response.status_code == 200
    assert recorded_soon_after == start
    assert not [q for q in soon_after.captured_queries if "UPDATE" in q["sql"]]
    assert token.last_used_at == start + datetime.timedelta(seconds=61)
