import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email

from silverpool.talents.models import CustomField
from silverpool.talents.validation import (
    clean_talent_fields,
    normalize_email,
    normalize_linkedin,
    normalize_phone,
    normalize_url,
    parse_date,
    parse_salary,
    split_skills,
)


def clean(raw: dict[str, object]) -> dict[str, object]:
    return clean_talent_fields(raw, partial=True)


def errors_of(raw: dict[str, object], *, partial: bool = True) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean_talent_fields(raw, partial=partial)
    return caught.value.message_dict


def test_email_is_trimmed_and_its_domain_lower_cased_but_not_its_local_part() -> None:
    assert normalize_email("  Anna.Schmidt@Example.COM ") == "Anna.Schmidt@example.com"


def test_an_empty_email_stays_empty() -> None:
    assert normalize_email("   ") == ""


@pytest.mark.parametrize("email", ["anna", "anna@", "@example.com", "anna@@example.com"])
def test_a_malformed_email_is_rejected(email: str) -> None:
    with pytest.raises(ValidationError):
        normalize_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "anna.schmidt@example.de",
        "o'brien+jobs@example.co.uk",
        '"anna schmidt"@example.de',
        '"anna"@example.de',
        "anna@localhost",
        "anna@[192.168.0.1]",
        "anna@[::1]",
        "anna@[999.1.1.1]",
        "anna@münchen.de",
        "jürgen@example.de",
        "anna@-example.de",
        "anna@example",
        "anna@example.c",
        "anna..schmidt@example.de",
        "anna@exa mple.de",
        "ANNA@EXAMPLE.DE",
    ],
)
def test_an_email_is_valid_exactly_when_djangos_rule_says_so(email: str) -> None:
    # normalize_email checks with Django's patterns compiled at once (validation.py).
    try:
        django_validate_email(email)
    except ValidationError:
        with pytest.raises(ValidationError):
            normalize_email(email)
    else:
        assert normalize_email(email).lower() == email.lower()


def test_an_email_longer_than_the_column_is_rejected_on_the_field() -> None:
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"  # 254 < 312 <= 320

    assert "email" in errors_of({"email": email})


@pytest.mark.parametrize(
    "written",
    ["030 12345678", "030/12345678", "+49 30 12345678", "0049 30 1234 5678", "+49 (0)30 12345678"],
)
def test_a_german_phone_number_written_any_common_way_is_stored_in_e164(written: str) -> None:
    assert normalize_phone(written) == "+493012345678"


def test_a_phone_number_is_read_in_the_given_region() -> None:
    assert normalize_phone("020 7946 0123", "GB") == "+442079460123"


def test_a_local_phone_number_is_read_in_the_talents_country() -> None:
    cleaned = clean({"country": "gb", "phone": "020 7946 0123"})

    assert cleaned["phone"] == "+442079460123"


@pytest.mark.parametrize("phone", ["12", "phone me", "+49 30", "+1 999 999 9999"])
def test_an_invalid_phone_number_is_rejected(phone: str) -> None:
    with pytest.raises(ValidationError):
        normalize_phone(phone)


def test_a_phone_number_with_an_extension_is_refused_not_stored_without_it() -> None:
    """E.164 has no place for it: the form and the API say so (the import keeps it in a
    note)."""
    with pytest.raises(ValidationError, match="stored without an extension"):
        normalize_phone("+49 30 1234567 ext. 12")


def test_a_phone_number_from_a_spreadsheet_cell_may_be_a_number() -> None:
    cleaned = clean({"phone": 3012345678, "postcode": 10115})

    assert cleaned == {"phone": "+493012345678", "postcode": "10115"}


def test_a_url_without_a_scheme_gets_https() -> None:
    assert normalize_url(" example.com/anna ") == "https://example.com/anna"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.com/x", "https://", "http://exa mple.com"]
)
def test_a_url_that_is_not_a_web_address_is_rejected(url: str) -> None:
    with pytest.raises(ValidationError):
        normalize_url(url)


