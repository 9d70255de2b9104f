"""The talent detail page: what it shows, in-place edits, roles and visibility."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import CustomField, DuplicateFlag, Event, Status, Tag, Talent

from ..conftest import logged_in
from .factories import make_pool, make_tag, make_talent

HTMX = {"HX-Request": "true"}


def text_of(html: str) -> str:
    """The page as a user reads it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def detail(client: Client, talent: Talent) -> str:
    response = client.get(reverse("talents:talent-detail", args=[talent.pk]))
    assert response.status_code == 200
    return response.content.decode()


def timeline(talent: Talent) -> list[str]:
    return list(Talent.objects.get(pk=talent.pk).events.values_list("kind", flat=True))


def test_the_page_shows_every_field_in_readable_form(recruiter_client: Client, rita: User) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Kündigungsfrist")
    talent = make_talent(
        rita,
        first_name="Anna",
        last_name="Müller",
        email="anna@example.com",
        phone="030 1234567",
        postcode="10115",
        city="Berlin",
        country="DE",
        job_title="Platform engineer",
        skills="Python, Kubernetes",
        linkedin_url="linkedin.com/in/anna",
        profile_urls="https://github.com/anna",
        salary_amount="65000",
        salary_currency="EUR",
        salary_period="year",
        available_from="2030-04-01",
        custom_values={"notice": "3 months"},
    )

    html = detail(recruiter_client, talent)

    page = text_of(html)
    assert "Anna Müller" in page
    assert "+49 30 1234567" in page
    assert '<span class="chip">Kubernetes</span>' in html
    assert "65,000 EUR per year" in page
    assert "Germany" in page
    assert "Notice period" in page
    assert "3 months" in page
    assert 'href="https://github.com/anna" rel="noopener nofollow"' in html
    assert 'href="https://www.linkedin.com/in/anna" rel="noopener nofollow"' in html
    assert "Manual · Rita" in page
    assert "Rita created the profile (source: Manual · Rita)" in page


@pytest.mark.parametrize(
    ("source_kind", "label", "sentence"),
    [
        (Talent.SourceKind.IMPORT, "kandidaten.xlsx", "Rita imported new details (source: Import"),
        (Talent.SourceKind.FORM, "Messe 2026", "Rita sent new details (source: Form"),
    ],
)
def test_new_details_say_whether_a_user_imported_them_or_a_channel_sent_them(
    recruiter_client: Client, rita: User, source_kind: str, label: str, sentence: str
) -> None:
    talent = make_talent(rita)
    Event.objects.create(
        talent=talent,
        kind=Event.Kind.UPDATED,
        actor=rita,
        data={"source_kind": source_kind, "source_label": label},
    )

    assert f"{sentence} · {label})" in text_of(detail(recruiter_client, talent))


def test_markup_in_any_field_is_shown_as_text(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, first_name="<script>alert(1)</script>", city="<b>Köln</b>")
    services.add_note(talent, "<img src=x onerror=alert(2)>", author=rita)

    html = detail(recruiter_client, talent)

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Köln</b>" not in html
    assert "<img src=x" not in html


def test_a_talent_in_a_private_pool_is_not_found_by_a_recruiter_outside_it(
    recruiter_client: Client, alice: User
) -> None:
    secret = make_pool("Board candidates", is_private=True)
    secret.members.add(alice)
    talent = make_talent(alice, pools=[secret])

    for url in [
        reverse("talents:talent-detail", args=[talent.pk]),
        reverse("talents:talent-edit", args=[talent.pk]),
        reverse("talents:talent-field", args=[talent.pk, "city"]),
    ]:
        assert recruiter_client.get(url).status_code == 404
    response = recruiter_client.post(reverse("talents:note-add", args=[talent.pk]), {"text": "x"})
    assert response.status_code == 404
    assert (
        logged_in(alice).get(reverse("talents:talent-detail", args=[talent.pk])).status_code == 200
    )


def test_a_member_of_the_private_pool_sees_the_talent(rita: User, alice: User) -> None:
    secret = make_pool("Board candidates", is_private=True)
    secret.members.add(rita)
    talent = make_talent(alice, first_name="Bettina", pools=[secret])

    assert "Bettina" in detail(logged_in(rita), talent)


def test_an_unknown_id_is_not_found(recruiter_client: Client) -> None:
    response = recruiter_client.get(reverse("talents:talent-detail", args=[987654]))

    assert response.status_code == 404


