import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from silverpool.imports.reading.table import Cell
from silverpool.imports.values import (
    Phone,
    Salary,
    bare_salary,
    clean_text,
    is_no_value,
    is_notice_period,
    is_region,
    notice_off,
    parse_countries,
    parse_currency,
    parse_date,
    parse_emails,
    parse_number,
    parse_phone,
    parse_salary,
    parse_salary_period,
    parse_tags,
    region_of,
    region_off,
    salary_remark_off,
    split_postcode_city,
)
from silverpool.talents.models import Talent
from silverpool.talents.phones import e164

MONTH = Talent.SalaryPeriod.MONTH
YEAR = Talent.SalaryPeriod.YEAR
MARCH_1 = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (46447, MARCH_1),  # an Excel serial number
        (46447.75, MARCH_1),  # a serial with a time of day
        (datetime.datetime.fromisoformat("2027-03-01T14:30"), MARCH_1),
        (MARCH_1, MARCH_1),
        ("2027-03-01", MARCH_1),
        ("2027-03-01 00:00:00", MARCH_1),
        ("01.03.2027", MARCH_1),
        ("1.3.2027", MARCH_1),
        ("1.3.27", MARCH_1),
        (" 01.03.2027\u00a0", MARCH_1),
        ("01/03/2027", MARCH_1),  # day first, as in Germany and Britain
        ("03/15/2027", datetime.date(2027, 3, 15)),  # can only be American
        ("01-03-2027", MARCH_1),
        ("03/2027", MARCH_1),
        ("1. März 2027", MARCH_1),
        ("1 March 2027", MARCH_1),
        ("1st March 2027", MARCH_1),
        ("1st of March 2027", MARCH_1),
        ("March 1, 2027", MARCH_1),  # as Americans write it
        ("Mar. 1st 2027", MARCH_1),
        ("Jan 31, 2027", datetime.date(2027, 1, 31)),
        ("März 2027", MARCH_1),
        ("March 2027", MARCH_1),
        ("Mar 2027", MARCH_1),
        ("Dez. 2027", datetime.date(2027, 12, 1)),
        # A quarter's first day, a calendar week's Monday, a part of a month.
        ("Q1 2027", datetime.date(2027, 1, 1)),
        ("ab q2/27", datetime.date(2027, 4, 1)),
        ("3. Quartal 2027", datetime.date(2027, 7, 1)),
        ("4th quarter '27", datetime.date(2027, 10, 1)),
        ("KW 9/2027", MARCH_1),
        ("KW09 2027", MARCH_1),
        ("week 53 2026", datetime.date(2026, 12, 28)),
        ("Anfang März 2027", MARCH_1),
        ("early March 2027", MARCH_1),
        ("Mitte 03/2027", datetime.date(2027, 3, 15)),
        ("mid-March 2027", datetime.date(2027, 3, 15)),
        ("Ende Februar 2028", datetime.date(2028, 2, 29)),
        ("end of Dec 2027", datetime.date(2027, 12, 31)),
        ("2027", datetime.date(2027, 1, 1)),
        (2027, datetime.date(2027, 1, 1)),  # a year, not the serial of 19 July 1905
        (2027.0, datetime.date(2027, 1, 1)),
        ("ab 2028", datetime.date(2028, 1, 1)),
        ("Anfang 2027", datetime.date(2027, 1, 1)),
        ("Mitte 2027", datetime.date(2027, 7, 1)),
        ("mid-2027", datetime.date(2027, 7, 1)),
        ("Ende 2027", datetime.date(2027, 12, 31)),
        ("end of 2027", datetime.date(2027, 12, 31)),
        ("2. Halbjahr 2027", datetime.date(2027, 7, 1)),
        ("1. HJ 2027", datetime.date(2027, 1, 1)),
        ("H2 2027", datetime.date(2027, 7, 1)),
        ("second half of 2027", datetime.date(2027, 7, 1)),
        ("Frühjahr 2027", MARCH_1),
        ("Sommer 2027", datetime.date(2027, 6, 1)),
        ("autumn 2027", datetime.date(2027, 9, 1)),
        ("Winter 2027", datetime.date(2027, 12, 1)),
        # The words before the date say what the column says, or give the date to plan with.
        ("zum 01.03.2027", MARCH_1),
        ("ab dem 1.3.2027", MARCH_1),
        ("frühestens 01.03.2027", MARCH_1),
        ("spätestens März 2027", MARCH_1),
        ("as of March 2027", MARCH_1),
        ("2027/03/01", MARCH_1),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_dates_are_read_as_recruiters_write_them(
    cell: Cell, expected: datetime.date | None
) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("31.02.2027", "31.02.2027"),
        ("13/13/2027", "13/13/2027"),
        ("2027-13-01", "2027-13-01"),
        ("2027-13", "2027-13"),
        ("Feb 30, 2027", "Feb 30, 2027"),
        ("Sommer 15, 2027", "Sommer 15, 2027"),
        ("00.00.0000", "00.00.0000"),
        ("demnächst", "demnächst"),
        ("Frühsommer 2027", "Frühsommer 2027"),
        ("H3 2027", "H3 2027"),
        ("2127", "2127"),
        (1890, "1890"),
        ("Q5 2027", "Q5 2027"),
        ("KW 53/2027", "KW 53/2027"),  # 2027 has 52 weeks
        ("Ende 15.03.2027", "Ende 15.03.2027"),
        (85000.0, "85000"),  # a salary in the wrong column
        (True, "True"),
    ],
)
def test_a_cell_that_is_not_a_date_is_named_in_the_message(cell: Cell, shown: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"“{shown}” is not a date")):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (65000, Salary(Decimal("65000.00"), "EUR", None)),
        (65000.0, Salary(Decimal("65000.00"), "EUR", None)),
        ("65000", Salary(Decimal("65000.00"), "EUR", None)),
        ("65.000", Salary(Decimal("65000.00"), "EUR", None)),
        ("65.000 €", Salary(Decimal("65000.00"), "EUR", None)),
        ("65.000,- € brutto/Jahr", Salary(Decimal("65000.00"), "EUR", YEAR)),
        ("65,000 EUR", Salary(Decimal("65000.00"), "EUR", None)),
        ("65k", Salary(Decimal("65000.00"), "EUR", None)),
        ("65 K", Salary(Decimal("65000.00"), "EUR", None)),
        ("65,5k", Salary(Decimal("65500.00"), "EUR", None)),
        ("65 TEUR", Salary(Decimal("65000.00"), "EUR", None)),
        ("65 T€ p.a.", Salary(Decimal("65000.00"), "EUR", YEAR)),
        ("ca. 55.000 EUR", Salary(Decimal("55000.00"), "EUR", None)),
        ("€ 4.500 / Monat", Salary(Decimal("4500.00"), "EUR", MONTH)),
        ("4.500,50 € mtl.", Salary(Decimal("4500.50"), "EUR", MONTH)),
        ("4500 per month", Salary(Decimal("4500.00"), "EUR", MONTH)),
        ("USD 90,000 per year", Salary(Decimal("90000.00"), "USD", YEAR)),
        ("CHF 120'000", Salary(Decimal("120000.00"), "CHF", None)),
        ("CHF 120’000", Salary(Decimal("120000.00"), "CHF", None)),
        ("£45,000", Salary(Decimal("45000.00"), "GBP", None)),
        ("1,250,000.00 SEK", Salary(Decimal("1250000.00"), "SEK", None)),
        ("60-70k", Salary(Decimal("60000.00"), "EUR", None)),  # the lower bound
        ("60k – 70k", Salary(Decimal("60000.00"), "EUR", None)),
        ("60.000 bis 70.000 €", Salary(Decimal("60000.00"), "EUR", None)),
        ("65-70.000", Salary(Decimal("65000.00"), "EUR", None)),  # thousands written once
        ("500-1.500 €", Salary(Decimal("500.00"), "EUR", None)),  # not 500,000
        ("mind. 60k", Salary(Decimal("60000.00"), "EUR", None)),
        ("> 60k", Salary(Decimal("60000.00"), "EUR", None)),
        ("60k+", Salary(Decimal("60000.00"), "EUR", None)),
        ("65.000 € bto.", Salary(Decimal("65000.00"), "EUR", None)),
        ("65.000 EUR/a", Salary(Decimal("65000.00"), "EUR", YEAR)),
        # A month's pay times the salaries of a year.
        ("3.900 € x 13", Salary(Decimal("50700.00"), "EUR", YEAR)),
        ("4.000 € × 13,5", Salary(Decimal("54000.00"), "EUR", YEAR)),
        (None, None),
        ("", None),
    ],
)
def test_salaries_are_read_as_recruiters_write_them(cell: Cell, expected: Salary | None) -> None:
    assert parse_salary(cell) == expected


