"""Shared fixtures: alice the admin, rita the recruiter, victor the viewer; a real SMTP
server for tests of what talents receive."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from silverpool.accounts.models import User
from silverpool.talents.models import Status

from .mailserver import MailServer, running_mail_server


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    """Tasks run at once in tests; uploaded files go to a temporary directory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The migrations that seed rows (statuses, pools and tags; the privacy policy, purposes
# and consent texts; the starter forms), and their functions, which leave existing rows
# alone.
SEEDING_MIGRATIONS = [
    ("silverpool.talents.migrations.0003_defaults", "forward"),
    ("silverpool.privacy.migrations.0002_defaults", "forwards"),
    ("silverpool.webforms.migrations.0002_starter_forms", "forwards"),
    ("silverpool.webforms.migrations.0004_form_headings_submission_once", "forwards"),
]


@pytest.fixture(autouse=True)
def _seeded_rows(request: pytest.FixtureRequest) -> None:
    """A transactional test (every browser test is one: the live server) empties the whole
    database when it ends, seeded rows included; put them back for the next one. The
    seeding functions leave existing rows alone, so this holds whatever ran before."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English: a view that switched this thread to a user's language
    (as the middleware does per request) must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user(
        "alice", "alice@example.com", "pw-alice-123", first_name="Alice", role=User.Role.ADMIN
    )


@pytest.fixture
def rita(db: None) -> User:
    return User.objects.create_user(
        "rita", "rita@example.com", "pw-rita-123", first_name="Rita", role=User.Role.RECRUITER
    )


@pytest.fixture
def victor(db: None) -> User:
    return User.objects.create_user(
        "victor", "victor@example.com", "pw-victor-123", first_name="Victor", role=User.Role.VIEWER
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(alice: User) -> Client:
    return logged_in(alice)


@pytest.fixture
def recruiter_client(rita: User) -> Client:
    return logged_in(rita)


@pytest.fixture
def viewer_client(victor: User) -> Client:
    return logged_in(victor)


@pytest.fixture
def new_status(db: None) -> Status:
    return Status.objects.get(key="new")


@pytest.fixture
def statuses(db: None) -> dict[str, Status]:
    return {s.key: s for s in Status.objects.all()}


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[MailServer]:
    """An SMTP server on loopback that Silverpool's mailer sends to; `.messages` holds what
    it received and `.refuse_next("451 …")` makes it refuse the next recipient."""
    with running_mail_server() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": server.host, "port": server.port, "timeout": 5},
            }
        }
        yield server
