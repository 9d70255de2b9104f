"""Schemathesis over the OpenAPI document: no request, however malformed, gets a 500.

Every operation is called in-process through the WSGI application against the test
database, as a recruiter with a real API token, so writes get past the role checks and
reach the services. The document is built by the API itself at import time (schemathesis'
lazy `from_fixture` loader does not work with pytest 9), and a test checks that it is
exactly what a logged-in client fetches from /api/v1/openapi.json.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from silverpool.accounts.models import ApiToken, User
from silverpool.api import api
from silverpool.talents import services

from .conftest import logged_in
from .talents.factories import make_pool, make_tag, make_talent

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")
# The coverage phase (every boundary value of every parameter, ~300 requests for the
# larger operations) passes too, but takes minutes; the suite runs the bounded fuzzing phase.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(dict(DOCUMENT), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture
def api_token(rita: User) -> str:
    _token, raw = ApiToken.issue(rita, "Schemathesis")
    return raw


@pytest.fixture
def known_ids(rita: User, alice: User) -> dict[str, list[int]]:
    """Rows for generated ids to land on, so that fuzzed bodies get past the 404 and reach
    the services. One talent and one pool are private: rita gets a 404 for them."""
    pool, tag = make_pool("Backend"), make_tag("Remote")
    secret = make_pool("Board", is_private=True)
    talents = [make_talent(alice, pools=[secret])]
    notes = []
    for n in range(3):
        talent = make_talent(rita, pools=[pool], tags=[tag], city="Köln", skills=["Python"])
        talents.append(talent)
        notes.append(services.add_note(talent, f"Note {n}", author=rita))
    return {
        "talent_id": [t.pk for t in talents],
        "pool_id": [pool.pk, secret.pk],
        "tag_id": [tag.pk],
        "note_id": [n.pk for n in notes],
    }


@pytest.fixture
def _keep_connection() -> Iterator[None]:
    """Keep the test transaction's connection across requests, as Django's test client does.

    Outside the test client, Django closes a connection it finds in a transaction when a
    request starts or ends, which would lose the test database on PostgreSQL.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_fuzzed_document_is_the_one_served_to_logged_in_users(rita: User) -> None:
    response = logged_in(rita).get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == schema.raw_schema


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    # The database fixtures are function-scoped on purpose: every example of one operation
    # runs in the same test transaction and sees what earlier examples created.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.usefixtures("_keep_connection")
def test_no_request_gets_a_server_error(
    case: schemathesis.Case[Any], api_token: str, known_ids: dict[str, list[int]]
) -> None:
    # Integer ids go to real rows; anything else (text, floats) is sent as generated.
    for name, value in case.path_parameters.items():
        if isinstance(value, int) and not isinstance(value, bool) and name in known_ids:
            choices = known_ids[name]
            case.path_parameters[name] = choices[value % len(choices)]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"},
        checks=[schemathesis.checks.not_a_server_error],
    )