def test_a_salary_without_currency_takes_the_default() -> None:
    assert parse_salary("120.000", default_currency="CHF") == Salary(
        Decimal("120000.00"), "CHF", None
    )


@pytest.mark.parametrize(
    "cell",
    ["nach Vereinbarung", "70-60k", "65 Äpfel", "-5000", "k", "99999999999", "4.5.6,7"],
)
def test_a_cell_that_is_not_a_salary_is_named_in_the_message(cell: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"“{cell}” is not a salary")):
        parse_salary(cell)


@pytest.mark.parametrize(
    ("text", "salary", "remark"),
    [
        ("65.000 € + Bonus", "65.000 €", "+ Bonus"),
        ("65,500 + 10 % Bonus", "65,500", "+ 10 % Bonus"),
        ("ab 60k, je nach Aufgabe", "ab 60k", "je nach Aufgabe"),
        ("60-70k plus Dienstwagen", "60-70k", "plus Dienstwagen"),
        ("55.000 USD verhandelbar", "55.000 USD", "verhandelbar"),  # the currency kept
        ("65 000 € VB", "65 000 €", "VB"),
        ("4.500 € pro Monat, 13 Gehälter", "4.500 € pro Monat", "13 Gehälter"),
        ("65.000 € oder 5.000 im Monat", "65.000 €", "oder 5.000 im Monat"),
        # Nothing to take off: no figure in front, or no words after it.
        ("siehe Lebenslauf 2023", "siehe Lebenslauf 2023", ""),
        ("70-60k", "70-60k", ""),
        ("65.000, 70.000", "65.000, 70.000", ""),
    ],
)
def test_words_about_the_pay_come_off_a_salary(text: str, salary: str, remark: str) -> None:
    assert salary_remark_off(text) == (salary, remark)


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("+4930123456", "DE"),
        ("+436601234567", "AT"),
        ("+41791234567", "CH"),
        ("+12025550123", "US"),
    ],
)
def test_a_phone_numbers_country_is_the_one_its_code_states(number: str, region: str) -> None:
    assert region_of(number, "DE") == region


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Remote", True),
        ("eu", True),
        ("D-A-CH", True),
        ("Weltweit ", True),
        ("Deutschland", False),
        ("Atlantis", False),
        ("Remote Deutschland", False),
        (None, False),
    ],
)
def test_a_way_of_working_is_told_from_a_country(cell: Cell, expected: bool) -> None:
    assert is_region(cell) is expected


