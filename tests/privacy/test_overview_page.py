"""The privacy overview: figures for recruiters and admins, admin links only for admins."""

import datetime

import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import DataSubjectRequest, LegalBasis
from silverpool.privacy.services import get_policy, open_request
from tests.conftest import logged_in
from tests.talents.factories import make_talent

OVERVIEW = reverse("privacy:overview")
ADMIN_LINKS = [reverse("privacy:settings"), reverse("privacy:audit"), reverse("privacy:records")]
NOON = datetime.datetime(2026, 6, 10, 10, tzinfo=datetime.UTC)


def test_viewers_do_not_get_the_overview(viewer_client: Client) -> None:
    assert viewer_client.get(OVERVIEW).status_code == 403


def test_recruiters_get_the_overview_without_the_admin_pages(recruiter_client: Client) -> None:
    response = recruiter_client.get(OVERVIEW)

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("privacy:requests") in html
    assert reverse("privacy:forecast") in html
    for url in ADMIN_LINKS:
        assert url not in html


def test_admins_get_links_to_every_privacy_page(admin_client: Client) -> None:
    html = admin_client.get(OVERVIEW).content.decode()

    for url in ADMIN_LINKS:
        assert url in html


def test_the_overview_counts_talents_and_requests(rita: User) -> None:
    with time_machine.travel(NOON, tick=False):
        waiting = [make_talent(rita) for _ in range(3)]
        LegalBasis.objects.filter(talent=waiting[0]).update(
            state=LegalBasis.State.CONSENT_VALID,
            consent_valid_until=datetime.date(2027, 6, 10),
            due_on=datetime.date(2027, 6, 10),
        )
        LegalBasis.objects.filter(talent=waiting[1]).update(due_on=datetime.date(2026, 6, 14))
        for received in (datetime.date(2026, 5, 1), datetime.date(2026, 5, 14)):
            open_request(
                kind=DataSubjectRequest.Kind.ACCESS,
                received_on=received,
                channel=DataSubjectRequest.Channel.EMAIL,
                talent=None,
                actor=rita,
            )
        counts = logged_in(rita).get(OVERVIEW).context["counts"]

    assert (counts.awaiting_consent, counts.consent_valid) == (2, 1)
    # Due on 14 June, and on 10 July (the deadline 30 days after coming in).
    assert (counts.due_in_7_days, counts.due_in_30_days) == (1, 2)
    assert (counts.open_requests, counts.overdue_requests, counts.requests_due_soon) == (2, 1, 1)


def test_the_overview_says_when_the_gdpr_function_is_off(admin_client: Client) -> None:
    policy = get_policy()
    policy.enabled = False
    policy.save()

    html = admin_client.get(OVERVIEW).content.decode()

    assert "The GDPR function is off" in html
