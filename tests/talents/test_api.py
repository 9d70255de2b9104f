"""The JSON API at /api/v1/: talents, notes, timeline, pools, tags and memberships."""

import datetime
from typing import Any, get_args
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test import Client

from silverpool.accounts.models import ApiToken, User
from silverpool.talents import services
from silverpool.talents.forms.filters import TalentFilterForm
from silverpool.talents.models import CustomField, Event, Note, Pool, Status, Tag, Talent
from silverpool.talents.schemas import Sort
from silverpool.talents.search import SORTS, filter_talents

from .factories import make_pool, make_tag, make_talent

URL = "/api/v1"


def token_client(user: User, name: str = "CRM sync") -> Client:
    _token, raw = ApiToken.issue(user, name)
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.fixture
def api(rita: User) -> Client:
    """Rita the recruiter, through an API token named "CRM sync"."""
    return token_client(rita)


@pytest.fixture
def admin_api(alice: User) -> Client:
    return token_client(alice)


def kinds(talent: Talent) -> list[str]:
    return list(talent.events.order_by("-created_at", "-id").values_list("kind", flat=True))


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


# ---- create ---------------------------------------------------------------------------------


def test_creating_a_talent_answers_201_with_it_and_records_the_api_as_source(
    api: Client, rita: User
) -> None:
    pool, tag = make_pool("Backend"), make_tag("Python")

    response = api.post(
        f"{URL}/talents",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "Anna.Schmidt@Example.com",
            "phone": "030 1234567",
            "skills": ["Python", "Django"],
            "salary_amount": "65000",
            "available_from": "2027-01-01",
            "status": "contacted",
            "owner": rita.pk,
            "pools": [pool.pk],
            "tags": [tag.pk],
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] is True
    assert body["email"] == "Anna.Schmidt@example.com"
    assert body["phone"] == "+49301234567"
    assert body["status"] == "contacted"
    assert body["owner"] == {"id": rita.pk, "name": "Rita"}
    assert body["pools"] == [{"id": pool.pk, "name": "Backend"}]
    assert body["tags"] == [{"id": tag.pk, "name": "Python"}]
    talent = Talent.objects.get(pk=body["id"])
    assert (talent.source_kind, talent.source_label) == (Talent.SourceKind.API, "CRM sync")
    assert str(talent.salary_amount) == "65000.00"
    assert set(kinds(talent)) == {
        Event.Kind.CREATED,
        Event.Kind.OWNER_CHANGED,
        Event.Kind.POOL_ADDED,
        Event.Kind.TAG_ADDED,
    }
    assert talent.events.get(kind=Event.Kind.CREATED).actor == rita


def test_creating_with_a_known_email_updates_that_talent_and_answers_200(
    api: Client, rita: User
) -> None:
    anna = make_talent(rita, first_name="Anna", email="anna@example.com", job_title="Developer")

    response = api.post(
        f"{URL}/talents",
        {"first_name": "Anna", "email": "  ANNA@example.com ", "city": "Köln", "job_title": ""},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["id"] == anna.pk
    assert Talent.objects.count() == 1
    anna.refresh_from_db()
    assert anna.city == "Köln"
    assert anna.job_title == "Developer"  # an empty value never blanks a field
    assert kinds(anna)[:2] == [Event.Kind.FIELD_CHANGED, Event.Kind.UPDATED]


def test_creating_with_the_email_of_a_talent_you_may_not_see_is_refused(
    api: Client, alice: User
) -> None:
    secret = make_pool("Board", is_private=True)
    hidden = make_talent(
        alice, first_name="Clara", email="ceo@example.com", city="Berlin", pools=[secret]
    )

    response = api.post(
        f"{URL}/talents",
        {"first_name": "Eve", "email": "CEO@example.com", "city": "Paris"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "email": [
            "A talent with this email address already exists in a private pool you are not a "
            "member of."
        ]
    }
    for secret_word in ("Berlin", "Clara", "Board", str(hidden.pk)):
        assert secret_word not in response.content.decode()
    hidden.refresh_from_db()
    assert hidden.city == "Berlin"
    assert not hidden.events.filter(kind=Event.Kind.UPDATED).exists()


def test_a_session_user_creates_talents_with_api_as_source_label(recruiter_client: Client) -> None:
    response = recruiter_client.post(
        f"{URL}/talents", {"first_name": "Ben"}, content_type="application/json"
    )

    assert response.status_code == 201
    assert Talent.objects.get().source_label == "API"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a" * 250 + "@example.com"),
        ("phone", "12"),
        ("phone", "call me maybe"),
        ("linkedin_url", "javascript:alert(1)"),
        ("linkedin_url", "linkedin.com/in/" + "x" * 290),
        ("profile_urls", ["not a url"]),
        ("available_from", "31.02.2027"),
        ("available_from", "2027-02-30"),
        ("salary_amount", "lots"),
        ("salary_amount", -5),
        ("salary_amount", "NaN"),
        ("salary_amount", "12.345"),
        ("salary_period", "week"),
        ("salary_currency", "EURO"),
        ("country", "XX"),
        ("first_name", ""),
        ("first_name", "x" * 101),
        ("first_name", "Nul\x00l"),
        ("skills", "Python"),
        ("status", "no-such-status"),
        ("owner", 999_999),
        ("pools", [999_999]),
        ("tags", [999_999]),
    ],
)
def test_an_invalid_value_answers_422_naming_the_field(api: Client, field: str, value: Any) -> None:
    payload = {"first_name": "Anna", field: value}

    response = api.post(f"{URL}/talents", payload, content_type="application/json")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert Talent.objects.count() == 0


