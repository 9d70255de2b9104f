import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User


def edit_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "password": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_admins_see_every_user_with_role_and_active_flag(
    admin_client: Client, rita: User, victor: User
) -> None:
    User.objects.filter(pk=victor.pk).update(is_active=False)

    response = admin_client.get(reverse("accounts:user-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "rita" in html
    assert "Recruiter" in html
    assert "Viewer (read-only)" in html
    assert "Deactivated" in html


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "viewer_client"])
@pytest.mark.parametrize("name", ["accounts:user-list", "accounts:user-create"])
def test_only_admins_may_open_the_users_pages(
    request: pytest.FixtureRequest, client_fixture: str, name: str
) -> None:
    client: Client = request.getfixturevalue(client_fixture)

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "viewer_client"])
def test_non_admins_cannot_change_anybodys_role(
    request: pytest.FixtureRequest, client_fixture: str, victor: User
) -> None:
    client: Client = request.getfixturevalue(client_fixture)

    response = client.post(
        reverse("accounts:user-edit", args=[victor.pk]), edit_data(victor, role="admin")
    )

    assert response.status_code == 403
    victor.refresh_from_db()
    assert victor.role == User.Role.VIEWER


def test_a_recruiter_cannot_create_users(recruiter_client: Client) -> None:
    response = recruiter_client.post(
        reverse("accounts:user-create"),
        {"username": "mallory", "role": "admin", "password": "a-long-password-42"},
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="mallory").exists()


def test_an_admin_creates_a_user_who_can_then_log_in(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("accounts:user-create"),
        {
            "username": "hannah",
            "first_name": "Hannah",
            "last_name": "Berg",
            "email": "hannah@example.com",
            "role": "viewer",
            "password": "hiring-manager-2027",
        },
    )

    assert response.status_code == 302
    hannah = User.objects.get(username="hannah")
    assert hannah.role == User.Role.VIEWER
    assert hannah.get_full_name() == "Hannah Berg"
    assert Client().login(username="hannah", password="hiring-manager-2027")


def test_a_username_that_differs_only_in_case_is_taken(admin_client: Client, rita: User) -> None:
    response = admin_client.post(
        reverse("accounts:user-create"),
        {"username": "RITA", "role": "recruiter", "password": "hiring-manager-2027"},
    )

    assert response.status_code == 200
    assert "This username is already taken." in response.content.decode()
    assert User.objects.filter(username__iexact="rita").count() == 1


def test_a_weak_initial_password_is_refused_on_the_field(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("accounts:user-create"),
        {"username": "otto", "role": "recruiter", "password": "123"},
    )

    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert not User.objects.filter(username="otto").exists()


def test_an_admin_changes_role_name_and_active_flag_of_a_user(
    admin_client: Client, rita: User
) -> None:
    response = admin_client.post(
        reverse("accounts:user-edit", args=[rita.pk]),
        edit_data(rita, role="viewer", first_name="Rita M.", is_active=""),
    )

    assert response.status_code == 302
    rita.refresh_from_db()
    assert (rita.role, rita.first_name, rita.is_active) == ("viewer", "Rita M.", False)
    assert not Client().login(username="rita", password="pw-rita-123")


def test_an_admin_sets_a_new_password_for_a_user(admin_client: Client, rita: User) -> None:
    admin_client.post(
        reverse("accounts:user-edit", args=[rita.pk]),
        edit_data(rita, password="fresh-start-2027"),
    )

    rita.refresh_from_db()
    assert rita.check_password("fresh-start-2027")


def test_an_admin_cannot_take_away_their_own_admin_role(admin_client: Client, alice: User) -> None:
    response = admin_client.post(
        reverse("accounts:user-edit", args=[alice.pk]), edit_data(alice, role="recruiter")
    )

    assert response.status_code == 200
    assert "You cannot remove your own admin role." in response.content.decode()
    alice.refresh_from_db()
    assert alice.role == User.Role.ADMIN


def test_an_admin_cannot_deactivate_themselves(admin_client: Client, alice: User) -> None:
    response = admin_client.post(
        reverse("accounts:user-edit", args=[alice.pk]), edit_data(alice, is_active="")
    )

    assert response.status_code == 200
    assert "You cannot deactivate yourself." in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_editing_an_unknown_user_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(reverse("accounts:user-edit", args=[999999])).status_code == 404


def test_an_admin_can_edit_their_own_name_while_staying_admin(
    admin_client: Client, alice: User
) -> None:
    response = admin_client.post(
        reverse("accounts:user-edit", args=[alice.pk]), edit_data(alice, last_name="Adler")
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.last_name, alice.role) == ("Adler", User.Role.ADMIN)


def test_a_superuser_without_the_admin_role_can_still_edit_themselves(db: None) -> None:
    root = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client = Client()
    client.force_login(root)

    response = client.post(
        reverse("accounts:user-edit", args=[root.pk]), edit_data(root, first_name="Ops")
    )

    assert response.status_code == 302
    root.refresh_from_db()
    assert root.first_name == "Ops"


def test_an_admin_who_sets_their_own_password_stays_logged_in(
    admin_client: Client, alice: User
) -> None:
    admin_client.post(
        reverse("accounts:user-edit", args=[alice.pk]),
        edit_data(alice, password="brand-new-secret-2027"),
    )

    alice.refresh_from_db()
    assert alice.check_password("brand-new-secret-2027")
    assert admin_client.get(reverse("accounts:user-list")).status_code == 200


def test_createsuperuser_makes_an_admin(db: None) -> None:
    user = User.objects.create_superuser("root", "root@example.com", "pw-root-123")

    assert user.role == User.Role.ADMIN
    assert user.get_role_display() == "Admin"


def test_the_audit_log_and_proofs_name_a_user_with_their_username() -> None:
    rita = User(username="rita", first_name="Rita", last_name="Richter")

    assert rita.with_username == "Rita Richter (rita)"
    assert User(username="ops").with_username == "ops (ops)"
