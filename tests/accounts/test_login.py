import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User

ACCOUNT_PAGES = [
    ("accounts:password-change", {}),
    ("accounts:profile", {}),
    ("accounts:user-list", {}),
    ("accounts:user-create", {}),
    ("accounts:user-edit", {"pk": 1}),
    ("accounts:token-list", {}),
]


def test_a_user_logs_in_with_username_and_password_and_lands_on_the_talent_list(
    rita: User,
) -> None:
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": "rita", "password": "pw-rita-123"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("talents:talent-list")
    assert client.session["_auth_user_id"] == str(rita.pk)


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(rita: User) -> None:
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": "rita", "password": "nope"})

    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_log_in(rita: User) -> None:
    User.objects.filter(pk=rita.pk).update(is_active=False)
    client = Client()

    client.post(reverse("accounts:login"), {"username": "rita", "password": "pw-rita-123"})

    assert "_auth_user_id" not in client.session


def test_the_login_page_sends_a_logged_in_user_on_to_the_talent_list(
    recruiter_client: Client,
) -> None:
    response = recruiter_client.get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("talents:talent-list")


def test_login_follows_next_to_the_page_the_user_wanted(rita: User) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=/accounts/tokens/",
        {"username": "rita", "password": "pw-rita-123", "next": "/accounts/tokens/"},
    )

    assert response["Location"] == "/accounts/tokens/"


def test_logout_is_post_only_and_ends_the_session(recruiter_client: Client) -> None:
    refused = recruiter_client.get(reverse("accounts:logout"))

    response = recruiter_client.post(reverse("accounts:logout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in recruiter_client.session


@pytest.mark.parametrize(("name", "kwargs"), ACCOUNT_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(
    db: None, name: str, kwargs: dict[str, int]
) -> None:
    url = reverse(name, kwargs=kwargs)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_revoke_is_sent_to_the_login_page(db: None) -> None:
    response = Client().post(reverse("accounts:token-revoke", args=[1]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_changing_the_password_keeps_the_user_logged_in(rita: User) -> None:
    client = Client()
    client.force_login(rita)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "pw-rita-123",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Your password has been changed." in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 200
    rita.refresh_from_db()
    assert rita.check_password("a-much-longer-secret-42")


def test_the_password_is_not_changed_without_the_old_one(rita: User) -> None:
    client = Client()
    client.force_login(rita)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    rita.refresh_from_db()
    assert rita.check_password("pw-rita-123")
