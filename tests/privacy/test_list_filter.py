"""The legal basis on the talent list and in the API list: shown per row, filterable."""

import datetime
from typing import get_args

from django.test import Client
from django.utils import timezone

from silverpool.accounts.models import ApiToken, User
from silverpool.privacy.models import LegalBasis
from silverpool.privacy.services import set_legal_hold
from silverpool.talents.schemas import LegalState
from silverpool.talents.search import LEGAL_HOLD

from ..talents.factories import make_talent
from ..talents.test_list_page import get_list, listed_names
from .factories import give_consent


def test_the_api_accepts_every_legal_basis_state_and_the_legal_hold() -> None:
    assert set(get_args(LegalState)) == {*LegalBasis.State.values, LEGAL_HOLD}


def test_the_list_shows_each_talents_legal_basis_and_filters_by_it(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Berg")
    make_talent(rita, first_name="Ben", last_name="Cole")
    carla = make_talent(rita, first_name="Carla", last_name="Diaz")
    give_consent(anna, recruiter=rita)
    set_legal_hold(
        carla,
        reason="Court case",
        until=timezone.localdate() + datetime.timedelta(days=30),
        actor=alice,
    )

    everyone = get_list(recruiter_client)
    consented = get_list(recruiter_client, legal_state="consent_valid")
    awaiting = get_list(recruiter_client, legal_state="awaiting_consent")
    held = get_list(recruiter_client, legal_state=LEGAL_HOLD)

    assert '<span class="chip legal-consent_valid">Consent valid</span>' in everyone
    assert everyone.count('<span class="chip legal-awaiting_consent">Awaiting consent</span>') == 2
    assert listed_names(consented) == ["Anna Berg"]
    assert sorted(listed_names(awaiting)) == ["Ben Cole", "Carla Diaz"]
    assert listed_names(held) == ["Carla Diaz"]


def test_the_api_list_gives_and_filters_by_the_legal_basis(rita: User) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Berg")
    make_talent(rita, first_name="Ben", last_name="Cole")
    give_consent(anna, recruiter=rita)
    _token, raw = ApiToken.issue(rita, "Script")
    api = Client(headers={"authorization": f"Bearer {raw}"})

    every = api.get("/api/v1/talents").json()
    consented = api.get("/api/v1/talents", {"legal_state": "consent_valid"}).json()
    wrong = api.get("/api/v1/talents", {"legal_state": "happy"})

    assert {item["legal_state"] for item in every["items"]} == {
        "consent_valid",
        "awaiting_consent",
    }
    assert [item["first_name"] for item in consented["items"]] == ["Anna"]
    assert wrong.status_code == 422
    assert "legal_state" in wrong.json()["error"]["fields"]