@pytest.mark.parametrize(
    ("cell", "names"),
    [("Silver medalist, Java; java", ("Silver medalist", "Java")), (None, ())],
)
def test_a_tag_cell_gives_the_names_of_its_tags(cell: Cell, names: tuple[str, ...]) -> None:
    assert parse_tags(cell) == names


def test_a_tag_name_too_long_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="A tag's name has at most 80 characters: “x{81}”"):
        parse_tags("Java, " + "x" * 81)


@pytest.mark.parametrize(
    ("text", "countries", "way"),
    [
        ("Deutschland / Remote", "Deutschland", "Remote"),
        ("remote, DE, AT", "DE, AT", "remote"),
        ("Deutschland", "Deutschland", ""),
        ("Remote", "Remote", ""),  # alone: is_region tells it
    ],
)
def test_a_way_of_working_comes_off_a_country_cell(text: str, countries: str, way: str) -> None:
    assert region_off(text) == (countries, way)


@pytest.mark.parametrize(
    ("text", "date", "notice"),
    [
        ("3 Monate, frühestens 01.04.2027", "frühestens 01.04.2027", "3 Monate"),
        ("ab 1.4.2027; 6 Wochen Kündigungsfrist", "ab 1.4.2027", "6 Wochen Kündigungsfrist"),
        ("1,5 Monate", "1,5 Monate", ""),  # no date beside it
        ("3 Monate, 01.04.2027 oder 01.07.2027", "3 Monate, 01.04.2027 oder 01.07.2027", ""),
        ("01.04.2027, 01.07.2027", "01.04.2027, 01.07.2027", ""),  # no notice period
    ],
)
def test_a_notice_period_comes_off_the_date_beside_it(text: str, date: str, notice: str) -> None:
    assert notice_off(text) == (date, notice)


