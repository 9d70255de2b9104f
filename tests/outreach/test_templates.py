"""Email texts: the shipped German and English ones, admins' own, and what they may use."""

import datetime
import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from silverpool.accounts.models import User
from silverpool.outreach import services
from silverpool.outreach.defaults import TEMPLATES
from silverpool.outreach.models import EmailTemplate
from silverpool.privacy.services import get_policy

CONTEXT: dict[str, Any] = {
    "first_name": "Lena",
    "last_name": "Vogel",
    "company": "Beispiel GmbH",
    "consent_url": "https://talents.example.com/privacy/consent/abc/",
    "deadline": datetime.date(2027, 3, 15),
    "valid_until": datetime.date(2027, 3, 15),
    "notice": "",
    "privacy_url": "https://talents.example.com/privacy/me/xyz/",
    "form_title": "Talent-Pool",
    "form_url": "https://talents.example.com/f/abc/u/xyz/",
    "talent_url": "https://talents.example.com/talents/7/",
}
# Every shipped email goes to a talent, except the one telling recruiters about a form.
TO_TALENTS = sorted(set(TEMPLATES) - {"form_notification"})


@pytest.mark.parametrize("key", TO_TALENTS)
@pytest.mark.parametrize(
    ("language", "greeting", "sign_off", "date"),
    [
        ("de", "Guten Tag Lena Vogel,", "Viele Grüße\nBeispiel GmbH", "15. März 2027"),
        ("en", "Hello Lena,", "Best regards\nBeispiel GmbH", "15 Mar 2027"),
    ],
)
def test_every_shipped_email_reads_well_in_german_and_english(
    db: None, key: str, language: str, greeting: str, sign_off: str, date: str
) -> None:
    subject, body = services.render_email(key, language, CONTEXT)

    assert subject
    assert "\n" not in subject
    assert body.startswith(greeting + "\n\n")
    assert body.rstrip().endswith(sign_off)
    assert "{" not in subject + body
    assert "%}" not in body
    assert "\n\n\n" not in body
    if key in {"consent_request", "consent_reminder", "consent_renewal"}:
        assert CONTEXT["consent_url"] in body
        assert date in body
    if key.startswith("form_"):
        assert "Talent-Pool" in subject + body
    if key == "form_link":
        assert CONTEXT["form_url"] in body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_form_notification_links_the_profile_and_names_nobody(db: None, language: str) -> None:
    subject, body = services.render_email(
        "form_notification", language, {**CONTEXT, "new_talent": True}
    )

    assert "Talent-Pool" in subject + body
    assert body.rstrip().endswith(CONTEXT["talent_url"])
    assert "Lena" not in subject + body


def test_the_consent_request_ends_with_the_privacy_notice_when_there_is_one(db: None) -> None:
    notice = "Verantwortlich: Beispiel GmbH, Hauptstraße 1, Berlin."

    _subject, with_notice = services.render_email(
        "consent_request", "de", {**CONTEXT, "notice": notice}
    )
    _subject, without = services.render_email("consent_request", "de", CONTEXT)

    assert with_notice.endswith("Viele Grüße\nBeispiel GmbH\n\n" + notice)
    assert notice not in without


def test_the_privacy_notice_email_carries_the_notice(db: None) -> None:
    notice = "Controller: Example Ltd, 1 High Street, London."

    _subject, body = services.render_email("privacy_notice", "en", {**CONTEXT, "notice": notice})

    assert notice in body
    assert "Art. 14 GDPR" in body


def test_unknown_languages_get_english(db: None) -> None:
    subject, _body = services.render_email("consent_request", "fr", CONTEXT)

    assert subject == "May we keep your profile in our talent pool?"


def test_names_are_written_as_they_are_not_html_escaped(db: None) -> None:
    _subject, body = services.render_email(
        "consent_request", "en", {**CONTEXT, "first_name": "Zoë & <Jo> O'Neil"}
    )

    assert body.startswith("Hello Zoë & <Jo> O'Neil,")


def test_emails_are_signed_by_the_controller_or_the_recruiting_team(db: None) -> None:
    assert services.company_name("de") == "Ihr Recruiting-Team"
    assert services.company_name("en") == "The recruiting team"
    policy = get_policy()
    policy.controller_name = "Beispiel GmbH"
    policy.save()

    assert services.company_name("de") == "Beispiel GmbH"


def test_an_admins_own_text_is_used_until_it_is_reset(alice: User) -> None:
    services.save_template(
        "consent_reminder",
        "en",
        subject="Still interested, {{ first_name }}?",
        body="Hi {{ first_name }},\n{{ consent_url }}",
        actor=alice,
    )

    subject, body = services.render_email("consent_reminder", "en", CONTEXT)
    assert subject == "Still interested, Lena?"
    assert body == "Hi Lena,\n" + CONTEXT["consent_url"]
    assert services.reset_template("consent_reminder", "en")

    subject, _body = services.render_email("consent_reminder", "en", CONTEXT)
    assert subject == "Reminder: may we keep your profile?"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{{ salary }}", "Unknown placeholder: salary."),
        ("{% if first_name == boss %}x{% endif %}", "Unknown placeholder: boss."),
        ("{% if first_name %}", "This text has an error"),
        ("{% load static %}", "Invalid block tag"),
        ("{% include 'base.html' %}", "Invalid block tag"),
        ("{% debug %}", "Invalid block tag"),
        ("{{ first_name.__class__ }}", "may not begin with underscores"),
    ],
)
def test_a_text_that_reaches_beyond_its_placeholders_is_refused(
    alice: User, body: str, error: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.save_template("consent_request", "en", subject="Hi", body=body, actor=alice)

    assert error in " ".join(raised.value.message_dict["body"])
    assert not EmailTemplate.objects.exists()


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_the_shipped_texts_use_only_what_their_sender_fills_in(key: str) -> None:
    for text in TEMPLATES[key].texts.values():
        services.check_template(key, text.subject, text.body)


def test_a_placeholder_of_another_email_is_refused_with_those_of_this_one(alice: User) -> None:
    with pytest.raises(ValidationError) as raised:
        services.save_template(
            "form_notification",
            "en",
            subject="{{ first_name }} sent a form",
            body="Hi",
            actor=alice,
        )

    assert raised.value.message_dict["subject"] == [
        "first_name is not filled in for this email, only for others. You can use: company, "
        "form_title, talent_url, new_talent."
    ]
    assert not EmailTemplate.objects.exists()


def test_a_broken_text_in_the_database_falls_back_to_the_shipped_one(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    # Saved before a change to the placeholders, say: the editor would refuse it today.
    EmailTemplate.objects.create(
        key="consent_request", language="de", subject="{% if %}", body="{{ gone }}"
    )

    with caplog.at_level(logging.WARNING):
        subject, _body = services.render_email("consent_request", "de", CONTEXT)

    assert subject == "Dürfen wir Ihr Profil in unserem Talent-Pool behalten?"
    assert "consent_request (de) does not render" in caplog.text


def test_a_talent_without_a_last_name_is_greeted_without_a_stray_space(db: None) -> None:
    _subject, body = services.render_email("consent_request", "de", {**CONTEXT, "last_name": ""})

    assert body.startswith("Guten Tag Lena,\n")
