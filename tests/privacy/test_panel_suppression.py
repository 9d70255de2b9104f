"""The privacy panel says when a talent's email address is on the suppression list, so a
recruiter knows why no campaign or consent request reaches them."""

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.privacy.models import ConsentRecord, Purpose
from silverpool.privacy.services import withdraw_consent
from silverpool.talents.models import Talent

from ..talents.factories import make_talent
from .factories import give_consent

SUPPRESSED = "Email suppressed: withdrew or unsubscribed — no campaigns"


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")


def panel(client: Client, talent: Talent) -> str:
    html = client.get(reverse("talents:talent-detail", args=[talent.pk])).content.decode()
    return html[html.index('id="privacy"') :]


def test_a_talent_who_unsubscribed_shows_as_suppressed_to_every_role(
    lena: Talent, recruiter_client: Client, viewer_client: Client
) -> None:
    give_consent(lena)
    withdraw_consent(
        lena,
        [Purpose.EMAIL_CAMPAIGNS],
        method=ConsentRecord.Method.UNSUBSCRIBE,
        actor=None,
        actor_label="Talent",
    )

    assert SUPPRESSED in panel(recruiter_client, lena)
    assert SUPPRESSED in panel(viewer_client, lena)


def test_a_talent_who_never_withdrew_is_not_marked(lena: Talent, recruiter_client: Client) -> None:
    give_consent(lena)

    assert SUPPRESSED not in panel(recruiter_client, lena)


def test_the_mark_goes_once_the_person_consents_again_themself(
    lena: Talent, recruiter_client: Client
) -> None:
    give_consent(lena)
    withdraw_consent(
        lena,
        [Purpose.EMAIL_CAMPAIGNS],
        method=ConsentRecord.Method.PRIVACY_PAGE,
        actor=None,
        actor_label="Talent",
    )

    give_consent(lena, Purpose.EMAIL_CAMPAIGNS, method=ConsentRecord.Method.PRIVACY_PAGE)

    assert SUPPRESSED not in panel(recruiter_client, lena)
