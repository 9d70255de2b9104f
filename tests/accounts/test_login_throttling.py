"""Login throttling: five failures for a username or from an address lock logins out."""

import datetime
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts import tasks
from silverpool.accounts.models import ApiToken, LoginFailure, User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN = reverse("accounts:login")
# 14:20 in Berlin: a lockout now lasts until 14:35 there.
NOW = datetime.datetime(2030, 1, 15, 14, 20, tzinfo=ZoneInfo("Europe/Berlin"))
LOCKED = "Too many failed login attempts. Please wait 15 minutes and try again (at 14:35)."


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def log_in(client: Client, username: str, password: str) -> "Response":
    return client.post(LOGIN, {"username": username, "password": password})


def error_of(response: "Response") -> str:
    match = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S)
    assert match, "the login page shows no error"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def fail(times: int, username: str = "rita", address: str = "10.0.0.1") -> "Response":
    responses = [log_in(Client(REMOTE_ADDR=address), username, "wrong guess") for _ in range(times)]
    return responses[-1]


def test_four_wrong_passwords_are_only_wrong_and_the_fifth_locks_with_a_clear_message(
    rita: User,
) -> None:
    fourth = fail(4)

    fifth = fail(1)

    assert fourth.status_code == 200
    assert "enter a correct username and password" in error_of(fourth)
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "900"
    assert error_of(fifth) == LOCKED


def test_a_locked_account_refuses_even_the_right_password_and_waiting_does_not_extend_it(
    rita: User, clock: time_machine.Traveller
) -> None:
    fail(5)
    clock.shift(datetime.timedelta(minutes=10))
    client = Client(REMOTE_ADDR="10.0.0.1")

    refused = log_in(client, "rita", "pw-rita-123")

    assert refused.status_code == 429
    assert "at 14:35" in error_of(refused)
    assert "_auth_user_id" not in client.session

    clock.shift(datetime.timedelta(minutes=5))

    accepted = log_in(client, "rita", "pw-rita-123")

    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(rita.pk)


def test_one_username_is_locked_from_every_address(rita: User, alice: User) -> None:
    for n in range(5):
        fail(1, "rita", f"10.0.1.{n}")
    elsewhere = Client(REMOTE_ADDR="10.0.2.1")

    rita_elsewhere = log_in(elsewhere, "rita", "pw-rita-123")
    alice_there = log_in(Client(REMOTE_ADDR="10.0.2.1"), "alice", "pw-alice-123")

    assert rita_elsewhere.status_code == 429
    assert alice_there.status_code == 302


def test_one_address_is_locked_for_every_username(rita: User, alice: User) -> None:
    for name in ("anna", "ben", "carl", "dora", "emil"):
        fail(1, name, "10.0.3.1")

    rita_there = log_in(Client(REMOTE_ADDR="10.0.3.1"), "rita", "pw-rita-123")
    rita_elsewhere = log_in(Client(REMOTE_ADDR="10.0.3.2"), "rita", "pw-rita-123")

    assert rita_there.status_code == 429
    assert rita_elsewhere.status_code == 302


def test_the_username_is_counted_whatever_its_case(rita: User) -> None:
    for name in ("rita", "Rita", "RITA", "rItA", "ritA"):
        fail(1, name, "10.0.4.1")

    assert log_in(Client(REMOTE_ADDR="10.0.4.2"), "rita", "pw-rita-123").status_code == 429


def test_a_successful_login_forgets_the_users_earlier_mistakes(rita: User) -> None:
    fail(4)
    assert log_in(Client(REMOTE_ADDR="10.0.0.2"), "rita", "pw-rita-123").status_code == 302

    fourth_again = fail(4, address="10.0.0.2")

    assert fourth_again.status_code == 200


def test_a_german_visitor_reads_the_lockout_in_german(rita: User) -> None:
    fail(4)

    german = Client(REMOTE_ADDR="10.0.0.1", headers={"accept-language": "de"})

    response = log_in(german, "rita", "wrong guess")

    assert response.status_code == 429
    assert error_of(response) == (
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen "
        "Sie es dann erneut (um 14:35 Uhr)."
    )


def test_behind_the_proxy_the_address_it_adds_is_counted_not_one_the_client_made_up(
    rita: User, alice: User, settings: Any
) -> None:
    settings.BEHIND_HTTPS_PROXY = True
    for n in range(5):
        # Each request claims another address, but the proxy saw them all from 203.0.113.7.
        Client(
            REMOTE_ADDR="10.9.9.9", headers={"x-forwarded-for": f"198.51.100.{n}, 203.0.113.7"}
        ).post(LOGIN, {"username": f"guess{n}", "password": "wrong guess"})

    same_client = Client(REMOTE_ADDR="10.9.9.9", headers={"x-forwarded-for": "203.0.113.7"})
    other_client = Client(REMOTE_ADDR="10.9.9.9", headers={"x-forwarded-for": "203.0.113.8"})

    assert log_in(same_client, "alice", "pw-alice-123").status_code == 429
    assert log_in(other_client, "alice", "pw-alice-123").status_code == 302


def test_failures_older_than_the_lockout_are_deleted_at_night(
    rita: User, clock: time_machine.Traveller
) -> None:
    fail(3)
    clock.shift(datetime.timedelta(minutes=16))
    fail(1, address="10.0.0.2")

    tasks.delete_old_login_failures.call()

    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == ["10.0.0.2"]


def test_an_api_token_is_too_long_and_random_to_guess(rita: User) -> None:
    # Tokens are not throttled: 256 random bits cannot be guessed one request at a time.
    _token, raw = ApiToken.issue(rita, "CRM sync")

    assert re.fullmatch(r"sp_[A-Za-z0-9_-]{43}", raw)