def test_the_page_needs_a_login(client: Client, rita: User) -> None:
    talent = make_talent(rita)

    response = client.get(reverse("talents:talent-detail", args=[talent.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_viewer_sees_no_edit_controls(viewer_client: Client, rita: User) -> None:
    talent = make_talent(rita, city="Berlin", pools=[make_pool("Finalists 2026")])
    services.add_note(talent, "Strong candidate", author=rita)

    html = detail(viewer_client, talent)

    assert "Berlin" in html
    assert "Finalists 2026" in html
    assert "Strong candidate" in html
    assert 'method="post"' not in html.split('id="main"')[1]
    assert "Edit all fields" not in html
    assert reverse("talents:talent-field", args=[talent.pk, "city"]) not in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("talent-field", {"city": "Köln"}),
        ("talent-status", {"status": "1"}),
        ("talent-owner", {"owner": ""}),
        ("talent-pool-add", {"pool": "1"}),
        ("talent-tag-add", {"tag_name": "Backend"}),
        ("note-add", {"text": "hello"}),
        ("document-add", {}),
        ("talent-edit", {"first_name": "X"}),
        ("talent-delete", {}),
    ],
)
def test_a_viewer_gets_403_on_every_change(
    viewer_client: Client, rita: User, name: str, data: dict[str, str]
) -> None:
    talent = make_talent(rita, city="Berlin")
    args: list[object] = [talent.pk, "city"] if name == "talent-field" else [talent.pk]

    response = viewer_client.post(reverse(f"talents:{name}", args=args), data)

    assert response.status_code == 403
    talent.refresh_from_db()
    assert talent.city == "Berlin"
    assert timeline(talent) == [Event.Kind.CREATED]


def test_a_viewer_gets_403_removing_a_pool_or_tag(viewer_client: Client, rita: User) -> None:
    pool, tag = make_pool("Finalists 2026"), make_tag("Backend")
    talent = make_talent(rita, pools=[pool], tags=[tag])

    pool_response = viewer_client.post(
        reverse("talents:talent-pool-remove", args=[talent.pk, pool.pk])
    )
    tag_response = viewer_client.post(
        reverse("talents:talent-tag-remove", args=[talent.pk, tag.pk])
    )

    assert (pool_response.status_code, tag_response.status_code) == (403, 403)
    assert talent.pools.count() == 1
    assert talent.tags.count() == 1


# --- in-place field edits -------------------------------------------------------------------


def test_the_field_form_shows_the_current_value(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, city="Berlin")

    response = recruiter_client.get(
        reverse("talents:talent-field", args=[talent.pk, "city"]), headers=HTMX
    )

    assert response.status_code == 200
    assert 'name="city"' in response.content.decode()
    assert 'value="Berlin"' in response.content.decode()


def test_editing_a_field_in_place_saves_it_and_tells_the_timeline(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita, city="Berlin")

    response = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "city"]), {"city": "Köln"}, headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="field-city"' in html
    assert 'id="timeline" aria-labelledby="timeline-title" hx-swap-oob="true"' in html
    assert "Rita changed city from Berlin to Köln" in text_of(html)
    talent.refresh_from_db()
    assert talent.city == "Köln"
    assert "Rita changed city from Berlin to Köln" in text_of(detail(recruiter_client, talent))


def test_an_invalid_value_in_place_shows_the_error_next_to_the_field(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita, phone="030 1234567")

    response = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "phone"]), {"phone": "12"}, headers=HTMX
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="phone"' in html
    assert "Not a valid phone number (country of numbers without a country code: Germany)" in html
    talent.refresh_from_db()
    assert talent.phone == "+49301234567"


def test_salary_is_edited_in_place_as_amount_currency_and_period(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "salary"]),
        {"salary_amount": "5 500", "salary_currency": "chf", "salary_period": "month"},
        headers=HTMX,
    )

    assert response.status_code == 200
    talent.refresh_from_db()
    assert (talent.salary_amount, talent.salary_currency, talent.salary_period) == (
        Decimal("5500.00"),
        "CHF",
        "month",
    )
    assert "5,500 CHF per month" in text_of(response.content.decode())


