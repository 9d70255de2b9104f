"""Who may call what in the JSON API: tokens, sessions and CSRF, roles, private pools.

The operations come from the OpenAPI document, so an endpoint added later is checked too.
"""

from typing import Any

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from silverpool.accounts.models import ApiToken, User
from silverpool.api import api as ninja_api
from silverpool.talents import services
from silverpool.talents.models import (
    Event,
    Note,
    Pool,
    PoolMembership,
    Tag,
    Talent,
    TalentTag,
)

from .factories import make_pool, make_tag, make_talent

UNSAFE = {"post", "put", "patch", "delete"}
# A valid body for every operation that takes one: a refusal is then about who asks.
BODIES: dict[str, dict[str, Any]] = {
    "create_talent": {"first_name": "Zoe"},
    "update_talent": {"city": "Leipzig"},
    "create_note": {"text": "Hello"},
    "update_note": {"text": "Changed"},
    "create_pool": {"name": "Brand new pool"},
    "update_pool": {"name": "Renamed pool"},
    "create_tag": {"name": "Brand new tag"},
    "update_tag": {"name": "Renamed tag"},
    "record_consent": {"given": ["talent_pool"], "note": "Said yes on the phone"},
    "set_legal_hold": {"reason": "Court case pending", "until": "2099-01-01"},
}
# Operations beyond a recruiter's role (legal holds), and reads of personal data that a
# viewer may not export.
ADMIN_ONLY = {"set_legal_hold", "lift_legal_hold"}
EDITOR_READS = {"export_talent"}