@pytest.mark.parametrize(
    "written",
    [
        "https://www.linkedin.com/in/anna-schmidt",
        "http://linkedin.com/in/anna-schmidt/",
        "linkedin.com/in/anna-schmidt?trk=public_profile",
        "https://de.linkedin.com/in/Anna-Schmidt/",
        "HTTPS://DE.LinkedIn.com/in/anna-schmidt",
        "https://www.linkedin.com/in/anna-schmidt#experience",
    ],
)
def test_linkedin_urls_of_one_profile_are_normalised_to_one_form(written: str) -> None:
    assert normalize_linkedin(written) == "https://www.linkedin.com/in/anna-schmidt"


@pytest.mark.parametrize(
    "url",
    ["https://github.com/anna", "https://notlinkedin.com/in/anna", "https://linkedin.com.evil.io"],
)
def test_a_linkedin_field_only_takes_linkedin_addresses(url: str) -> None:
    with pytest.raises(ValidationError):
        normalize_linkedin(url)


@pytest.mark.parametrize(
    "url",
    [
        "linkedin.com/in/anna schmidt",
        "https://-de.linkedin.com/in/anna",
        "https://de_at.linkedin.com/in/anna",
        "https://www.linkedin.com/in/anna?trk=a b",
        "https://www.linkedin.com/in/" + "a" * 2100,
    ],
    ids=["space", "label-starts-with-hyphen", "underscore", "space-in-query", "too-long"],
)
def test_a_linkedin_address_that_is_no_valid_url_is_refused_as_one(url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_linkedin(url)

    assert refused.value.messages == ["Enter a valid URL."]


def test_a_linkedin_url_longer_than_the_column_is_rejected_on_the_field() -> None:
    url = "https://www.linkedin.com/in/" + "a" * 300

    assert "linkedin_url" in errors_of({"linkedin_url": url})


def test_profile_urls_come_from_a_list_or_from_text_split_on_whitespace() -> None:
    from_text = clean({"profile_urls": "github.com/anna\nxing.com/anna"})
    from_list = clean({"profile_urls": ["github.com/anna", " "]})

    assert from_text["profile_urls"] == ["https://github.com/anna", "https://xing.com/anna"]
    assert from_list["profile_urls"] == ["https://github.com/anna"]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("65000", Decimal("65000.00")),
        (65000, Decimal("65000.00")),
        ("65 000", Decimal("65000.00")),
        ("4500.5", Decimal("4500.50")),
        ("4500,50", Decimal("4500.50")),
        ("65.000", Decimal("65000.00")),
        ("65,000", Decimal("65000.00")),
        ("4.500,50", Decimal("4500.50")),
        ("1,250,000.00", Decimal("1250000.00")),
        ("0", Decimal("0.00")),
        (Decimal("65000.5"), Decimal("65000.50")),
    ],
)
def test_a_salary_is_read_as_germans_and_english_speakers_write_it(
    written: object, amount: Decimal
) -> None:
    assert parse_salary(written) == amount


@pytest.mark.parametrize("empty", [None, ""])
def test_no_salary_is_none(empty: object) -> None:
    assert parse_salary(empty) is None


@pytest.mark.parametrize(
    "salary",
    ["lots", "-1", "NaN", "Infinity", "1e10", "12.34.56,7,8", Decimal("-1"), Decimal("NaN")],
)
def test_a_salary_that_is_no_sensible_amount_is_rejected(salary: object) -> None:
    with pytest.raises(ValidationError):
        parse_salary(salary)


def test_salary_currency_is_upper_cased_and_defaults_to_euro() -> None:
    assert clean({"salary_currency": "gbp"})["salary_currency"] == "GBP"
    assert clean({"salary_currency": ""})["salary_currency"] == "EUR"
    assert "salary_currency" in errors_of({"salary_currency": "Euro"})


def test_salary_period_is_per_year_or_per_month() -> None:
    assert clean({"salary_period": "month"}) == {"salary_period": "month"}
    assert "salary_period" in errors_of({"salary_period": "week"})


def test_a_date_is_read_from_iso_text_or_taken_as_a_date() -> None:
    assert parse_date(" 2027-03-01 ") == datetime.date(2027, 3, 1)
    assert parse_date(datetime.date(2027, 3, 1)) == datetime.date(2027, 3, 1)
    assert parse_date("") is None


