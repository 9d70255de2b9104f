""" "Ask for consent" on many talents from the talent list: a small selection is asked at
once, a large one in the background, and a background run twice sends nothing twice."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.services import requests
from silverpool.privacy.tasks import ask_for_consent
from silverpool.talents.models import Talent

from ..talents.factories import make_talent

Callbacks = Callable[..., AbstractContextManager[Any]]
BULK = reverse("talents:talent-bulk")
ALL_MATCHING = {"action": "ask_consent", "all_matching": "on", "query": ""}


@pytest.fixture
def talents(db: None) -> list[Talent]:
    return [make_talent(email=f"t{i}@example.com") for i in range(3)] + [make_talent(email="")]


def test_a_small_selection_is_asked_while_the_page_waits(
    talents: list[Talent], recruiter_client: Client
) -> None:
    response = recruiter_client.post(BULK, ALL_MATCHING, follow=True)

    html = response.content.decode()
    assert "Consent requested from 3 talents. 1 not asked (no email address: 1)." in html
    assert OutboundEmail.objects.count() == 3


def test_a_large_selection_is_asked_in_the_background_after_the_page_answers(
    talents: list[Talent],
    recruiter_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    monkeypatch.setattr(requests, "ASK_AT_ONCE_MAX", 2)

    with django_capture_on_commit_callbacks() as callbacks:
        response = recruiter_client.post(BULK, ALL_MATCHING, follow=True)

    assert "Consent requests are being sent to 4 talents." in response.content.decode()
    assert not OutboundEmail.objects.exists()
    for callback in callbacks:
        callback()
    assert sorted(OutboundEmail.objects.values_list("to_email", flat=True)) == [
        "t0@example.com",
        "t1@example.com",
        "t2@example.com",
    ]


def test_the_background_request_run_twice_asks_nobody_twice(
    talents: list[Talent], rita: User
) -> None:
    ids = [talent.pk for talent in talents]

    first = ask_for_consent.call(ids, rita.pk)
    again = ask_for_consent.call(ids, rita.pk)

    assert first == {"sent": 3, "no_email": 1}
    assert again == {"asked_recently": 3, "no_email": 1}
    assert OutboundEmail.objects.count() == 3


def test_a_viewer_cannot_ask_a_large_selection(
    talents: list[Talent],
    viewer_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    monkeypatch.setattr(requests, "ASK_AT_ONCE_MAX", 2)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = viewer_client.post(BULK, ALL_MATCHING)

    assert response.status_code == 403
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