def test_a_custom_field_is_edited_in_place_and_keeps_the_others(
    recruiter_client: Client, rita: User
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    CustomField.objects.create(
        key="years", label_en="Years of experience", label_de="Jahre", kind="number"
    )
    talent = make_talent(rita, custom_values={"notice": "3 months"})

    ok = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "custom_years"]),
        {"custom_years": "7"},
        headers=HTMX,
    )
    bad = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "custom_years"]),
        {"custom_years": "seven"},
        headers=HTMX,
    )

    assert ok.status_code == 200
    assert bad.status_code == 422
    assert "“Years of experience” must be a number." in bad.content.decode()
    talent.refresh_from_db()
    assert talent.custom_values == {"notice": "3 months", "years": 7.0}


def test_clearing_the_first_name_in_place_is_refused(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita, first_name="Anna")

    response = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "first_name"]),
        {"first_name": " "},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "A first name is required." in response.content.decode()
    talent.refresh_from_db()
    assert talent.first_name == "Anna"


def test_editing_a_field_without_javascript_redirects_back_with_a_message(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita, city="Berlin")
    url = reverse("talents:talent-field", args=[talent.pk, "city"])

    response = recruiter_client.post(url, {"city": "Hamburg"}, follow=True)
    failed = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, "email"]),
        {"email": "not-an-email"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("talents:talent-detail", args=[talent.pk])
    assert "City saved." in response.content.decode()
    assert "Email:" in failed.content.decode()
    talent.refresh_from_db()
    assert talent.city == "Hamburg"


def test_the_edit_link_without_javascript_leads_to_the_full_form(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.get(reverse("talents:talent-field", args=[talent.pk, "city"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("talents:talent-edit", args=[talent.pk]) + "#id_city"


@pytest.mark.parametrize("field", ["status", "search_text", "custom_nope", "is_restricted"])
def test_an_unknown_field_name_is_not_found(
    recruiter_client: Client, rita: User, field: str
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:talent-field", args=[talent.pk, field]), {field: "x"}, headers=HTMX
    )

    assert response.status_code == 404


# --- status, owner, pools and tags ----------------------------------------------------------


def test_status_owner_pool_and_tag_changes_appear_on_the_timeline(
    recruiter_client: Client, rita: User, alice: User, statuses: dict[str, Status]
) -> None:
    talent = make_talent(rita)
    pool = make_pool("Finalists 2026")
    url = reverse

    recruiter_client.post(
        url("talents:talent-status", args=[talent.pk]), {"status": statuses["contacted"].pk}
    )
    recruiter_client.post(url("talents:talent-owner", args=[talent.pk]), {"owner": alice.pk})
    recruiter_client.post(url("talents:talent-pool-add", args=[talent.pk]), {"pool": pool.pk})
    recruiter_client.post(url("talents:talent-tag-add", args=[talent.pk]), {"tag_name": "Backend"})
    tag = Tag.objects.get(name="Backend")
    recruiter_client.post(url("talents:talent-tag-remove", args=[talent.pk, tag.pk]))
    recruiter_client.post(url("talents:talent-pool-remove", args=[talent.pk, pool.pk]))

    page = text_of(detail(recruiter_client, talent))
    sentences = [
        "Rita removed from pool Finalists 2026",
        "Rita removed tag Backend",
        "Rita added tag Backend",
        "Rita added to pool Finalists 2026",
        "Rita made Alice the owner",
        "Rita changed the status from New to Contacted",
        "Rita created the profile",
    ]
    positions = [page.index(sentence) for sentence in sentences]
    assert positions == sorted(positions), "the timeline is newest first"
    talent.refresh_from_db()
    assert talent.status.key == "contacted"
    assert talent.owner == alice


def test_changing_the_status_with_htmx_returns_the_panel_and_the_timeline(
    recruiter_client: Client, rita: User, statuses: dict[str, Status]
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:talent-status", args=[talent.pk]),
        {"status": statuses["engaged"].pk},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel" id="meta"')
    assert 'id="timeline" aria-labelledby="timeline-title" hx-swap-oob="true"' in html
    assert "Rita changed the status from New to Engaged" in text_of(html)
    assert 'id="messages" aria-live="polite" hx-swap-oob="true"' in html
    assert "Status set to Engaged." in html


def test_a_tag_can_be_added_by_a_new_name_or_an_existing_one(
    recruiter_client: Client, rita: User
) -> None:
    make_tag("Backend")
    talent = make_talent(rita)
    url = reverse("talents:talent-tag-add", args=[talent.pk])

    tags_before = Tag.objects.count()

    recruiter_client.post(url, {"tag_name": "  backend "})
    recruiter_client.post(url, {"tag_name": "Night owl"})
    empty = recruiter_client.post(url, {"tag_name": ""}, headers=HTMX)

    assert sorted(talent.tags.values_list("name", flat=True)) == ["Backend", "Night owl"]
    assert Tag.objects.count() == tags_before + 1
    assert empty.status_code == 422
    assert "A name is required." in empty.content.decode()


def test_the_owner_can_be_removed_but_not_set_to_a_viewer(
    recruiter_client: Client, rita: User, victor: User
) -> None:
    talent = make_talent(rita, owner=rita)
    url = reverse("talents:talent-owner", args=[talent.pk])

    refused = recruiter_client.post(url, {"owner": victor.pk})
    recruiter_client.post(url, {"owner": ""})

    assert refused.status_code == 404
    talent.refresh_from_db()
    assert talent.owner is None
    assert "Rita removed Rita as owner" in text_of(detail(recruiter_client, talent))


def test_a_private_pool_the_user_is_not_in_cannot_be_chosen(
    recruiter_client: Client, rita: User
) -> None:
    secret = make_pool("Secret", is_private=True)
    talent = make_talent(rita)

    html = detail(recruiter_client, talent)
    response = recruiter_client.post(
        reverse("talents:talent-pool-add", args=[talent.pk]), {"pool": secret.pk}
    )

    assert "Secret" not in html
    assert response.status_code == 404
    assert talent.pools.count() == 0


@pytest.mark.parametrize("value", ["", "abc", "1e3", "99999999999999999999999", "١"])
def test_a_malformed_choice_is_not_found_rather_than_an_error(
    recruiter_client: Client, rita: User, value: str
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:talent-status", args=[talent.pk]), {"status": value}
    )

    assert response.status_code == 404


# --- duplicates ---------------------------------------------------------------------------


def test_the_duplicate_banner_names_the_other_talent_and_the_reason(
    recruiter_client: Client, rita: User
) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Müller", phone="030 1234567")
    other = make_talent(rita, first_name="anna", last_name="MULLER", phone="+49 30 1234567")

    page = text_of(detail(recruiter_client, anna))

    assert "This may be the same person as anna MULLER : same name and phone number." in page
    assert "Compare and merge" in page
    assert reverse("talents:talent-merge", args=[anna.pk, other.pk]) in detail(
        recruiter_client, anna
    )


def test_not_a_duplicate_removes_the_banner_from_both_profiles(
    recruiter_client: Client, rita: User
) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Müller", phone="030 1234567")
    other = make_talent(rita, first_name="Anna", last_name="Müller", phone="030 1234567")
    flag = DuplicateFlag.objects.get()

    response = recruiter_client.post(
        reverse("talents:duplicate-dismiss", args=[flag.pk]), {"talent": other.pk}, headers=HTMX
    )

    assert response.status_code == 200
    assert "This may be the same person" not in text_of(detail(recruiter_client, anna))
    assert "This may be the same person" not in text_of(detail(recruiter_client, other))
    flag.refresh_from_db()
    assert flag.dismissed_at is not None


def test_the_banner_does_not_name_a_talent_the_user_cannot_see(
    recruiter_client: Client, rita: User, alice: User
) -> None:
    secret = make_pool("Secret", is_private=True)
    make_talent(alice, first_name="Hidden", last_name="Person", phone="030 1234567", pools=[secret])
    visible = make_talent(rita, first_name="Hidden", last_name="Person", phone="030 1234567")

    page = text_of(detail(recruiter_client, visible))

    assert "This may be the same person" not in page
    assert "Possibly the same person as another talent" in page


def test_a_viewer_cannot_dismiss_a_duplicate(viewer_client: Client, rita: User) -> None:
    make_talent(rita, first_name="Anna", last_name="Müller", phone="030 1234567")
    make_talent(rita, first_name="Anna", last_name="Müller", phone="030 1234567")
    flag = DuplicateFlag.objects.get()

    response = viewer_client.post(reverse("talents:duplicate-dismiss", args=[flag.pk]))

    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.dismissed_at is None


def test_htmx_can_fetch_the_documents_or_the_timeline_alone(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)
    url = reverse("talents:talent-detail", args=[talent.pk])

    documents = recruiter_client.get(url, {"fragment": "documents"}, headers=HTMX)
    other = recruiter_client.get(url, {"fragment": "flash"}, headers=HTMX)

    assert documents.content.decode().lstrip().startswith('<section class="panel"')
    assert 'id="documents"' in documents.content.decode()
    assert "<html" not in documents.content.decode()
    assert "<html" in other.content.decode(), "only listed fragments are served alone"