def test_a_linkedin_url_too_long_once_normalised_answers_422(api: Client) -> None:
    # 296 characters pass the schema; "https://www." makes them 308, more than the column holds.
    url = "linkedin.com/in/" + "x" * 280

    response = api.post(
        f"{URL}/talents",
        {"first_name": "Anna", "linkedin_url": url},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["linkedin_url"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "sNaN", "1e999999"])
def test_a_custom_number_field_takes_only_finite_numbers(api: Client, value: str) -> None:
    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist", kind="number")

    response = api.post(
        f"{URL}/talents",
        {"first_name": "Anna", "custom_values": {"notice": value}},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["custom_values"]


def test_every_invalid_field_is_named_at_once(api: Client) -> None:
    response = api.post(
        f"{URL}/talents",
        {"first_name": "Anna", "email": "nope", "phone": "12", "status": "nope", "owner": 999},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"email", "phone", "status", "owner"}


def test_a_body_that_is_not_json_answers_400_in_the_error_shape(api: Client) -> None:
    response = api.post(f"{URL}/talents", "{first_name:", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_body_that_is_not_an_object_answers_422(api: Client) -> None:
    response = api.post(f"{URL}/talents", [1, 2], content_type="application/json")

    assert response.status_code == 422
    assert "request" in response.json()["error"]["fields"]


# ---- read -----------------------------------------------------------------------------------


def test_a_talent_shows_its_fields_and_only_the_pools_you_may_see(
    api: Client, rita: User, alice: User
) -> None:
    public, secret = make_pool("Backend"), make_pool("Board", is_private=True)
    # Rita sees the talent through her own private pool, but not the board pool.
    mine = make_pool("Rita's", is_private=True)
    mine.members.add(rita)
    talent = make_talent(
        alice, first_name="Anna", city="Köln", country="de", pools=[public, secret, mine]
    )

    response = api.get(f"{URL}/talents/{talent.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["first_name"], body["city"], body["country"]) == ("Anna", "Köln", "DE")
    assert body["status"] == "new"
    assert body["source_kind"] == "manual"
    assert sorted(p["name"] for p in body["pools"]) == ["Backend", "Rita's"]


def test_no_cache_may_keep_an_answer(api: Client, rita: User) -> None:
    talent = make_talent(rita)

    found = api.get(f"{URL}/talents/{talent.pk}")
    deleted = api.delete(f"{URL}/talents/{talent.pk}")
    missing = api.get(f"{URL}/talents/{talent.pk}")

    assert [r["Cache-Control"] for r in (found, deleted, missing)] == ["no-store"] * 3


def test_an_unknown_talent_answers_404_in_the_error_shape(api: Client) -> None:
    response = api.get(f"{URL}/talents/424242")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No such talent.", "fields": {}}
    }


@pytest.mark.parametrize("talent_id", ["abc", "-1", "0", str(2**70), "1.5"])
def test_a_malformed_or_impossible_id_answers_404_or_422_never_500(
    api: Client, talent_id: str
) -> None:
    response = api.get(f"{URL}/talents/{talent_id}")

    assert response.status_code in (404, 422)
    assert "error" in response.json()


@pytest.mark.parametrize("path", ["/no/such/thing", "/", "/talents/1/nothing"])
def test_an_unknown_endpoint_answers_404_in_the_error_shape(api: Client, path: str) -> None:
    response = api.get(URL + path)

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "There is no such API endpoint.", "fields": {}}
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/talents", "GET, POST"),
        ("put", "/talents/1", "DELETE, GET, PATCH"),
        ("post", "/statuses", "GET"),
    ],
)
def test_a_wrong_method_answers_405_in_the_error_shape_with_the_allowed_ones(
    api: Client, method: str, path: str, allowed: str
) -> None:
    response = getattr(api, method)(URL + path)

    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": f"{method.upper()} is not allowed here; use {allowed}.",
            "fields": {},
        }
    }


