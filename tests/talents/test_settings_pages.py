import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents.models import CustomField, Event, Status, Talent

from .factories import make_talent

LIST_AND_NEW = ["settings", "status-create", "field-create"]
PER_OBJECT = ["status-edit", "status-delete", "field-edit", "field-delete"]


def make_field(
    key: str = "notice", kind: str = "text", choices: list[str] | None = None
) -> CustomField:
    return CustomField.objects.create(
        key=key, label_en=key.title(), label_de=key.title(), kind=kind, choices=choices or []
    )


def status_data(key: str, name_en: str, **changes: object) -> dict[str, object]:
    return {"key": key, "name_en": name_en, "name_de": name_en, "position": 10, **changes}


def field_data(key: str, label: str, **changes: object) -> dict[str, object]:
    data = {"key": key, "label_en": label, "label_de": label, "kind": "text", "position": 0}
    return {**data, **changes}


# Roles


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "viewer_client"])
@pytest.mark.parametrize("name", LIST_AND_NEW)
def test_only_admins_open_the_settings_pages(
    request: pytest.FixtureRequest, client_fixture: str, name: str
) -> None:
    client: Client = request.getfixturevalue(client_fixture)

    get = client.get(reverse(f"talents:{name}"))
    post = client.post(reverse(f"talents:{name}"), status_data("sneaky", "Sneaky"))

    assert (get.status_code, post.status_code) == (403, 403)
    assert not Status.objects.filter(key="sneaky").exists()


@pytest.mark.parametrize("name", PER_OBJECT)
def test_a_recruiter_cannot_change_or_delete_statuses_or_fields(
    recruiter_client: Client, name: str
) -> None:
    obj = Status.objects.get(key="archived") if name.startswith("status") else make_field()

    response = recruiter_client.post(reverse(f"talents:{name}", args=[obj.pk]), {})

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", LIST_AND_NEW)
def test_anonymous_visitors_are_sent_to_log_in(db: None, name: str) -> None:
    url = reverse(f"talents:{name}")

    response = Client().get(url)

    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_only_admins_see_the_settings_link(admin_client: Client, recruiter_client: Client) -> None:
    url = reverse("talents:settings")

    assert f'href="{url}"' in admin_client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{url}"' not in recruiter_client.get(reverse("accounts:profile")).content.decode()


# Statuses


def test_the_settings_page_lists_statuses_with_how_many_talents_have_them(
    rita: User, admin_client: Client, statuses: dict[str, Status]
) -> None:
    make_talent(rita, status=statuses["contacted"])
    make_field("notice_period")

    html = admin_client.get(reverse("talents:settings")).content.decode()

    assert "Kontaktiert" in html
    assert "Not interested" in html
    assert "notice_period" in html
    row = html[html.index("<code>contacted</code>") :].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_an_admin_adds_a_status_that_becomes_the_default(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("talents:status-create"),
        status_data("interviewing", "Interviewing", name_de="Im Gespräch", is_default="on"),
    )

    assert response.status_code == 302
    status = Status.objects.get(key="interviewing")
    assert (status.name_en, status.name_de, status.position) == (
        "Interviewing",
        "Im Gespräch",
        10,
    )
    assert list(Status.objects.filter(is_default=True)) == [status]


def test_a_status_key_that_exists_is_an_error_on_the_key(admin_client: Client) -> None:
    response = admin_client.post(reverse("talents:status-create"), status_data("new", "Fresh"))

    assert response.status_code == 200
    assert "Status with this Key already exists." in response.content.decode()
    assert Status.objects.filter(key="new").count() == 1


def test_editing_a_status_changes_its_names_but_never_its_key(
    admin_client: Client, statuses: dict[str, Status]
) -> None:
    status = statuses["engaged"]

    admin_client.post(
        reverse("talents:status-edit", args=[status.pk]),
        status_data("renamed", "In touch", name_de="In Kontakt", position=3),
    )

    status.refresh_from_db()
    assert (status.key, status.name_en, status.name_de, status.position) == (
        "engaged",
        "In touch",
        "In Kontakt",
        3,
    )


def test_an_unused_status_is_deleted_after_confirmation(
    admin_client: Client, statuses: dict[str, Status]
) -> None:
    status = statuses["archived"]

    confirm = admin_client.get(reverse("talents:status-delete", args=[status.pk]))
    admin_client.post(reverse("talents:status-delete", args=[status.pk]))

    assert "Delete the status “Archived”?" in confirm.content.decode()
    assert not Status.objects.filter(pk=status.pk).exists()


def test_a_status_that_talents_have_cannot_be_deleted_and_says_how_many(
    rita: User, admin_client: Client, statuses: dict[str, Status]
) -> None:
    status = statuses["hired"]
    make_talent(rita, status=status)
    make_talent(rita, status=status)

    confirm = admin_client.get(reverse("talents:status-delete", args=[status.pk]))
    response = admin_client.post(reverse("talents:status-delete", args=[status.pk]), follow=True)

    message = "2 talents have the status “Hired”. Give them another status first."
    assert message in confirm.content.decode()
    assert 'type="submit" class="danger"' not in confirm.content.decode()
    assert message in response.content.decode()
    assert Status.objects.filter(pk=status.pk).exists()


