from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from silverpool.accounts.models import User
from silverpool.privacy.models import AuditEntry
from silverpool.talents import services
from silverpool.talents.models import DuplicateFlag, Event, Pool, Talent
from silverpool.talents.services.derived import name_key
from silverpool.talents.services.intake import channel_changes

from .factories import make_talent


def test_same_email_with_other_case_and_spaces_updates_the_existing_talent(rita: User) -> None:
    first = make_talent(rita, first_name="Anna", email="Anna.Schmidt@Example.com", city="")

    result = services.intake_talent(
        {"first_name": "Anna", "email": "  anna.schmidt@EXAMPLE.com ", "city": "Köln"},
        actor=None,
        actor_label="API",
        source_kind=Talent.SourceKind.API,
    )

    assert result.created is False
    assert result.talent.pk == first.pk
    assert Talent.objects.count() == 1
    first.refresh_from_db()
    assert first.city == "Köln"
    kinds = list(first.events.values_list("kind", flat=True))
    assert kinds[:2] == [Event.Kind.FIELD_CHANGED, Event.Kind.UPDATED]


def test_a_user_cannot_update_through_intake_a_talent_they_may_not_see(
    rita: User, alice: User
) -> None:
    secret = Pool.objects.create(name="Board", is_private=True)
    hidden = make_talent(alice, email="ceo@example.com", city="Berlin", pools=[secret])

    with pytest.raises(ValidationError) as refused:
        services.intake_talent(
            {"first_name": "Eve", "email": "ceo@example.com", "city": "Paris"},
            actor=rita,
            source_kind=Talent.SourceKind.MANUAL,
        )

    assert list(refused.value.message_dict) == ["email"]
    hidden.refresh_from_db()
    assert hidden.city == "Berlin"


def test_admins_and_channels_without_a_user_update_a_talent_in_a_private_pool(
    alice: User,
) -> None:
    secret = Pool.objects.create(name="Board", is_private=True)
    hidden = make_talent(alice, email="ceo@example.com", city="Berlin", pools=[secret])

    by_form = services.intake_talent(
        {"first_name": "Eve", "email": "ceo@example.com", "city": "Paris"},
        actor=None,
        source_kind=Talent.SourceKind.FORM,
    )
    by_admin = services.intake_talent(
        {"first_name": "Eve", "email": "ceo@example.com", "city": "Lyon"},
        actor=alice,
        source_kind=Talent.SourceKind.MANUAL,
    )

    assert by_form.talent.pk == by_admin.talent.pk == hidden.pk
    hidden.refresh_from_db()
    assert hidden.city == "Lyon"


def test_a_channel_update_never_blanks_a_field_a_recruiter_filled(rita: User) -> None:
    talent = make_talent(rita, email="a@example.com", job_title="Backend developer")

    services.intake_talent(
        {"first_name": talent.first_name, "email": "a@example.com", "job_title": ""},
        actor=None,
        source_kind=Talent.SourceKind.IMPORT,
    )

    talent.refresh_from_db()
    assert talent.job_title == "Backend developer"


def test_phone_is_stored_in_international_format(rita: User) -> None:
    talent = make_talent(rita, phone="030 / 123 456 78")

    assert talent.phone == "+493012345678"