@pytest.mark.parametrize("date", ["31.02.2027", "2027-02-30", "next week", "2027-13-01"])
def test_a_date_that_does_not_exist_or_is_not_iso_is_rejected(date: str) -> None:
    with pytest.raises(ValidationError):
        parse_date(date)


def test_skills_are_split_on_commas_semicolons_slashes_and_lines() -> None:
    assert split_skills("Python, Django; SQL/Go\nRust") == ["Python", "Django", "SQL", "Go", "Rust"]


def test_skills_drop_blanks_and_repeats_keeping_the_first_spelling() -> None:
    assert split_skills([" Python ", "", "python", "SAP", "PYTHON"]) == ["Python", "SAP"]


def test_too_many_or_too_long_skills_are_rejected() -> None:
    assert "skills" in errors_of({"skills": [f"skill {n}" for n in range(101)]})
    assert "skills" in errors_of({"skills": ["x" * 81]})


def test_a_country_is_an_upper_cased_iso_code() -> None:
    assert clean({"country": " de "}) == {"country": "DE"}
    assert "country" in errors_of({"country": "Germany"})


def test_text_fields_are_trimmed_and_limited_in_length() -> None:
    assert clean({"city": "  Köln "}) == {"city": "Köln"}
    assert "job_title" in errors_of({"job_title": "x" * 201})


def test_a_new_talent_needs_a_first_name_and_an_edit_cannot_blank_it() -> None:
    assert "first_name" in errors_of({"last_name": "Schmidt"}, partial=False)
    assert "first_name" in errors_of({"first_name": "  "}, partial=True)
    assert clean({"last_name": "Schmidt"}) == {"last_name": "Schmidt"}


@pytest.mark.parametrize("name", ["status", "owner", "search_text", "is_restricted", "id", "pools"])
def test_a_field_that_is_not_editable_is_rejected_by_name(name: str) -> None:
    assert errors_of({name: "x", "first_name": "Anna"}) == {name: ["This field cannot be set."]}


def test_every_bad_field_is_named_at_once() -> None:
    errors = errors_of({"email": "nope", "phone": "12", "available_from": "soon", "x": 1})

    assert set(errors) == {"email", "phone", "available_from", "x"}


@pytest.fixture
def custom_fields(db: None) -> None:
    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist", kind="number")
    CustomField.objects.create(key="start", label_en="Start", label_de="Start", kind="date")
    CustomField.objects.create(
        key="model",
        label_en="Model",
        label_de="Modell",
        kind="choice",
        choices=["remote", "hybrid"],
    )
    CustomField.objects.create(key="languages", label_en="Languages", label_de="Sprachen")


@pytest.mark.usefixtures("custom_fields")
def test_custom_values_are_cleaned_by_the_kind_of_their_field() -> None:
    cleaned = clean_talent_fields(
        {
            "custom_values": {
                "notice": "12",
                "start": "2027-01-15",
                "model": "hybrid",
                "languages": "  Deutsch C2, English C1 ",
            }
        },
        partial=True,
    )

    assert cleaned["custom_values"] == {
        "notice": 12.0,
        "start": "2027-01-15",
        "model": "hybrid",
        "languages": "Deutsch C2, English C1",
    }


@pytest.mark.usefixtures("custom_fields")
def test_empty_custom_values_are_dropped_and_long_text_is_cut() -> None:
    cleaned = clean_talent_fields(
        {"custom_values": {"notice": "", "start": None, "languages": "x" * 3000}}, partial=True
    )

    assert cleaned["custom_values"] == {"languages": "x" * 2000}


@pytest.mark.usefixtures("custom_fields")
@pytest.mark.parametrize(
    "values",
    [
        {"notice": "two weeks"},
        {"notice": "NaN"},
        {"notice": "Infinity"},
        {"start": "15.01.2027"},
        {"model": "office"},
        {"unknown": "x"},
    ],
)
def test_a_custom_value_that_does_not_fit_its_field_is_rejected(values: dict[str, str]) -> None:
    assert "custom_values" in errors_of({"custom_values": values})


@pytest.mark.usefixtures("custom_fields")
def test_custom_values_must_be_an_object() -> None:
    assert "custom_values" in errors_of({"custom_values": ["notice", 3]})