def test_a_space_in_a_salary_stands_between_digits_only() -> None:
    # Read as 4.500,13 before, the space taken for a thousands gap.
    with pytest.raises(ValueError, match="is not a salary"):
        parse_salary("4.500 €, 13")

    assert parse_salary("65 000") == Salary(Decimal("65000.00"), "EUR", None)


def test_a_date_in_the_salary_column_is_not_a_salary() -> None:
    with pytest.raises(ValueError, match=re.escape("“2027-03-01” is not a salary")):
        parse_salary(MARCH_1)


@pytest.mark.parametrize(
    ("cell", "region", "expected"),
    [
        ("0151 12345678", "DE", "+4915112345678"),
        ("+49 (0)30 123456", "DE", "+4930123456"),
        ("030/123456", "DE", "+4930123456"),
        (15112345678.0, "DE", "+4915112345678"),  # Excel dropped the leading 0
        (4915112345678.0, "DE", "+4915112345678"),  # and here the +
        (15112345678, "DE", "+4915112345678"),
        ("044 668 18 00", "CH", "+41446681800"),
        ("020 7946 0958", "GB", "+442079460958"),
    ],
)
def test_phone_numbers_are_stored_in_e164(cell: Cell, region: str, expected: str) -> None:
    assert parse_phone(cell, region) == Phone(expected, [])


def test_a_blank_phone_cell_is_no_number() -> None:
    assert parse_phone(None, "DE") is None
    assert parse_phone("  ", "DE") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0151 12345678 (nur abends)", Phone("+4915112345678", [], "nur abends")),
        ("+49 (0)151 12345678 (privat)", Phone("+4915112345678", [], "privat")),
        ("0151 12345678 / 030 1234567", Phone("+4915112345678", ["030 1234567"])),
        ("0151 12345678, 030/1234567 (Büro)", Phone("+4915112345678", ["030/1234567 (Büro)"])),
        ("0151 12345678 oder 030 1234567", Phone("+4915112345678", ["030 1234567"])),
        ("0151 12345678\n+41 44 668 18 00", Phone("+4915112345678", ["+41 44 668 18 00"])),
        ("030 1234567 DW 12", Phone("+49301234567", [], "DW 12")),
        ("030 1234567-Durchwahl 12", Phone("+49301234567", [], "Durchwahl 12")),
        ("+49 30 1234567, App. 312", Phone("+49301234567", [], "App. 312")),
        ("+1 650 253 0000 ext. 12", Phone("+16502530000", [], "ext. 12")),
        ("+1 650 253 0000 x12", Phone("+16502530000", [], "x12")),
    ],
)
def test_a_cell_with_several_numbers_or_a_remark_gives_the_first_and_the_rest(
    cell: str, expected: Phone
) -> None:
    assert parse_phone(cell, "DE") == expected


@pytest.mark.parametrize("cell", ["0151 12345678 / bitte anrufen", "0151 12345678 / 030 12"])
def test_a_cell_with_a_number_and_something_else_is_refused_whole(cell: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"“{cell}”: ")):
        parse_phone(cell, "DE")


@pytest.mark.parametrize(("cell", "shown"), [("bitte anrufen", "bitte anrufen"), (12.0, "12")])
def test_a_cell_that_is_not_a_phone_number_is_named_in_the_message(cell: Cell, shown: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"“{shown}”: ")):
        parse_phone(cell, "DE")


@pytest.mark.parametrize("cell", ["bitte anrufen", "12345", "+49 30"])
def test_a_number_refused_by_the_reading_process_gets_the_message_the_check_gives(
    cell: str,
) -> None:
    messages = []
    for read in (None, e164(cell, "DE")):  # read here, or read apart (apart.py)
        with pytest.raises(ValueError, match=re.escape(f"“{cell}”: ")) as refused:
            parse_phone(cell, "DE", read)
        messages.append(str(refused.value))

    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Berlin ", "Berlin"),
        ("Jürgen Müller ", "Jürgen Müller"),
        ("Jürgen\u00a0Müller\u00ad ", "Jürgen Müller"),
        ("Max\u00a0Mustermann", "Max Mustermann"),
        ("\ufeffVorname\u200b", "Vorname"),
        (12345.0, "12345"),
        (12345, "12345"),
        (4500.5, "4500.5"),
        (datetime.datetime.fromisoformat("2027-03-01T00:00"), "2027-03-01"),
        (None, ""),
    ],
)
def test_text_is_trimmed_and_whole_numbers_lose_their_decimals(cell: Cell, expected: str) -> None:
    assert clean_text(cell) == expected


