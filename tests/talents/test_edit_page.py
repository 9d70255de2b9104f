"""Create, edit and delete a talent through the pages (the manual channel)."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents.models import CustomField, Event, Status, Tag, Talent

from ..conftest import logged_in
from .factories import make_pool, make_tag, make_talent
from .test_detail_page import detail, text_of

CREATE = reverse("talents:talent-create")


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Jonas",
        "last_name": "Weber",
        "email": "Jonas.Weber@Example.com",
        "phone": "0151 23456789",
        "postcode": "50667",
        "city": "Köln",
        "country": "DE",
        "job_title": "Site reliability engineer",
        "skills": "Go, Kubernetes, go",
        "linkedin_url": "https://de.linkedin.com/in/jonas-weber/",
        "profile_urls": "github.com/jweber\nhttps://jweber.dev",
        "salary_amount": "72000",
        "salary_currency": "eur",
        "salary_period": "year",
        "available_from": "2030-01-15",
    }
    return {**data, **overrides}


def errors_of(html: str) -> dict[str, str]:
    """Field id -> the error text shown right after it."""
    found = re.findall(r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', html, re.S)
    return {name: text_of(text).strip() for name, text in found}


def test_creating_a_talent_sets_pools_tags_status_and_owner_right_away(
    recruiter_client: Client, rita: User, alice: User, statuses: dict[str, Status]
) -> None:
    pool = make_pool("Finalists 2026")
    tag = make_tag("Backend")

    response = recruiter_client.post(
        CREATE,
        form_data(
            pools=[pool.pk],
            tags=[tag.pk],
            new_tags="On-call, backend",
            status=statuses["contacted"].pk,
            owner=alice.pk,
        ),
        follow=True,
    )

    talent = Talent.objects.get()
    assert response.redirect_chain[-1][0] == reverse("talents:talent-detail", args=[talent.pk])
    assert "Jonas Weber was added." in response.content.decode()
    assert talent.email == "Jonas.Weber@example.com"
    assert talent.phone == "+4915123456789"
    assert talent.skills == ["Go", "Kubernetes"]
    assert talent.linkedin_url == "https://www.linkedin.com/in/jonas-weber"
    assert talent.profile_urls == ["https://github.com/jweber", "https://jweber.dev"]
    assert talent.salary_amount == Decimal("72000.00")
    assert talent.salary_currency == "EUR"
    assert talent.available_from == datetime.date(2030, 1, 15)
    assert (talent.source_kind, talent.source_label) == ("manual", "Rita")
    assert talent.status.key == "contacted"
    assert talent.owner == alice
    assert list(talent.pools.all()) == [pool]
    assert sorted(talent.tags.values_list("name", flat=True)) == ["Backend", "On-call"]
    page = text_of(response.content.decode())
    assert "Rita added to pool Finalists 2026" in page
    assert "Rita made Alice the owner" in page


def test_the_create_form_shows_each_service_error_next_to_its_field(
    recruiter_client: Client,
) -> None:
    tags_before = Tag.objects.count()

    response = recruiter_client.post(
        CREATE,
        form_data(
            first_name="",
            email="not-an-email",
            phone="12",
            linkedin_url="javascript:alert(1)",
            available_from="31.02.2030",
            salary_amount="lots",
            salary_currency="euro",
            new_tags="Fresh tag",
        ),
    )

    assert response.status_code == 200
    errors = errors_of(response.content.decode())
    assert errors["first_name"] == "A first name is required."
    assert errors["available_from"] == "Enter a date as YYYY-MM-DD."
    assert errors["salary_amount"] == "Enter the salary as a number, e.g. 65000."
    assert errors["salary_currency"] == "Enter a three-letter currency code such as EUR."
    assert set(errors) >= {"email", "phone", "linkedin_url"}
    assert 'value="not-an-email"' in response.content.decode(), "what was typed stays"
    assert not Talent.objects.exists()
    assert Tag.objects.count() == tags_before, "no tag is left behind by a refused form"


def test_a_new_tag_too_long_is_refused_with_the_form(recruiter_client: Client) -> None:
    tags_before = Tag.objects.count()

    response = recruiter_client.post(CREATE, form_data(new_tags="Short, " + "x" * 81))

    assert response.status_code == 200
    assert errors_of(response.content.decode())["new_tags"].startswith(
        "A tag&#x27;s name has at most 80 characters"
    )
    assert not Talent.objects.exists()
    assert Tag.objects.count() == tags_before


def test_an_existing_email_updates_that_talent_and_says_so(
    recruiter_client: Client, rita: User
) -> None:
    existing = make_talent(rita, first_name="Jonas", email="jonas.weber@example.com", city="Bonn")

    response = recruiter_client.post(
        CREATE, form_data(email=" JONAS.WEBER@example.com "), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("talents:talent-detail", args=[existing.pk])
    assert (
        "A talent with this email already existed; we updated that profile."
        in response.content.decode()
    )
    assert Talent.objects.count() == 1
    existing.refresh_from_db()
    assert existing.city == "Köln"


def test_custom_fields_are_on_the_form_and_validated_by_the_service(
    recruiter_client: Client,
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    CustomField.objects.create(
        key="level", label_en="Level", label_de="Stufe", kind="choice", choices=["Junior", "Senior"]
    )
    CustomField.objects.create(
        key="since", label_en="Freelancer since", label_de="Seit", kind="date"
    )

    page = recruiter_client.get(CREATE).content.decode()
    refused = recruiter_client.post(
        CREATE, form_data(custom_level="Guru", custom_since="2020-13-01")
    )
    created = recruiter_client.post(
        CREATE,
        form_data(custom_notice="3 months", custom_level="Senior", custom_since="2020-05-01"),
    )

    assert "Notice period" in page
    assert 'name="custom_level"' in page
    assert '<option value="Senior">Senior</option>' in page
    errors = errors_of(refused.content.decode())
    assert errors["custom_level"] == "“Guru” is not one of the choices of “Level”."
    assert errors["custom_since"] == "Enter a date as YYYY-MM-DD."
    assert created.status_code == 302
    assert Talent.objects.get().custom_values == {
        "notice": "3 months",
        "level": "Senior",
        "since": "2020-05-01",
    }


def test_the_create_form_offers_only_pools_the_user_may_see_and_editors_as_owners(
    recruiter_client: Client, rita: User, victor: User
) -> None:
    make_pool("Secret board", is_private=True)
    mine = make_pool("Our secret", is_private=True)
    mine.members.add(rita)

    html = recruiter_client.get(CREATE).content.decode()
    forged = recruiter_client.post(CREATE, form_data(pools=[make_pool("x", is_private=True).pk]))

    assert "Our secret" in html
    assert "Secret board" not in html
    owners = re.search(r'<select name="owner".*?</select>', html, re.S)
    assert owners is not None
    assert "Victor" not in owners.group()
    assert "Rita" in owners.group()
    assert "pools" in errors_of(forged.content.decode())
    assert not Talent.objects.exists()


def test_the_edit_form_shows_the_current_values_and_saves_changes(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(
        rita, first_name="Jonas", skills=["Go", "Rust"], profile_urls=["https://a.dev"], city="Bonn"
    )
    url = reverse("talents:talent-edit", args=[talent.pk])

    form = recruiter_client.get(url).content.decode()
    response = recruiter_client.post(
        url, form_data(first_name="Jonas", email=talent.email, city="Köln"), follow=True
    )

    assert 'value="Go, Rust"' in form
    assert "https://a.dev</textarea>" in form
    assert "Changes saved." in response.content.decode()
    talent.refresh_from_db()
    assert talent.city == "Köln"
    assert "Rita changed city from Bonn to Köln" in text_of(response.content.decode())


def test_the_edit_form_refuses_an_email_another_talent_has(
    recruiter_client: Client, rita: User
) -> None:
    make_talent(rita, email="taken@example.com")
    talent = make_talent(rita, first_name="Jonas", email="jonas@example.com")

    response = recruiter_client.post(
        reverse("talents:talent-edit", args=[talent.pk]),
        form_data(first_name="Jonas", email="Taken@example.com"),
    )

    assert errors_of(response.content.decode())["email"] == (
        "Another talent already has this email address."
    )
    talent.refresh_from_db()
    assert talent.email == "jonas@example.com"


def test_deleting_a_talent_asks_first(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, first_name="Jonas", last_name="Weber")
    url = reverse("talents:talent-delete", args=[talent.pk])

    confirm = recruiter_client.get(url)
    response = recruiter_client.post(url)

    assert "Delete Jonas Weber for good?" in confirm.content.decode()
    assert Talent.objects.filter(pk=talent.pk).exists() is False
    assert response["Location"] == reverse("talents:talent-list")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_cannot_open_create_edit_or_delete(
    viewer_client: Client, rita: User, method: str
) -> None:
    talent = make_talent(rita)
    urls = [
        CREATE,
        reverse("talents:talent-edit", args=[talent.pk]),
        reverse("talents:talent-delete", args=[talent.pk]),
    ]

    statuses = [getattr(viewer_client, method)(url, form_data()).status_code for url in urls]

    assert statuses == [403, 403, 403]
    assert Talent.objects.count() == 1


def test_an_email_of_a_talent_the_user_cannot_see_is_refused_without_revealing_it(
    rita: User, alice: User
) -> None:
    secret = make_pool("Secret", is_private=True)
    hidden = make_talent(
        alice,
        first_name="Clara",
        last_name="Vorstand",
        email="hidden@example.com",
        city="Bonn",
        pools=[secret],
    )

    response = logged_in(rita).post(CREATE, form_data(email="HIDDEN@example.com"))

    assert response.status_code == 200
    assert errors_of(response.content.decode())["email"] == (
        "A talent with this email address already exists in a private pool you are not a member of."
    )
    page = text_of(response.content.decode())
    assert "Clara" not in page
    assert "Vorstand" not in page
    assert "Secret" not in page
    hidden.refresh_from_db()
    assert (hidden.first_name, hidden.city) == ("Clara", "Bonn")
    assert not hidden.events.filter(kind=Event.Kind.UPDATED).exists()
    assert Talent.objects.count() == 1


def test_an_email_of_a_talent_in_the_users_own_private_pool_updates_it(
    rita: User, alice: User
) -> None:
    secret = make_pool("Secret", is_private=True)
    secret.members.add(rita)
    known = make_talent(alice, email="known@example.com", city="Bonn", pools=[secret])

    response = logged_in(rita).post(CREATE, form_data(email="known@example.com"), follow=True)

    assert response.redirect_chain[0][0] == reverse("talents:talent-detail", args=[known.pk])
    known.refresh_from_db()
    assert known.city == "Köln"


def test_the_new_talent_appears_on_its_page_with_the_manual_source(
    recruiter_client: Client,
) -> None:
    recruiter_client.post(CREATE, form_data())

    page = text_of(detail(recruiter_client, Talent.objects.get()))

    assert "Manual · Rita" in page
    assert "Go" in page
    assert "Kubernetes" in page
    assert "72,000 EUR per year" in page
