"""The privacy settings page: the policy, purposes and their versioned consent texts."""

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import AuditEntry, ConsentText, LegalBasis, Policy, Purpose
from silverpool.privacy.services import get_policy
from tests.conftest import logged_in
from tests.talents.factories import make_talent

SETTINGS = reverse("privacy:settings")
BERLIN = datetime.timezone(datetime.timedelta(hours=2))


def policy_data(**changes: Any) -> dict[str, Any]:
    """The settings form as the page sends it with the default policy, with `changes`."""
    data = {
        "enabled": "on",
        "consent_deadline_days": "30",
        "reminder_days": "7, 2",
        "consent_validity_months": "12",
        "renewal_notice_days": "30",
        "hold_months": "6",
        "end_action": "delete",
        "batch_weekday": "1",
        "batch_time": "09:00",
        "controller_name": "",
        "controller_contact": "",
        "dpo_contact": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def text_of(purpose_key: str, language: str) -> str:
    return ConsentText.objects.filter(purpose__key=purpose_key, language=language).first().text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "url",
    [
        SETTINGS,
        reverse("privacy:purpose-create"),
        reverse("privacy:purpose-edit", args=["talent_pool"]),
    ],
)
def test_only_admins_open_the_settings(
    url: str, admin_client: Client, recruiter_client: Client, viewer_client: Client
) -> None:
    assert admin_client.get(url).status_code == 200
    assert recruiter_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403
    assert recruiter_client.post(url, policy_data(enabled=None)).status_code == 403


def test_a_recruiter_cannot_switch_the_gdpr_function_off(recruiter_client: Client) -> None:
    recruiter_client.post(SETTINGS, policy_data(enabled=None))

    assert get_policy().enabled is True


def test_an_admin_saves_the_policy_and_the_change_is_audited(
    admin_client: Client, alice: User
) -> None:
    response = admin_client.post(
        SETTINGS,
        policy_data(
            reminder_days="2, 10",
            hold_months="7",
            end_action="anonymise",
            controller_name="Acme GmbH",
            batch_time="07:30",
        ),
        follow=True,
    )

    policy = get_policy()
    assert "Privacy settings saved." in response.content.decode()
    assert policy.reminder_days == [10, 2]
    assert policy.hold_months == 7
    assert policy.end_action == Policy.EndAction.ANONYMISE
    assert policy.controller_name == "Acme GmbH"
    assert policy.batch_time == datetime.time(7, 30)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.POLICY_CHANGED)
    assert entry.actor == alice
    assert sorted(entry.detail["fields"]) == [
        "batch_time",
        "controller_name",
        "end_action",
        "hold_months",
        "reminder_days",
    ]


def test_saving_without_a_change_writes_no_audit_entry(admin_client: Client) -> None:
    response = admin_client.post(SETTINGS, policy_data(reminder_days="2,7"), follow=True)

    assert "Nothing changed." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.POLICY_CHANGED).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reminder_days": "7, 7"}, "reminder_days", "Each reminder day may appear only once."),
        ({"reminder_days": "7, soon"}, "reminder_days", "Enter whole numbers of days above 0"),
        ({"reminder_days": "0"}, "reminder_days", "Enter whole numbers of days above 0"),
        ({"reminder_days": "30, 2"}, "reminder_days", "use fewer than 30 days"),
        ({"consent_validity_months": "25"}, "consent_validity_months", "less than or equal to 24"),
        ({"hold_months": "2"}, "hold_months", "greater than or equal to 3"),
        ({"hold_months": "8"}, "hold_months", "less than or equal to 7"),
        (
            {"consent_deadline_days": "3", "reminder_days": "2"},
            "consent_deadline_days",
            "greater than or equal to 7",
        ),
        (
            {"renewal_notice_days": "40", "consent_validity_months": "1"},
            "renewal_notice_days",
            "use fewer than 28 days",
        ),
        ({"batch_time": "25:00"}, "batch_time", "Enter a valid time."),
    ],
)
def test_invalid_settings_show_an_error_at_the_field_and_change_nothing(
    admin_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = admin_client.post(SETTINGS, policy_data(**changes))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert get_policy().reminder_days == [7, 2]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.POLICY_CHANGED).exists()


def test_switching_the_gdpr_function_on_moves_deadlines_that_passed(
    alice: User, rita: User
) -> None:
    start = datetime.datetime(2026, 3, 2, 10, tzinfo=BERLIN)
    with time_machine.travel(start, tick=False):
        logged_in(alice).post(SETTINGS, policy_data(enabled=None))
        missed = make_talent(rita)
    with time_machine.travel(start + datetime.timedelta(days=25), tick=False):
        pending = make_talent(rita)
    consented = make_talent(rita)
    LegalBasis.objects.filter(talent=consented).update(state=LegalBasis.State.CONSENT_VALID)

    with time_machine.travel(start + datetime.timedelta(days=45), tick=False):
        response = logged_in(alice).post(SETTINGS, policy_data(), follow=True)

    # Switched on on 16 April: a full deadline from then, for both waiting talents.
    new_deadline = datetime.date(2026, 4, 16) + datetime.timedelta(days=30)
    missed_basis = LegalBasis.objects.get(talent=missed)
    assert missed_basis.consent_deadline == new_deadline
    assert missed_basis.due_on == new_deadline
    assert LegalBasis.objects.get(talent=pending).due_on == new_deadline
    assert LegalBasis.objects.get(talent=consented).due_on != new_deadline
    assert "2 consent deadlines that had passed were moved" in response.content.decode()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.POLICY_CHANGED).first()
    assert entry is not None
    assert entry.detail == {"fields": ["enabled"], "postponed": 2}