def test_messages_are_in_the_recruiters_language() -> None:
    with translation.override("de"):
        with pytest.raises(ValueError, match="„31.02.2027“ ist kein Datum"):
            parse_date("31.02.2027")
        with pytest.raises(ValueError, match="„65 Äpfel“ ist kein Gehalt"):
            parse_salary("65 Äpfel")
        with pytest.raises(ValueError, match="„bitte anrufen“: Das ist keine Telefonnummer"):
            parse_phone("bitte anrufen", "DE")


@pytest.mark.parametrize(
    "cell",
    ["sofort", "ab sofort", "Ab Sofort", "per sofort", "PER  SOFORT", " asap ", "ASAP"]
    + ["immediately", "Immediately", "now", "from now"],
)
def test_available_at_once_is_today_in_silverpools_time_zone(cell: str) -> None:
    # 23:30 UTC on 28 February is already 1 March in Berlin.
    with time_machine.travel(datetime.datetime(2027, 2, 28, 23, 30, tzinfo=datetime.UTC)):
        assert parse_date(cell) == MARCH_1


@pytest.mark.parametrize(
    "cell",
    ["03/2027", "3/2027", "03.2027", "2027-03", "März 2027", "Mar 2027", "ab 03/2027"]
    + ["from March 2027", "ab 01.03.2027", "per 1.3.27"],
)
def test_a_month_and_year_is_the_first_of_that_month(cell: str) -> None:
    assert parse_date(cell) == MARCH_1


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3 Monate Kündigungsfrist", True),
        ("in 6 Wochen", True),
        ("3 months notice", True),
        ("Kündigungsfrist: 1 Monat zum Monatsende", True),
        ("3. Quartal 2027", False),
        ("KW 12/2027", False),
        ("Montag", False),
        (3, False),
    ],
)
def test_a_notice_period_is_told_from_a_date(cell: Cell, expected: bool) -> None:
    assert is_notice_period(cell) is expected


@pytest.mark.parametrize("cell", ["00.00.0000", "00/2027", "13.2027", "ab", "sofort?", "bald"])
def test_what_only_looks_like_a_date_stays_invalid(cell: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"“{cell}” is not a date.")):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'+49 151 12345678", "+49 151 12345678"),  # as our export neutralises it
        ("'=SUM(A1)", "=SUM(A1)"),
        ("''=x", "'=x"),  # a value that started with ' itself
        ("'t Hooft", "'t Hooft"),  # an apostrophe that belongs to the name
        ("'", "'"),
    ],
)
def test_the_quote_that_neutralised_a_formula_is_taken_off(cell: str, expected: str) -> None:
    assert clean_text(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("EUR", "EUR"), ("€", "EUR"), ("Euro", "EUR"), ("usd", "USD"), (" CHF ", "CHF"), ("", "")],
)
def test_a_currency_column_gives_the_code(cell: Cell, expected: str) -> None:
    assert parse_currency(cell) == expected


def test_a_cell_that_is_not_a_currency_is_named_in_the_message() -> None:
    with pytest.raises(ValueError, match="“Dollars” is not a currency."):
        parse_currency("Dollars")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("per year", YEAR),
        ("pro Jahr", YEAR),
        ("jährlich", YEAR),
        ("p.a.", YEAR),
        ("per month", MONTH),
        ("pro Monat", MONTH),
        ("monthly", MONTH),
        (None, None),
    ],
)
def test_a_salary_period_column_gives_year_or_month(
    cell: Cell, expected: Talent.SalaryPeriod | None
) -> None:
    assert parse_salary_period(cell) == expected


def test_a_cell_that_is_not_a_salary_period_is_named_in_the_message() -> None:
    with pytest.raises(ValueError, match="“weekly” is not a salary period"):
        parse_salary_period("weekly")


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("7,5", 7.5),
        ("7.5", 7.5),
        ("1.000", 1000.0),
        ("1,000", 1000.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-3,5", -3.5),
        (" 2 000 ", 2000.0),
        (12, 12),
        (2.5, 2.5),
    ],
)
def test_numbers_are_read_as_germans_and_english_speakers_write_them(
    cell: Cell, number: float
) -> None:
    assert parse_number(cell) == number


