from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User


def test_a_user_sets_their_name_email_and_language(rita: User, recruiter_client: Client) -> None:
    response = recruiter_client.post(
        reverse("accounts:profile"),
        {
            "first_name": " Rita ",
            "last_name": "Schulz",
            "email": "rita.schulz@example.com",
            "language": "de",
        },
    )

    assert response.status_code == 302
    rita.refresh_from_db()
    assert (rita.first_name, rita.last_name, rita.email, rita.language) == (
        "Rita",
        "Schulz",
        "rita.schulz@example.com",
        "de",
    )


def test_the_chosen_language_is_used_on_the_next_page(recruiter_client: Client) -> None:
    recruiter_client.post(
        reverse("accounts:profile"),
        {"first_name": "Rita", "last_name": "", "email": "", "language": "de"},
    )

    response = recruiter_client.get(reverse("accounts:profile"))

    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()
    assert '<option value="de" selected>' in response.content.decode()


def test_an_invalid_email_is_shown_on_the_field_and_nothing_is_saved(
    rita: User, recruiter_client: Client
) -> None:
    response = recruiter_client.post(
        reverse("accounts:profile"),
        {"first_name": "Someone else", "last_name": "", "email": "not-an-email", "language": "en"},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    rita.refresh_from_db()
    assert rita.first_name == "Rita"


def test_a_viewer_cannot_make_themselves_admin_through_the_profile(
    victor: User, viewer_client: Client
) -> None:
    viewer_client.post(
        reverse("accounts:profile"),
        {"first_name": "Victor", "email": "", "language": "en", "role": "admin", "is_active": ""},
    )

    victor.refresh_from_db()
    assert victor.role == User.Role.VIEWER
    assert victor.is_active


def test_the_profile_shows_the_users_current_details(victor: User, viewer_client: Client) -> None:
    response = viewer_client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert 'value="victor@example.com"' in html
    assert "Viewer (read-only)" in html
    assert ">Deutsch</option>" in html