def test_a_wrong_method_answers_405_in_the_language_asked_for(api: Client) -> None:
    response = api.delete(f"{URL}/talents", headers={"accept-language": "de"})

    assert response.status_code == 405
    assert (
        response.json()["error"]["message"] == "DELETE ist hier nicht erlaubt; erlaubt: GET, POST."
    )


def test_statuses_are_listed_with_their_keys(api: Client) -> None:
    response = api.get(f"{URL}/statuses")

    assert response.status_code == 200
    assert [s["key"] for s in response.json()][:2] == ["new", "contacted"]


# ---- search, filters, sort ------------------------------------------------------------------


@pytest.fixture
def crowd(rita: User, alice: User, statuses: dict[str, Status]) -> dict[str, Talent]:
    """Five talents that differ in every filterable way."""
    pool, tag = make_pool("Backend"), make_tag("Remote")
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)):
        anna = make_talent(
            rita,
            first_name="Anna",
            last_name="Zeller",
            skills=["Python"],
            city="Köln",
            country="DE",
            available_from="2026-03-01",
            owner=rita,
            pools=[pool],
            tags=[tag],
        )
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC)):
        ben = make_talent(
            rita,
            first_name="Ben",
            last_name="Adler",
            job_title="Python developer",
            city="köln",
            country="DE",
            available_from="2026-06-01",
            status=statuses["contacted"],
            pools=[pool],
        )
        carla = make_talent(
            alice,
            first_name="Carla",
            last_name="Müller",
            skills=["Go"],
            city="Wien",
            country="AT",
            status=statuses["contacted"],
            owner=alice,
            tags=[tag],
            source_kind=Talent.SourceKind.IMPORT,
        )
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, tzinfo=datetime.UTC)):
        dora = make_talent(rita, first_name="Dora", last_name="Brandt", city="Berlin")
        services.add_note(dora, "Knows python and kubernetes", author=rita)
        emil = make_talent(alice, first_name="Emil", last_name="Meier", city="Hamburg")
        Talent.objects.filter(pk=emil.pk).update(source_label="fair-2025.xlsx")
    return {"anna": anna, "ben": ben, "carla": carla, "dora": dora, "emil": emil}


