"""The records of processing activities (Art. 30 GDPR), generated from the configuration."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import Policy, Purpose, Suppression
from silverpool.privacy.services import get_policy, publish_text, suppress
from silverpool.talents.models import CustomField

PAGE = reverse("privacy:records")


def download(client: Client, language: str, fmt: str) -> str:
    response = client.get(reverse("privacy:records-download", args=[language, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode()


@pytest.fixture
def configured(settings: Any, alice: User) -> Policy:
    """An organisation that filled in its privacy settings."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "smtp.acme.example", "port": 587, "use_tls": True},
        }
    }
    policy = get_policy()
    policy.controller_name = "Acme Recruiting GmbH"
    policy.controller_contact = "Hauptstraße 1, 10115 Berlin"
    policy.dpo_contact = "Dana Schutz, dpo@acme.example"
    policy.consent_deadline_days = 45
    policy.reminder_days = [10, 3]
    policy.hold_months = 4
    policy.consent_validity_months = 18
    policy.end_action = Policy.EndAction.ANONYMISE
    policy.save()
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Kündigungsfrist")
    publish_text(
        Purpose.objects.get(key="talent_pool"),
        language="en",
        text="Keep my profile for 18 months.",
        actor=alice,
    )
    suppress("gone@example.com", Suppression.Reason.ERASED)
    return policy


@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        reverse("privacy:records-download", args=["en", "md"]),
        reverse("privacy:records-download", args=["de", "json"]),
    ],
)
def test_only_admins_see_the_records(
    url: str, admin_client: Client, recruiter_client: Client, viewer_client: Client
) -> None:
    assert admin_client.get(url).status_code == 200
    assert recruiter_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_the_records_hold_the_configured_values(admin_client: Client, configured: Policy) -> None:
    markdown = download(admin_client, "en", "md")
    page = admin_client.get(PAGE).content.decode()

    for text in [
        "# Records of processing activities (Art. 30 GDPR)",
        "**Name**: Acme Recruiting GmbH",
        "Dana Schutz, dpo@acme.example",
        "Talent pool (talent_pool)",
        "Consent text EN, version 2 of",
        "Keep my profile for 18 months.",
        "Consent text DE, version 1 of",
        "Art. 6(1)(a), Art. 7 GDPR",
        "§ 15(4) AGG",
        "kept for 4 months to defend claims",
        "**Without consent**: deleted 45 days after coming in",
        "Reminders, days before the deadline: 10, 3",
        "consent is valid for 18 months",
        "Anonymise (keep a stub without personal data)",
        "Notice period",
        "**Email delivery (SMTP server)**: smtp.acme.example:587",
        "Encrypted in transit (STARTTLS)",
        "**Applicant tracking system (ATS)**: none connected",
        "Hashed email addresses (SHA-256)",
        "Entries: 1",
        "Admins 1, recruiters 0, viewers (read-only) 0",
    ]:
        assert text in markdown, text
    assert "Acme Recruiting GmbH" in page
    assert "smtp.acme.example:587" in page
    assert "gone@example.com" not in markdown


def test_unset_values_say_where_to_enter_them(admin_client: Client) -> None:
    markdown = download(admin_client, "en", "md")

    assert "**Name**: (not set: enter it in the privacy settings)" in markdown
    assert "Not encrypted in transit" in markdown


def test_the_records_follow_a_change_of_the_settings(
    admin_client: Client, configured: Policy
) -> None:
    configured.hold_months = 7
    configured.save()

    assert "kept for 7 months" in download(admin_client, "en", "md")


def test_the_german_records_are_in_german(admin_client: Client, configured: Policy) -> None:
    markdown = download(admin_client, "de", "md")

    assert "# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)" in markdown
    assert "Kündigungsfrist" in markdown
    assert "Talentpool (talent_pool)" in markdown
    assert "Acme Recruiting GmbH" in markdown
    assert "Records of processing" not in markdown


def test_the_json_export_is_structured(admin_client: Client, configured: Policy) -> None:
    data = json.loads(download(admin_client, "en", "json"))

    assert data["language"] == "en"
    assert [section["key"] for section in data["sections"]] == [
        "controller",
        "purposes",
        "legal_bases",
        "data_subjects",
        "data_categories",
        "recipients",
        "retention",
        "suppression",
        "measures",
    ]
    controller = data["sections"][0]["entries"]
    assert controller[0] == {"label": "Name", "value": "Acme Recruiting GmbH", "details": []}


def test_an_unknown_language_or_format_is_404(admin_client: Client) -> None:
    assert (
        admin_client.get(reverse("privacy:records-download", args=["fr", "md"])).status_code == 404
    )
    assert (
        admin_client.get(reverse("privacy:records-download", args=["en", "pdf"])).status_code == 404
    )