def _operations() -> list[tuple[str, str, str, bool]]:
    """(method, path template, operation id, has a body) for every documented operation."""
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    return [
        (method, path, op["operationId"], "requestBody" in op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


OPERATIONS = _operations()
UNSAFE_OPERATIONS = [op for op in OPERATIONS if op[0] in UNSAFE]
SAFE_OPERATIONS = [op for op in OPERATIONS if op[0] not in UNSAFE]


def _id(op: tuple[str, str, str, bool]) -> str:
    return op[2]


def token_client(user: User) -> Client:
    _token, raw = ApiToken.issue(user, "Script")
    return Client(headers={"authorization": f"Bearer {raw}"})


def call(client: Client, op: tuple[str, str, str, bool], ids: dict[str, int], **extra: Any) -> Any:
    method, path, operation_id, has_body = op
    url = path.format(**ids)
    if has_body:
        return getattr(client, method)(
            url, BODIES[operation_id], content_type="application/json", **extra
        )
    return getattr(client, method)(url, **extra)


def snapshot() -> dict[str, Any]:
    """What a refused request must leave alone."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Talent, Event, Note, Pool, PoolMembership, Tag, TalentTag)
    }


@pytest.fixture
def world(rita: User) -> dict[str, int]:
    """A talent with a note, in a pool, with a tag: ids for every path parameter."""
    pool, tag = make_pool("Backend"), make_tag("Remote")
    talent = make_talent(rita, pools=[pool], tags=[tag])
    note = services.add_note(talent, "Called", author=rita)
    return {"talent_id": talent.pk, "pool_id": pool.pk, "tag_id": tag.pk, "note_id": note.pk}


def test_every_operation_with_a_body_has_a_valid_body_in_these_tests() -> None:
    with_body = {op[2] for op in OPERATIONS if op[3]}

    assert with_body == set(BODIES)


# ---- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_every_operation_answers_401_without_credentials(
    world: dict[str, int], op: tuple[str, str, str, bool]
) -> None:
    before = snapshot()

    response = call(Client(), op, world)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert snapshot() == before


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_every_operation_answers_401_with_a_revoked_token(
    world: dict[str, int], rita: User, op: tuple[str, str, str, bool]
) -> None:
    token, raw = ApiToken.issue(rita, "Old script")
    token.revoke()

    response = call(Client(headers={"authorization": f"Bearer {raw}"}), op, world)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer sp_not-a-real-token", "Bearer ", "Basic cml0YTpwdw==", "sp_abc", "Bearer \x7f"],
)
def test_a_wrong_or_malformed_authorization_header_answers_401(db: None, header: str) -> None:
    response = Client(headers={"authorization": header}).get("/api/v1/talents")

    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_answers_401(rita: User) -> None:
    client = token_client(rita)
    rita.is_active = False
    rita.save()

    response = client.get("/api/v1/talents")

    assert response.status_code == 401


def test_using_a_token_records_when_it_was_last_used(rita: User) -> None:
    token, raw = ApiToken.issue(rita, "Script")

    Client(headers={"authorization": f"Bearer {raw}"}).get("/api/v1/talents")

    token.refresh_from_db()
    assert token.last_used_at is not None


# ---- sessions and CSRF ----------------------------------------------------------------------


@pytest.mark.parametrize("op", UNSAFE_OPERATIONS, ids=_id)
def test_every_unsafe_operation_refuses_a_session_without_the_csrf_token(
    world: dict[str, int], rita: User, op: tuple[str, str, str, bool]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita)
    before = snapshot()

    response = call(client, op, world)

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert snapshot() == before


def test_a_session_with_the_csrf_token_may_write(rita: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita)
    request = RequestFactory().get("/")
    masked = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]

    response = client.post(
        "/api/v1/talents",
        {"first_name": "Zoe"},
        content_type="application/json",
        headers={"x-csrftoken": masked},
    )

    assert response.status_code == 201
    assert Talent.objects.get().first_name == "Zoe"


def test_a_session_reads_without_the_csrf_token(rita: User, world: dict[str, int]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rita)

    response = client.get("/api/v1/talents")

    assert response.status_code == 200
    assert response.json()["total"] == 1


# ---- roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("op", SAFE_OPERATIONS, ids=_id)
def test_a_viewer_may_read_everything_but_exports(
    world: dict[str, int], victor: User, op: tuple[str, str, str, bool]
) -> None:
    response = call(token_client(victor), op, world)

    assert response.status_code == (403 if op[2] in EDITOR_READS else 200)


@pytest.mark.parametrize("op", UNSAFE_OPERATIONS, ids=_id)
def test_a_viewer_may_change_nothing(
    world: dict[str, int], victor: User, op: tuple[str, str, str, bool]
) -> None:
    client = token_client(victor)
    before = snapshot()

    response = call(client, op, world)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert snapshot() == before


@pytest.mark.parametrize("op", UNSAFE_OPERATIONS, ids=_id)
def test_a_recruiter_may_change_everything_but_legal_holds(
    world: dict[str, int], rita: User, op: tuple[str, str, str, bool]
) -> None:
    response = call(token_client(rita), op, world)

    if op[2] in ADMIN_ONLY:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 201, 204), response.content


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op[2] in ADMIN_ONLY], ids=_id)
def test_an_admin_sets_and_lifts_legal_holds(
    world: dict[str, int], alice: User, op: tuple[str, str, str, bool]
) -> None:
    response = call(token_client(alice), op, world)

    assert response.status_code == 200


def test_a_recruiter_may_not_change_another_users_note(
    world: dict[str, int], alice: User, rita: User
) -> None:
    talent = Talent.objects.get(pk=world["talent_id"])
    note = services.add_note(talent, "Alice's note", author=alice)
    url = f"/api/v1/talents/{talent.pk}/notes/{note.pk}"
    client = token_client(rita)

    edited = client.patch(url, {"text": "Rita was here"}, content_type="application/json")
    deleted = client.delete(url)

    assert (edited.status_code, deleted.status_code) == (403, 403)
    note.refresh_from_db()
    assert note.text == "Alice's note"


def test_an_admin_may_change_any_note(world: dict[str, int], alice: User) -> None:
    url = f"/api/v1/talents/{world['talent_id']}/notes/{world['note_id']}"

    response = token_client(alice).patch(url, {"text": "Tidied"}, content_type="application/json")

    assert response.status_code == 200
    assert Note.objects.get(pk=world["note_id"]).text == "Tidied"


# ---- private pools: what a user may not see answers 404 -------------------------------------


@pytest.fixture
def hidden(alice: User) -> dict[str, int]:
    """A talent only in a private pool rita is not a member of, with a note and a tag."""
    secret, tag = make_pool("Board", is_private=True), make_tag("Executive")
    talent = make_talent(alice, pools=[secret], tags=[tag])
    note = services.add_note(talent, "Confidential", author=alice)
    return {"talent_id": talent.pk, "pool_id": secret.pk, "tag_id": tag.pk, "note_id": note.pk}


TALENT_OPERATIONS = [op for op in OPERATIONS if "{talent_id}" in op[1]]
POOL_OPERATIONS = [op for op in OPERATIONS if "{pool_id}" in op[1]]


@pytest.mark.parametrize("op", TALENT_OPERATIONS, ids=_id)
def test_a_talent_in_a_private_pool_answers_404_to_a_non_member(
    hidden: dict[str, int], rita: User, world: dict[str, int], op: tuple[str, str, str, bool]
) -> None:
    # The pool and tag in the path are ones rita may use: only the talent is hidden.
    ids = {**hidden, "pool_id": world["pool_id"], "tag_id": world["tag_id"]}
    before = snapshot()

    response = call(token_client(rita), op, ids)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize("op", POOL_OPERATIONS, ids=_id)
def test_a_private_pool_answers_404_to_a_non_member(
    hidden: dict[str, int], rita: User, world: dict[str, int], op: tuple[str, str, str, bool]
) -> None:
    ids = {**world, "pool_id": hidden["pool_id"]}
    before = snapshot()

    response = call(token_client(rita), op, ids)

    assert response.status_code == 404
    assert snapshot() == before


def test_a_member_and_an_admin_see_the_private_talent(
    hidden: dict[str, int], rita: User, alice: User
) -> None:
    Pool.objects.get(pk=hidden["pool_id"]).members.add(rita)
    url = f"/api/v1/talents/{hidden['talent_id']}"

    as_member = token_client(rita).get(url)
    as_admin = token_client(alice).get(url)

    assert (as_member.status_code, as_admin.status_code) == (200, 200)


def test_lists_leave_out_what_a_user_may_not_see(
    hidden: dict[str, int], world: dict[str, int], rita: User, alice: User
) -> None:
    rita_client, alice_client = token_client(rita), token_client(alice)

    talents = rita_client.get("/api/v1/talents").json()
    pools = rita_client.get("/api/v1/pools", {"page_size": 200}).json()
    all_talents = alice_client.get("/api/v1/talents").json()

    assert [t["id"] for t in talents["items"]] == [world["talent_id"]]
    assert talents["total"] == 1
    assert hidden["pool_id"] not in [p["id"] for p in pools["items"]]
    assert all_talents["total"] == 2


# ---- documentation --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_documentation_is_not_public(db: None, path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_logged_in_user_reads_the_openapi_document(viewer_client: Client) -> None:
    response = viewer_client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/talents" in response.json()["paths"]


def test_a_logged_in_user_opens_the_interactive_docs(viewer_client: Client) -> None:
    response = viewer_client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_an_api_token_fetches_the_openapi_document(victor: User) -> None:
    response = token_client(victor).get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Silverpool API"