def test_text_that_is_no_number_is_left_for_the_custom_fields_check() -> None:
    assert parse_number(" drei ") == "drei"


@pytest.mark.parametrize(("cell", "expected"), [("0.125", 0.125), ("0,125", 0.125), ("-0.5", -0.5)])
def test_a_number_below_one_is_no_thousands(cell: str, expected: float) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "email", "others"),
    [
        ("  anna@example.de ", "anna@example.de", []),
        ("MAILTO:anna@example.de", "anna@example.de", []),
        ("Anna Schmidt <anna@example.de>", "anna@example.de", []),
        ("<mailto:anna@example.de>", "anna@example.de", []),
        ('"Schmidt, Anna" <anna@example.de>', "anna@example.de", []),
        # As Outlook copies recipients: unquoted names with a comma, a semicolon at the end.
        ("Schmidt, Anna <anna@a.de>; Schmidt, A. <anna@b.de>;", "anna@a.de", ["anna@b.de"]),
        ("anna@a.de,anna@b.de", "anna@a.de", ["anna@b.de"]),
        ("anna@a.de / anna@b.de", "anna@a.de", ["anna@b.de"]),
        ("anna@a.de\nanna@b.de\nANNA@A.DE", "anna@a.de", ["anna@b.de"]),
        ("anna@a.de anna@b.de anna@b.de", "anna@a.de", ["anna@b.de"]),
        # Not a list of addresses: the text as it is, for the email check to refuse.
        ("anna at example.de", "anna at example.de", []),
        ("anna@example.de (privat)", "anna@example.de (privat)", []),
        ("anna@example.de bitte nicht anrufen", "anna@example.de bitte nicht anrufen", []),
        ("Anna <anna@example.de", "Anna <anna@example.de", []),
        ("anna@", "anna@", []),
        ("", "", []),
        (None, "", []),
    ],
)
def test_an_email_cell_gives_its_address_and_any_others(
    cell: Cell, email: str, others: list[str]
) -> None:
    assert parse_emails(cell) == (email, others)


@pytest.mark.parametrize(
    ("cell", "empty"),
    [
        ("-", True),
        (" — ", True),
        ("N/A", True),
        ("k. A.", True),
        ("Keine Angabe", True),
        ("#NV", True),
        ("Null", False),  # a name some people have
        ("Nullmeier", False),
        ("-5", False),
        (0, False),
    ],
)
def test_a_cell_that_only_says_no_value_is_told_apart(cell: Cell, empty: bool) -> None:
    assert is_no_value(cell) is empty


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10115 Berlin", ("10115", "Berlin")),
        ("D-10115 Berlin", ("10115", "Berlin")),
        ("CH-8001 Zürich", ("8001", "Zürich")),
        ("1012 AB Amsterdam", ("1012 AB", "Amsterdam")),
        ("60311 Frankfurt am Main", ("60311", "Frankfurt am Main")),
        ("Frankfurt (Oder), 15230", ("15230", "Frankfurt (Oder)")),
        ("10115", ("10115", "")),
        ("Berlin", ("", "Berlin")),
        # A postcode of another shape stays with the city: nothing of it is lost.
        ("SW1A 1AA London", ("", "SW1A 1AA London")),
    ],
)
def test_a_postcode_and_city_cell_is_split(cell: str, expected: tuple[str, str]) -> None:
    assert split_postcode_city(cell) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("65", ("65000", YEAR)),
        ("399.99", ("399990", YEAR)),
        ("400", ("400", MONTH)),
        ("4500", ("4500", MONTH)),
        ("19999.99", ("19999.99", MONTH)),
        ("20000", ("20000", YEAR)),
    ],
)
def test_a_figure_without_a_period_is_read_as_recruiters_mean_it(
    amount: str, expected: tuple[str, str]
) -> None:
    assert bare_salary(Decimal(amount)) == (Decimal(expected[0]), expected[1])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Deutschland", ("DE", [])),
        ("Bosnien und Herzegowina", ("BA", [])),  # one country, though "und" is in it
        ("Germany & Austria", ("DE", ["Austria"])),
        ("DE,", ("DE", [])),
    ],
)
def test_a_country_cell_gives_its_first_country_and_the_others(
    cell: str, expected: tuple[str, list[str]]
) -> None:
    assert parse_countries(cell) == expected