def named(crowd: dict[str, Talent], *names: str) -> list[int]:
    return [crowd[name].pk for name in names]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "pyth"}, {"anna", "ben", "dora"}),  # skill, job title, note: as prefixes
        ({"q": "python köln"}, {"anna", "ben"}),
        ({"q": "MULLER"}, {"carla"}),  # accents and case folded
        ({"pool": "Backend"}, {"anna", "ben"}),
        ({"tag": "Remote"}, {"anna", "carla"}),
        ({"status": "contacted"}, {"ben", "carla"}),
        ({"source_kind": "import"}, {"carla"}),
        ({"source_label": "FAIR-2025.xlsx"}, {"emil"}),
        ({"owner": "rita"}, {"anna"}),
        ({"unowned": "true"}, {"ben", "dora", "emil"}),
        ({"available_from_min": "2026-04-01"}, {"ben"}),
        ({"available_from_max": "2026-04-01"}, {"anna"}),
        ({"created_min": "2025-03-01", "created_max": "2025-03-31"}, {"ben", "carla"}),
        ({"created_min": "2025-04-01"}, {"dora", "emil"}),
        ({"city": "KöLN"}, {"anna", "ben"}),  # SQLite folds the case of ASCII letters only
        ({"country": "at"}, {"carla"}),
        ({"q": "python", "pool": "Backend", "tag": "Remote"}, {"anna"}),
    ],
)
def test_the_list_filters_talents(
    api: Client, crowd: dict[str, Talent], rita: User, query: dict[str, str], expected: set[str]
) -> None:
    params = dict(query)
    if "pool" in params:
        params["pool"] = str(Pool.objects.get(name=params["pool"]).pk)
    if "tag" in params:
        params["tag"] = str(Tag.objects.get(name=params["tag"]).pk)
    if params.get("owner") == "rita":
        params["owner"] = str(rita.pk)

    response = api.get(f"{URL}/talents", params)

    assert set(ids(response)) == set(named(crowd, *expected))
    assert response.json()["total"] == len(expected)
    assert response.json()["total_is_exact"] is True


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["ben", "dora", "emil", "carla", "anna"]),
        ("-name", ["anna", "carla", "emil", "dora", "ben"]),
        ("created", ["emil", "dora", "carla", "ben", "anna"]),
        ("-created", ["anna", "ben", "carla", "dora", "emil"]),
        ("available", ["anna", "ben"]),  # then the talents without a date
    ],
)
def test_the_list_sorts_talents(
    api: Client, crowd: dict[str, Talent], sort: str, expected: list[str]
) -> None:
    response = api.get(f"{URL}/talents", {"sort": sort})

    assert ids(response)[: len(expected)] == named(crowd, *expected)


@pytest.mark.parametrize(
    "query",
    [
        "q=python",
        "q=k%C3%B6ln&sort=name",
        "status={contacted}&sort=-created",
        "pool={pool}&tag={tag}",
        "owner=none&sort=activity",
        "source_kind=import",
        "city=K%C3%B6LN&country=DE&sort=-name",
        "available_from_min=2026-01-01&available_from_max=2026-12-31&sort=available",
        "created_min=2025-02-01&sort=-updated",
    ],
)
def test_the_list_finds_the_same_talents_in_the_same_order_as_the_page(
    api: Client, crowd: dict[str, Talent], rita: User, statuses: dict[str, Status], query: str
) -> None:
    refs = {
        "contacted": statuses["contacted"],
        "pool": Pool.objects.get(name="Backend"),
        "tag": Tag.objects.get(name="Remote"),
    }
    page_query = query.format(**{name: obj.pk for name, obj in refs.items()})
    # The page takes a status id, the API the status key; the page says owner=none.
    api_query = query.format(contacted="contacted", pool=refs["pool"].pk, tag=refs["tag"].pk)
    api_query = api_query.replace("owner=none", "unowned=true")
    form = TalentFilterForm(QueryDict(page_query), user=rita)
    on_page = list(
        filter_talents(Talent.objects.visible_to(rita), form.to_filters()).values_list(
            "pk", flat=True
        )
    )

    response = api.get(f"{URL}/talents?{api_query}")

    assert form.errors == {}
    assert ids(response) == on_page
    assert on_page


def test_the_sort_choices_are_those_of_the_search() -> None:
    assert set(get_args(Sort)) == set(SORTS)


def test_the_list_pages_through_talents_and_gives_the_total(
    api: Client, crowd: dict[str, Talent]
) -> None:
    first = api.get(f"{URL}/talents", {"sort": "name", "page_size": "2"})
    third = api.get(f"{URL}/talents", {"sort": "name", "page_size": "2", "page": "3"})

    assert ids(first) == named(crowd, "ben", "dora")
    assert ids(third) == named(crowd, "anna")
    assert third.json() | {"items": []} == {
        "items": [],
        "total": 5,
        "total_is_exact": True,
        "page": 3,
        "page_size": 2,
    }