def test_invalid_fields_are_all_named(rita: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.intake_talent(
            {
                "first_name": "",
                "email": "not-an-email",
                "phone": "12",
                "linkedin_url": "javascript:alert(1)",
                "available_from": "31.02.2027",
                "salary_amount": "lots",
            },
            actor=rita,
            source_kind=Talent.SourceKind.MANUAL,
        )

    assert set(caught.value.message_dict) == {
        "first_name",
        "email",
        "phone",
        "linkedin_url",
        "available_from",
        "salary_amount",
    }
    assert Talent.objects.count() == 0


def test_same_name_and_phone_is_flagged_on_both_profiles(rita: User) -> None:
    anna = make_talent(rita, first_name="Anna", last_name="Müller", phone="+49 30 1234567")

    other = make_talent(rita, first_name="anna", last_name="MULLER", phone="030 1234567")

    flag = DuplicateFlag.objects.get()
    assert {flag.talent_id, flag.other_id} == {anna.pk, other.pk}
    assert flag.reason == DuplicateFlag.Reason.NAME_AND_PHONE
    assert services.open_duplicate_flags(anna).count() == 1
    assert services.open_duplicate_flags(other).count() == 1
    assert anna.events.filter(kind=Event.Kind.DUPLICATE_FLAGGED).exists()


def test_same_linkedin_profile_is_flagged(rita: User) -> None:
    make_talent(rita, linkedin_url="https://de.linkedin.com/in/anna-s/")

    other = make_talent(rita, linkedin_url="linkedin.com/in/anna-s?trk=x")

    assert services.open_duplicate_flags(other).get().reason == DuplicateFlag.Reason.LINKEDIN


def test_a_channel_update_without_salary_keeps_the_currency_and_period(rita: User) -> None:
    talent = make_talent(
        rita,
        email="g@example.co.uk",
        salary_amount="4000",
        salary_currency="GBP",
        salary_period="month",
    )

    services.intake_talent(
        {
            "first_name": talent.first_name,
            "email": "g@example.co.uk",
            "salary_currency": "EUR",
            "salary_period": "year",
        },
        actor=rita,
        source_kind=Talent.SourceKind.MANUAL,
    )

    talent.refresh_from_db()
    assert (talent.salary_currency, talent.salary_period) == ("GBP", "month")


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        # Overwrite (web forms, the API, an import's choice): whatever differs.
        (
            False,
            {
                "city": "Köln",
                "job_title": "Data Engineer",
                "salary_amount": Decimal("70000"),
                "custom_values": {"notice": "3 Monate", "team": "Data"},
            },
        ),
        # Fill (an import's choice): empty fields only; the custom fields it lacks.
        (
            True,
            {
                "job_title": "Data Engineer",
                "salary_amount": Decimal("70000"),
                "custom_values": {"notice": "1 Monat", "team": "Data"},
            },
        ),
    ],
    ids=["overwrite", "fill"],
)
def test_channel_changes_are_what_a_channel_brings_that_differs(
    rita: User, fill: bool, expected: dict[str, object]
) -> None:
    talent = make_talent(rita, email="lena@example.com", city="Bonn", phone="")
    talent.custom_values = {"notice": "1 Monat"}
    brought = {
        "email": "LENA@example.com",
        "city": "Köln",
        "phone": "",
        "job_title": "Data Engineer",
        "salary_amount": Decimal("70000"),
        "salary_currency": "EUR",
        "salary_period": "year",
        "custom_values": {"notice": "3 Monate", "team": "Data"},
    }

    changes = channel_changes(talent, brought, fill=fill)

    # The email found the talent, an empty phone blanks nothing, and currency and period
    # are what the talent had already.
    assert changes == expected


def test_a_phone_edited_alone_is_read_in_the_talents_country(rita: User) -> None:
    talent = make_talent(rita, country="GB")

    services.update_talent(talent, {"phone": "020 7946 0123"}, actor=rita)

    assert talent.phone == "+442079460123"


def test_update_talents_changes_each_talent_as_update_talent_does(rita: User, alice: User) -> None:
    anna = make_talent(rita, first_name="Anna", city="Hamburg", email="anna@example.com")
    ben = make_talent(rita, first_name="Ben", email="ben@example.com")
    same = make_talent(rita, first_name="Clara", city="Köln")
    before = Event.objects.count()

    refused = services.update_talents(
        [
            (anna, {"city": "Leipzig", "first_name": "Anne"}),
            (ben, {"skills": "Python; SQL"}),
            (same, {"city": "Köln"}),
        ],
        actor=alice,
    )

    assert refused == set()
    anna.refresh_from_db()
    ben.refresh_from_db()
    assert (anna.city, anna.first_name, ben.skills) == ("Leipzig", "Anne", ["Python", "SQL"])
    assert anna.name_key == name_key("Anne", anna.last_name)
    assert "leipzig" in anna.search_text.split()
    assert "hamburg" not in anna.search_text.split()
    changes = Event.objects.filter(kind=Event.Kind.FIELD_CHANGED, actor=alice)
    assert {
        (pk, d["field"]): (d["old"], d["new"]) for pk, d in changes.values_list("talent_id", "data")
    } == {
        (anna.pk, "city"): ("Hamburg", "Leipzig"),
        (anna.pk, "first_name"): ("Anna", "Anne"),
        (ben.pk, "skills"): ([], ["Python", "SQL"]),
    }
    assert Event.objects.count() == before + 3
    audited = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGED, actor=alice)
    assert dict(audited.values_list("talent_id", "detail")) == {
        anna.pk: {"fields": ["city", "first_name"]},
        ben.pk: {"fields": ["skills"]},
    }


def test_update_talents_leaves_the_talents_update_talent_would_refuse(rita: User) -> None:
    taken = make_talent(rita, email="taken@example.com")
    invalid, clashing, first, second, fine = (make_talent(rita, city="Bonn") for _ in range(5))

    refused = services.update_talents(
        [
            (invalid, {"email": "not an address", "city": "Ulm"}),
            (clashing, {"email": "TAKEN@example.com", "city": "Ulm"}),
            (first, {"email": "new@example.com", "city": "Ulm"}),
            (second, {"email": "new@example.com", "city": "Ulm"}),
            (fine, {"city": "Ulm"}),
        ],
        actor=rita,
    )

    assert refused == {invalid.pk, clashing.pk, first.pk, second.pk}
    cities = dict(Talent.objects.values_list("pk", "city"))
    assert cities == {
        taken.pk: taken.city,
        **{t.pk: "Bonn" for t in (invalid, clashing, first, second)},
        fine.pk: "Ulm",
    }
    with pytest.raises(ValidationError, match="Another talent already has this email"):
        services.update_talent(clashing, {"email": "taken@example.com"}, actor=rita)