def test_the_settings_page_lists_the_purposes_with_their_text_versions(
    admin_client: Client,
) -> None:
    html = admin_client.get(SETTINGS).content.decode()

    assert "talent_pool" in html
    assert "Stellen-News per E-Mail" in html
    assert reverse("privacy:text-versions", args=["talent_pool", "de"]) in html
    assert "DE v1" in html


def test_editing_a_text_publishes_a_new_version_and_keeps_the_old_one_readable(
    admin_client: Client, alice: User
) -> None:
    purpose = Purpose.objects.get(key="talent_pool")
    first_en = text_of("talent_pool", "en")
    url = reverse("privacy:purpose-edit", args=["talent_pool"])
    edited = "I agree that my profile is kept in the talent pool for 12 months."

    response = admin_client.post(
        url,
        {
            "name_en": "Talent pool",
            "name_de": "Talentpool",
            "text_en": edited,
            "text_de": text_of("talent_pool", "de"),
        },
        follow=True,
    )

    assert "Version 2 of the English text published." in response.content.decode()
    versions = ConsentText.objects.filter(purpose=purpose, language="en")
    assert [(t.version, t.text) for t in versions] == [(2, edited), (1, first_en)]
    assert versions[0].created_by == alice
    assert ConsentText.objects.filter(purpose=purpose, language="de").count() == 1
    history = admin_client.get(reverse("privacy:text-versions", args=["talent_pool", "en"]))
    html = history.content.decode()
    assert "Version 2" in html
    assert "Version 1" in html
    assert edited in html
    assert first_en in html
    assert versions[1].sha256 in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.POLICY_CHANGED)
    assert entry.detail["purpose"] == "talent_pool"
    assert entry.detail["texts"] == ["en v2"]


def test_saving_an_unchanged_text_makes_no_new_version(admin_client: Client) -> None:
    url = reverse("privacy:purpose-edit", args=["email_campaigns"])
    form = admin_client.get(url).context["form"]

    response = admin_client.post(url, {**form.initial, "name_en": "Job news"}, follow=True)

    assert "The consent texts did not change." in response.content.decode()
    assert ConsentText.objects.filter(purpose__key="email_campaigns").count() == 2
    assert Purpose.objects.get(key="email_campaigns").name_en == "Job news"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.POLICY_CHANGED)
    assert entry.detail["fields"] == ["name_en"]


def test_an_admin_adds_a_purpose_with_both_texts(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("privacy:purpose-create"),
        {
            "key": "events",
            "name_en": "Event invitations",
            "name_de": "Einladungen zu Veranstaltungen",
            "text_en": "Invite me to recruiting events.",
            "text_de": "Ladet mich zu Recruiting-Veranstaltungen ein.",
        },
        follow=True,
    )

    assert "Purpose “events” added." in response.content.decode()
    purpose = Purpose.objects.get(key="events")
    assert purpose.name_de == "Einladungen zu Veranstaltungen"
    assert purpose.position > Purpose.objects.get(key="email_campaigns").position
    assert sorted(purpose.texts.values_list("language", "version")) == [("de", 1), ("en", 1)]


def test_a_purpose_key_must_be_new_and_a_slug(admin_client: Client) -> None:
    base = {"name_en": "X", "name_de": "X", "text_en": "x", "text_de": "x"}

    taken = admin_client.post(reverse("privacy:purpose-create"), {**base, "key": "talent_pool"})
    spaces = admin_client.post(reverse("privacy:purpose-create"), {**base, "key": "two words"})

    assert "A purpose with this key exists already." in taken.content.decode()
    assert "key" in spaces.context["form"].errors
    assert Purpose.objects.count() == 2


def test_text_versions_are_readable_by_every_user_and_unknown_ones_are_404(
    viewer_client: Client,
) -> None:
    ok = viewer_client.get(reverse("privacy:text-versions", args=["talent_pool", "de"]))

    assert ok.status_code == 200
    assert "Talentpool gespeichert" in ok.content.decode()
    assert (
        viewer_client.get(reverse("privacy:text-versions", args=["talent_pool", "fr"])).status_code
        == 404
    )
    assert (
        viewer_client.get(reverse("privacy:text-versions", args=["nothing", "en"])).status_code
        == 404
    )