def test_a_total_above_the_exact_count_limit_is_an_estimate_on_postgresql(
    api: Client, crowd: dict[str, Talent], settings: Any
) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 2

    body = api.get(f"{URL}/talents").json()

    if connection.vendor == "postgresql":
        assert body["total_is_exact"] is False
        assert body["total"] >= 3
    else:
        assert (body["total"], body["total_is_exact"]) == (5, True)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("page_size", "201"),
        ("page_size", "0"),
        ("page", "0"),
        ("sort", "salary"),
        ("status", "no-such-status"),
        ("pool", "999999"),
        ("pool", "abc"),
        ("created_min", "yesterday"),
        ("source_kind", "carrier-pigeon"),
        ("q", "x" * 201),
    ],
)
def test_an_invalid_list_parameter_answers_422_naming_it(
    api: Client, param: str, value: str
) -> None:
    response = api.get(f"{URL}/talents?{urlencode({param: value})}")

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [param]


def test_a_private_pool_you_are_not_in_cannot_be_used_as_a_filter(api: Client, alice: User) -> None:
    secret = make_pool("Board", is_private=True)
    make_talent(alice, pools=[secret])

    response = api.get(f"{URL}/talents", {"pool": secret.pk})

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["pool"]


# ---- update and delete ----------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent_and_records_each_change(
    api: Client, rita: User, alice: User
) -> None:
    talent = make_talent(alice, first_name="Anna", city="Bonn", job_title="Developer")

    response = api.patch(
        f"{URL}/talents/{talent.pk}",
        {"city": "Köln", "status": "contacted", "owner": rita.pk},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["city"], response.json()["status"]) == ("Köln", "contacted")
    talent.refresh_from_db()
    assert (talent.city, talent.job_title, talent.owner) == ("Köln", "Developer", rita)
    change = talent.events.get(kind=Event.Kind.FIELD_CHANGED)
    assert change.data == {"field": "city", "old": "Bonn", "new": "Köln"}
    assert change.actor == rita
    assert talent.events.get(kind=Event.Kind.STATUS_CHANGED).data == {
        "old": "new",
        "new": "contacted",
    }
    assert talent.events.filter(kind=Event.Kind.OWNER_CHANGED).exists()