def test_the_last_status_cannot_be_deleted(admin_client: Client) -> None:
    Status.objects.exclude(key="new").delete()
    status = Status.objects.get()

    response = admin_client.post(reverse("talents:status-delete", args=[status.pk]), follow=True)

    assert "The last status cannot be deleted" in response.content.decode()
    assert Status.objects.filter(pk=status.pk).exists()


# Custom fields


def test_an_admin_adds_a_choice_field_with_one_choice_per_line(admin_client: Client) -> None:
    admin_client.post(
        reverse("talents:field-create"),
        field_data(
            "work_mode",
            "Work mode",
            kind="choice",
            choices="Remote\r\n\r\n Hybrid \r\nOn site\r\nRemote",
        ),
    )

    field = CustomField.objects.get(key="work_mode")
    assert field.kind == CustomField.Kind.CHOICE
    assert field.choices == ["Remote", "Hybrid", "On site"]


def test_a_choice_field_without_choices_is_an_error_on_the_choices(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("talents:field-create"), field_data("work_mode", "Work mode", kind="choice")
    )

    assert "A choice field needs at least one choice." in response.content.decode()
    assert not CustomField.objects.exists()


def test_a_field_that_is_not_a_choice_keeps_no_choices(admin_client: Client) -> None:
    admin_client.post(
        reverse("talents:field-create"), field_data("salary_band", "Band", choices="A\nB")
    )

    assert CustomField.objects.get(key="salary_band").choices == []


def test_the_kind_of_a_field_with_values_cannot_change(rita: User, admin_client: Client) -> None:
    field = make_field("notice")
    make_talent(rita, custom_values={"notice": "three months"})

    response = admin_client.post(
        reverse("talents:field-edit", args=[field.pk]),
        field_data("notice", "Notice", kind="number"),
    )

    assert (
        "1 talent has a value in this field, so its kind cannot change."
        in response.content.decode()
    )
    field.refresh_from_db()
    assert field.kind == CustomField.Kind.TEXT


def test_a_choice_that_talents_have_cannot_be_removed_but_others_can(
    rita: User, admin_client: Client
) -> None:
    field = make_field("work_mode", kind="choice", choices=["Remote", "Hybrid", "On site"])
    make_talent(rita, custom_values={"work_mode": "Remote"})
    url = reverse("talents:field-edit", args=[field.pk])

    refused = admin_client.post(
        url, field_data("work_mode", "Work mode", kind="choice", choices="Hybrid\nOn site")
    )
    allowed = admin_client.post(
        url, field_data("work_mode", "Work mode", kind="choice", choices="Remote\nHybrid")
    )

    assert "1 talent has the choice “Remote”; keep it." in refused.content.decode()
    assert allowed.status_code == 302
    field.refresh_from_db()
    assert field.choices == ["Remote", "Hybrid"]


def test_deleting_a_field_removes_its_values_and_notes_it_on_the_timeline(
    alice: User, rita: User, admin_client: Client
) -> None:
    make_field("notice")
    make_field("team")
    talent = make_talent(rita, custom_values={"notice": "Quarterly", "team": "Platform"})
    untouched = make_talent(rita, custom_values={"team": "Mobile"})
    field = CustomField.objects.get(key="notice")

    confirm = admin_client.get(reverse("talents:field-delete", args=[field.pk]))
    response = admin_client.post(reverse("talents:field-delete", args=[field.pk]), follow=True)

    assert "1 talent has a value in this field." in confirm.content.decode()
    assert "Field “Notice” deleted, with its value on 1 talent." in response.content.decode()
    assert not CustomField.objects.filter(key="notice").exists()
    talent.refresh_from_db()
    assert talent.custom_values == {"team": "Platform"}
    assert "quarterly" not in talent.search_text.lower()
    event = talent.events.get(kind=Event.Kind.FIELD_CHANGED, data__field="custom_values")
    assert event.actor == alice
    assert event.data["old"] == {"notice": "Quarterly", "team": "Platform"}
    untouched.refresh_from_db()
    assert untouched.custom_values == {"team": "Mobile"}
    assert not untouched.events.filter(kind=Event.Kind.FIELD_CHANGED).exists()


def test_the_key_of_a_field_never_changes(admin_client: Client) -> None:
    field = make_field("notice")

    admin_client.post(
        reverse("talents:field-edit", args=[field.pk]), field_data("other", "Notice period")
    )

    field.refresh_from_db()
    assert (field.key, field.label_en) == ("notice", "Notice period")
    assert Talent.objects.count() == 0


def test_statuses_are_listed_in_their_position_order(
    admin_client: Client, statuses: dict[str, Status]
) -> None:
    Status.objects.filter(key="archived").update(position=0)
    Status.objects.filter(key="new").update(position=9)

    html = admin_client.get(reverse("talents:settings")).content.decode()

    assert html.index("<code>archived</code>") < html.index("<code>contacted</code>")
    assert html.index("<code>contacted</code>") < html.index("<code>new</code>")


def test_deleting_the_default_status_warns_what_new_talents_get_instead(
    admin_client: Client, new_status: Status
) -> None:
    response = admin_client.get(reverse("talents:status-delete", args=[new_status.pk]))

    assert "It is the default for new talents." in response.content.decode()
