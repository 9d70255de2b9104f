"""The "Email templates" pages: admins only, live preview, errors on the field, reset."""

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.outreach.defaults import TEMPLATES
from silverpool.outreach.models import EmailTemplate

HTMX = {"HX-Request": "true"}
EDIT = reverse("outreach:template-edit", args=["consent_request", "en"])
RESET = reverse("outreach:template-reset", args=["consent_request", "en"])
LIST = reverse("outreach:template-list")


def text_data(
    subject: str = "Hi {{ first_name }}", body: str = "Hello {{ first_name }}"
) -> dict[str, str]:
    return {"subject": subject, "body": body}


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "viewer_client"])
def test_only_admins_open_or_change_email_templates(
    request: pytest.FixtureRequest, client_fixture: str
) -> None:
    client: Client = request.getfixturevalue(client_fixture)

    statuses = [
        client.get(LIST).status_code,
        client.get(EDIT).status_code,
        client.post(EDIT, text_data()).status_code,
        client.post(EDIT, {**text_data(), "preview": "1"}, headers=HTMX).status_code,
        client.post(RESET).status_code,
    ]

    assert statuses == [403] * 5
    assert not EmailTemplate.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    response = Client().get(EDIT)

    assert response["Location"] == f"{reverse('accounts:login')}?next={EDIT}"


def test_only_admins_see_the_link_in_the_menu(
    admin_client: Client, recruiter_client: Client
) -> None:
    assert LIST in admin_client.get(reverse("talents:talent-list")).content.decode()
    assert LIST not in recruiter_client.get(reverse("talents:talent-list")).content.decode()


def test_the_list_shows_every_email_in_both_languages(admin_client: Client) -> None:
    html = admin_client.get(LIST).content.decode()

    for key in TEMPLATES:
        for language in ["de", "en"]:
            assert reverse("outreach:template-edit", args=[key, language]) in html
    assert "Dürfen wir Ihr Profil in unserem Talent-Pool behalten?" in html
    assert "{{ form_title }} – Ihr persönlicher Link" in html
    assert html.count("Shipped text") == 2 * len(TEMPLATES)


def test_an_unknown_template_or_language_is_not_found(admin_client: Client) -> None:
    unknown_key = reverse("outreach:template-edit", args=["newsletter", "en"])
    unknown_language = reverse("outreach:template-edit", args=["consent_request", "fr"])

    assert admin_client.get(unknown_key).status_code == 404
    assert admin_client.get(unknown_language).status_code == 404


def test_the_edit_page_shows_the_shipped_text_and_its_preview(admin_client: Client) -> None:
    html = admin_client.get(EDIT).content.decode()

    assert "May we keep your profile in our talent pool?" in html
    assert "Hello Jamie," in html  # the preview, with sample values
    assert "See, download or delete your data, or withdraw consent:" in html
    assert "{{ consent_url }}" in html  # the placeholder list and the text itself


def test_the_preview_of_an_email_to_recruiters_has_no_privacy_page_link(
    admin_client: Client,
) -> None:
    url = reverse("outreach:template-edit", args=["form_notification", "en"])

    html = admin_client.get(url).content.decode()

    assert "A new talent has sent in the form" in html
    assert "See, download or delete your data, or withdraw consent:" not in html


def test_an_admin_saves_their_own_wording(admin_client: Client) -> None:
    response = admin_client.post(EDIT, text_data(subject="Stay in touch, {{ first_name }}?"))

    assert response.status_code == 302
    custom = EmailTemplate.objects.get(key="consent_request", language="en")
    assert custom.subject == "Stay in touch, {{ first_name }}?"
    assert custom.updated_by is not None
    assert custom.updated_by.username == "alice"
    html = admin_client.get(LIST).content.decode()
    assert "Stay in touch, {{ first_name }}?" in html
    assert "Your own, changed" in html


def test_an_invalid_text_is_shown_with_its_error_and_not_saved(admin_client: Client) -> None:
    response = admin_client.post(EDIT, text_data(body="Hello {{ first_name }}, {{ salary }}"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="field has-error"' in html
    assert "Unknown placeholder: salary." in html
    assert not EmailTemplate.objects.exists()


def test_the_live_preview_renders_what_was_typed(admin_client: Client) -> None:
    response = admin_client.post(
        EDIT, {**text_data(subject="For {{ last_name }}"), "preview": "1"}, headers=HTMX
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="preview"' in html
    assert "For Taylor" in html
    assert "Hello Jamie" in html
    assert not EmailTemplate.objects.exists()


def test_the_live_preview_shows_errors_instead(admin_client: Client) -> None:
    response = admin_client.post(EDIT, {**text_data(body="{% for x in y %}"), "preview": "1"})

    html = response.content.decode()
    assert "This text has an error" in html
    assert "Invalid block tag" in html
    assert not EmailTemplate.objects.exists()


def test_reset_goes_back_to_the_shipped_text(admin_client: Client) -> None:
    admin_client.post(EDIT, text_data(subject="Mine"))

    response = admin_client.post(RESET, follow=True)

    assert not EmailTemplate.objects.exists()
    html = response.content.decode()
    assert "back to the shipped text" in html
    assert "May we keep your profile in our talent pool?" in html


def placeholder_list(html: str) -> str:
    return html.split('<ul class="placeholders">')[1].split("</ul>")[0]


def test_the_edit_page_offers_the_placeholders_this_email_has(admin_client: Client) -> None:
    notification = reverse("outreach:template-edit", args=["form_notification", "de"])
    renewal = reverse("outreach:template-edit", args=["consent_renewal", "en"])

    to_recruiters = placeholder_list(admin_client.get(notification).content.decode())
    to_talent = placeholder_list(admin_client.get(renewal).content.decode())

    assert "talent_url" in to_recruiters
    assert "first_name" not in to_recruiters  # it names nobody
    assert "valid_until" in to_talent
    assert "deadline" not in to_talent
    assert "form_url" not in to_talent