def test_patch_with_null_clears_a_field_and_owner(api: Client, rita: User) -> None:
    talent = make_talent(rita, city="Bonn", skills=["Go"], salary_amount="50000", owner=rita)

    response = api.patch(
        f"{URL}/talents/{talent.pk}",
        {"city": None, "skills": None, "salary_amount": None, "owner": None},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    talent.refresh_from_db()
    assert (talent.city, talent.skills, talent.salary_amount, talent.owner) == ("", [], None, None)


def test_patch_merges_custom_values(api: Client, rita: User) -> None:
    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist", kind="number")
    CustomField.objects.create(key="school", label_en="School", label_de="Schule")
    talent = make_talent(rita, custom_values={"notice": 3, "school": "TU Berlin"})

    response = api.patch(
        f"{URL}/talents/{talent.pk}",
        {"custom_values": {"notice": "6", "school": None}},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    talent.refresh_from_db()
    assert talent.custom_values == {"notice": 6.0}


@pytest.mark.parametrize(
    "payload",
    [
        {"id": 99},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"source_kind": "manual"},
        {"source_label": "Someone else"},
        {"search_text": "boss"},
        {"is_restricted": False},
        {"merged_into": 1},
        {"role": "admin"},
        {"pools": []},
    ],
)
def test_patch_refuses_read_only_and_unknown_fields_and_changes_nothing(
    api: Client, rita: User, payload: dict[str, Any]
) -> None:
    talent = make_talent(rita)
    before = Talent.objects.filter(pk=talent.pk).values().get()

    response = api.patch(f"{URL}/talents/{talent.pk}", payload, content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == list(payload)
    assert Talent.objects.filter(pk=talent.pk).values().get() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "12"),
        ("linkedin_url", "ftp://example.com"),
        ("available_from", "next week"),
        ("salary_amount", "a lot"),
        ("first_name", None),
        ("status", None),
        ("owner", 999_999),
    ],
)
def test_patch_with_an_invalid_value_answers_422_naming_the_field_and_changes_nothing(
    api: Client, rita: User, field: str, value: Any
) -> None:
    talent = make_talent(rita, first_name="Anna")

    response = api.patch(
        f"{URL}/talents/{talent.pk}",
        {field: value, "city": "Köln"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]
    talent.refresh_from_db()
    assert talent.city == ""


def test_patch_to_an_email_another_talent_has_answers_422(api: Client, rita: User) -> None:
    make_talent(rita, email="taken@example.com")
    talent = make_talent(rita)

    response = api.patch(
        f"{URL}/talents/{talent.pk}",
        {"email": "TAKEN@example.com"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["email"]


def test_deleting_a_talent_answers_204_and_removes_it(api: Client, rita: User) -> None:
    talent = make_talent(rita)
    services.add_note(talent, "Call back in May", author=rita)

    response = api.delete(f"{URL}/talents/{talent.pk}")

    assert response.status_code == 204
    assert not Talent.objects.filter(pk=talent.pk).exists()
    assert not Note.objects.exists()
    assert api.get(f"{URL}/talents/{talent.pk}").status_code == 404


# ---- notes ----------------------------------------------------------------------------------


def test_a_note_is_added_shown_on_the_timeline_and_found_by_search(api: Client, rita: User) -> None:
    talent = make_talent(rita)

    response = api.post(
        f"{URL}/talents/{talent.pk}/notes",
        {"text": "Speaks fluent Portuguese"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["author"] == {"id": rita.pk, "name": "Rita"}
    assert kinds(talent)[0] == Event.Kind.NOTE_ADDED
    assert ids(api.get(f"{URL}/talents", {"q": "portug"})) == [talent.pk]


def test_notes_are_listed_newest_first_with_the_total(api: Client, rita: User) -> None:
    talent = make_talent(rita)
    first = services.add_note(talent, "first", author=rita)
    second = services.add_note(talent, "second", author=rita)

    response = api.get(f"{URL}/talents/{talent.pk}/notes")

    assert ids(response) == [second.pk, first.pk]
    assert response.json()["total"] == 2


def test_the_author_edits_and_deletes_a_note_and_the_timeline_says_so(
    api: Client, rita: User
) -> None:
    talent = make_talent(rita)
    note = services.add_note(talent, "Call in May", author=rita)
    url = f"{URL}/talents/{talent.pk}/notes/{note.pk}"

    edited = api.patch(url, {"text": "Call in June"}, content_type="application/json")
    deleted = api.delete(url)

    assert edited.status_code == 200
    assert edited.json()["text"] == "Call in June"
    assert deleted.status_code == 204
    assert not Note.objects.exists()
    assert kinds(talent)[:2] == [Event.Kind.NOTE_DELETED, Event.Kind.NOTE_EDITED]


def test_an_empty_note_answers_422_naming_the_text(api: Client, rita: User) -> None:
    talent = make_talent(rita)

    response = api.post(
        f"{URL}/talents/{talent.pk}/notes", {"text": "   "}, content_type="application/json"
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["text"]


def test_a_note_is_only_found_under_its_own_talent(api: Client, rita: User) -> None:
    talent, other = make_talent(rita), make_talent(rita)
    note = services.add_note(talent, "mine", author=rita)

    response = api.get(f"{URL}/talents/{other.pk}/notes/{note.pk}")

    assert response.status_code == 404


# ---- timeline -------------------------------------------------------------------------------


def test_the_timeline_lists_events_newest_first_in_pages(
    api: Client, rita: User, statuses: dict[str, Status]
) -> None:
    talent = make_talent(rita)
    services.set_status(talent, statuses["contacted"], actor=rita)
    services.add_note(talent, "Called", author=rita)

    first = api.get(f"{URL}/talents/{talent.pk}/events", {"page_size": 2})
    second = api.get(f"{URL}/talents/{talent.pk}/events", {"page_size": 2, "page": 2})

    assert [e["kind"] for e in first.json()["items"]] == ["note_added", "status_changed"]
    assert [e["kind"] for e in second.json()["items"]] == ["created"]
    assert first.json()["total"] == 3
    assert first.json()["items"][1]["data"] == {"old": "new", "new": "contacted"}
    assert first.json()["items"][1]["actor"] == {"id": rita.pk, "name": "Rita"}


# ---- memberships ----------------------------------------------------------------------------


def test_putting_a_talent_in_a_pool_twice_adds_it_once(api: Client, rita: User) -> None:
    talent, pool = make_talent(rita), make_pool("Backend")
    url = f"{URL}/talents/{talent.pk}/pools/{pool.pk}"

    responses = [api.put(url), api.put(url)]

    assert [r.status_code for r in responses] == [204, 204]
    assert list(talent.pools.all()) == [pool]
    assert talent.pool_memberships.get().added_by == rita
    assert kinds(talent).count(Event.Kind.POOL_ADDED) == 1


def test_removing_a_talent_from_a_pool_records_it(api: Client, rita: User) -> None:
    pool = make_pool("Backend")
    talent = make_talent(rita, pools=[pool])

    response = api.delete(f"{URL}/talents/{talent.pk}/pools/{pool.pk}")

    assert response.status_code == 204
    assert not talent.pools.exists()
    assert kinds(talent)[0] == Event.Kind.POOL_REMOVED


def test_tagging_and_untagging_a_talent_records_both(api: Client, rita: User) -> None:
    talent, tag = make_talent(rita), make_tag("Referral 2025")
    url = f"{URL}/talents/{talent.pk}/tags/{tag.pk}"

    added = api.put(url)
    tagged = list(talent.tags.all())
    removed = api.delete(url)

    assert (added.status_code, removed.status_code) == (204, 204)
    assert tagged == [tag]
    assert not talent.tags.exists()
    assert kinds(talent)[:2] == [Event.Kind.TAG_REMOVED, Event.Kind.TAG_ADDED]


def test_an_unknown_pool_or_tag_in_a_membership_answers_404(api: Client, rita: User) -> None:
    talent = make_talent(rita)

    pool = api.put(f"{URL}/talents/{talent.pk}/pools/999999")
    tag = api.put(f"{URL}/talents/{talent.pk}/tags/999999")

    assert (pool.status_code, tag.status_code) == (404, 404)


# ---- pools ----------------------------------------------------------------------------------


def test_pools_are_listed_with_their_talent_counts(api: Client, rita: User) -> None:
    pool = make_pool("Backend")
    make_talent(rita, pools=[pool])
    make_talent(rita, pools=[pool])

    response = api.get(f"{URL}/pools", {"page_size": 200})

    counts = {p["name"]: p["talent_count"] for p in response.json()["items"]}
    assert counts["Backend"] == 2
    assert response.json()["total"] == Pool.objects.count()


def test_pool_and_tag_counts_leave_out_talents_you_may_not_see(
    api: Client, admin_api: Client, alice: User
) -> None:
    public, tag = make_pool("Backend"), make_tag("On call")
    secret = make_pool("Board", is_private=True)
    make_talent(alice, pools=[public], tags=[tag])
    make_talent(alice, pools=[public, secret], tags=[tag])
    merged_away = make_talent(alice, pools=[public], tags=[tag])
    Talent.objects.filter(pk=merged_away.pk).update(merged_into=secret.memberships.get().talent)

    def counts(client: Client) -> tuple[int, int, int, int]:
        pools = client.get(f"{URL}/pools", {"page_size": 200}).json()["items"]
        tags = client.get(f"{URL}/tags", {"page_size": 200}).json()["items"]
        return (
            next(p["talent_count"] for p in pools if p["id"] == public.pk),
            client.get(f"{URL}/pools/{public.pk}").json()["talent_count"],
            next(t["talent_count"] for t in tags if t["id"] == tag.pk),
            client.get(f"{URL}/tags/{tag.pk}").json()["talent_count"],
        )

    assert counts(api) == (1, 1, 1, 1)
    assert counts(admin_api) == (2, 2, 2, 2)


def test_counts_are_right_on_every_page_of_the_pool_and_tag_lists(
    api: Client, admin_api: Client, alice: User
) -> None:
    secret = make_pool("Board", is_private=True)
    pools = [make_pool(f"Pool {n}") for n in range(3)]
    tags = [make_tag(f"Tag {n}") for n in range(3)]
    for n in range(3):
        # Pool n and tag n hold n talents anyone sees and one in the secret pool.
        for _ in range(n):
            make_talent(alice, pools=[pools[n]], tags=[tags[n]])
        make_talent(alice, pools=[pools[n], secret], tags=[tags[n]])

    def listed(client: Client, what: str) -> dict[str, int]:
        total = client.get(f"{URL}/{what}").json()["total"]
        items = [
            client.get(f"{URL}/{what}", {"page": page, "page_size": 1}).json()["items"][0]
            for page in range(1, total + 1)
        ]
        # Only what this test made: a fresh database has a few pools and tags of its own.
        ours = ("Pool ", "Tag ", "Board")
        return {i["name"]: i["talent_count"] for i in items if i["name"].startswith(ours)}

    assert listed(api, "pools") == {"Pool 0": 0, "Pool 1": 1, "Pool 2": 2}
    assert listed(api, "tags") == {"Tag 0": 0, "Tag 1": 1, "Tag 2": 2}
    assert listed(admin_api, "pools") == {"Board": 3, "Pool 0": 1, "Pool 1": 2, "Pool 2": 3}
    assert listed(admin_api, "tags") == {"Tag 0": 1, "Tag 1": 2, "Tag 2": 3}


def test_pools_and_tags_are_listed_by_name(api: Client) -> None:
    names = ["Zeta 2027", "Alpha 2027", "Mid 2027"]
    for name in names:
        make_pool(name)
        make_tag(name)

    pools = api.get(f"{URL}/pools", {"page_size": 200}).json()["items"]
    tags = api.get(f"{URL}/tags", {"page_size": 200}).json()["items"]

    assert [p["name"] for p in pools if p["name"] in names] == sorted(names)
    assert [t["name"] for t in tags if t["name"] in names] == sorted(names)


def test_a_recruiter_creating_a_private_pool_stays_a_member(api: Client, rita: User) -> None:
    response = api.post(
        f"{URL}/pools",
        {"name": "Leadership", "description": "C-level", "is_private": True},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["members"] == [{"id": rita.pk, "name": "Rita"}]
    assert api.get(f"{URL}/pools/{response.json()['id']}").status_code == 200


def test_a_pool_is_renamed_and_made_private(api: Client, rita: User, alice: User) -> None:
    pool = make_pool("Backend")
    talent = make_talent(alice, pools=[pool])

    response = api.patch(
        f"{URL}/pools/{pool.pk}",
        {"name": "Backend (DE)", "is_private": True, "members": [alice.pk]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    pool.refresh_from_db()
    assert (pool.name, pool.description, pool.is_private) == ("Backend (DE)", "", True)
    assert set(pool.members.all()) == {alice, rita}
    talent.refresh_from_db()
    assert talent.is_restricted


def test_a_pool_name_already_taken_answers_422(api: Client) -> None:
    make_pool("Backend")

    response = api.post(f"{URL}/pools", {"name": "BACKEND"}, content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["name"]


def test_deleting_a_pool_keeps_its_talents_and_tells_their_timelines(
    api: Client, rita: User
) -> None:
    pool = make_pool("Backend")
    talent = make_talent(rita, pools=[pool])

    response = api.delete(f"{URL}/pools/{pool.pk}")

    assert response.status_code == 204
    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert kinds(talent)[0] == Event.Kind.POOL_REMOVED


# ---- tags -----------------------------------------------------------------------------------


def test_a_tag_is_created_renamed_and_deleted(api: Client, rita: User) -> None:
    created = api.post(f"{URL}/tags", {"name": "Night owl"}, content_type="application/json")
    tag_id = created.json()["id"]
    talent = make_talent(rita, tags=[Tag.objects.get(pk=tag_id)])

    renamed = api.patch(
        f"{URL}/tags/{tag_id}", {"name": "Early bird"}, content_type="application/json"
    )
    deleted = api.delete(f"{URL}/tags/{tag_id}")

    assert created.status_code == 201
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Early bird")
    assert renamed.json()["talent_count"] == 1
    assert deleted.status_code == 204
    assert not Tag.objects.filter(pk=tag_id).exists()
    assert talent.events.filter(kind=Event.Kind.TAG_REMOVED, data__tag="Early bird").exists()


def test_a_tag_name_already_taken_in_another_case_answers_422(api: Client) -> None:
    make_tag("Referral 2025")

    response = api.post(f"{URL}/tags", {"name": "referral 2025"}, content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["name"]


def test_tags_are_listed_in_pages_with_the_total(api: Client) -> None:
    response = api.get(f"{URL}/tags", {"page_size": 1})

    assert len(response.json()["items"]) == 1
    assert response.json()["total"] == Tag.objects.count()
