"""Reading one row through the column mapping: the talent's cleaned fields, or which column
is wrong and why."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from silverpool.imports.headers import Target, TargetField
from silverpool.imports.reading import Cell, Row
from silverpool.imports.rows import BadRow, GoodRow, RowReader
from silverpool.talents.models import CustomField

F = TargetField
CUSTOM_FIELDS = {
    "notice": CustomField(key="notice", label_en="Notice period", label_de="Frist"),
    "years": CustomField(
        key="years", label_en="Years", label_de="Jahre", kind=CustomField.Kind.NUMBER
    ),
    "interview": CustomField(
        key="interview", label_en="Interview", label_de="Gespräch", kind=CustomField.Kind.DATE
    ),
    "level": CustomField(
        key="level",
        label_en="Level",
        label_de="Stufe",
        kind=CustomField.Kind.CHOICE,
        choices=["Junior", "Senior"],
    ),
}
# Every target once, as an ATS export and a recruiter's own columns would bring them.
COLUMNS: list[tuple[str, Target]] = [
    ("Name", Target(F.FULL_NAME)),
    ("E-Mail", Target(F.EMAIL)),
    ("Mobil", Target(F.PHONE)),
    ("PLZ", Target(F.POSTCODE)),
    ("Ort", Target(F.CITY)),
    ("Land", Target(F.COUNTRY)),
    ("Position", Target(F.JOB_TITLE)),
    ("Kenntnisse", Target(F.SKILLS)),
    ("LinkedIn", Target(F.LINKEDIN_URL)),
    ("XING", Target(F.PROFILE_URLS)),
    ("GitHub", Target(F.PROFILE_URLS)),
    ("Gehaltswunsch", Target(F.SALARY)),
    ("Verfügbar ab", Target(F.AVAILABLE_FROM)),
    ("Quelle", Target(F.SOURCE_LABEL)),
    ("Kündigungsfrist", Target(F.CUSTOM, "notice")),
    ("Berufsjahre", Target(F.CUSTOM, "years")),
    ("Gespräch am", Target(F.CUSTOM, "interview")),
    ("Stufe", Target(F.CUSTOM, "level")),
    ("Bemerkung", Target(F.NOTE)),
    ("Kommentar Telefonat", Target(F.NOTE)),
    ("Interne ID", Target(F.IGNORE)),
]
FULL_ROW: dict[str, Cell] = {
    "Name": "Mustermann, Max",
    "E-Mail": " Max.Mustermann@Example.COM ",
    "Mobil": "0660 1234567",
    "PLZ": 1010,
    "Ort": "Wien",
    "Land": "Österreich",
    "Position": "Vertriebsleiter",
    "Kenntnisse": "SAP; Verhandlung, C/C++\nExcel",
    "LinkedIn": "linkedin.com/in/max-mustermann/",
    "XING": "https://www.xing.com/profile/Max_Mustermann",
    "GitHub": "github.com/maxm",
    "Gehaltswunsch": "ca. 65.000 €",
    "Verfügbar ab": "1.3.27",
    "Quelle": "LinkedIn",
    "Kündigungsfrist": "3 Monate",
    "Berufsjahre": 12,
    "Gespräch am": datetime.datetime(2027, 2, 15),  # noqa: DTZ001 (as openpyxl reads a date)
    "Stufe": "Senior",
    "Bemerkung": "Sehr guter Eindruck",
    "Kommentar Telefonat": "  Rückruf im März ",
    "Interne ID": "A-17",
}


def reader(columns: list[tuple[str, Target]] = COLUMNS, **options: Any) -> RowReader:
    return RowReader(
        [header for header, _target in columns],
        [target for _header, target in columns],
        default_country=options.get("default_country", "DE"),
        source_label="bewerber.xlsx",
        custom_fields=CUSTOM_FIELDS,
        known_emails=options.get("known_emails"),
    )


def read(changes: dict[str, Cell] | None = None, number: int = 7) -> GoodRow | BadRow:
    cells = {**FULL_ROW, **(changes or {})}
    return reader().read(Row(number, [cells[header] for header, _target in COLUMNS]))


def good(changes: dict[str, Cell] | None = None) -> GoodRow:
    result = read(changes)
    assert isinstance(result, GoodRow), result
    return result


def bad(changes: dict[str, Cell]) -> BadRow:
    result = read(changes)
    assert isinstance(result, BadRow), result
    return result


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Python, Django; SQL", ["Python", "Django", "SQL"]),
        ("Python/Django | Vue", ["Python", "Django", "Vue"]),
        ("Java\nSpring Boot\r\nKotlin", ["Java", "Spring Boot", "Kotlin"]),
        ("• Scrum\n• Kanban", ["Scrum", "Kanban"]),
        ("Excel · Word ▪ PowerPoint", ["Excel", "Word", "PowerPoint"]),
        ("C/C++, UI/UX, CI/CD, TCP/IP", ["C/C++", "UI/UX", "CI/CD", "TCP/IP"]),
        ("SAP S/4HANA, SAP R/3; AS/400", ["SAP S/4HANA", "SAP R/3", "AS/400"]),
        ("A/B-Testing, SEO/SEA", ["A/B-Testing", "SEO/SEA"]),
        ("Go/Rust", ["Go", "Rust"]),
        ("Python, python, PYTHON, Django", ["Python", "Django"]),
        (" , ;; / ", []),
    ],
)
def test_skills_are_split_trimmed_and_each_kept_once(cell: Cell, expected: list[str]) -> None:
    assert good({"Kenntnisse": cell}).fields["skills"] == expected


def test_a_row_with_every_target_becomes_the_talents_cleaned_fields() -> None:
    row = good()

    assert row.number == 7
    assert row.fields == {
        "first_name": "Max",
        "last_name": "Mustermann",
        "email": "Max.Mustermann@example.com",
        "phone": "+436601234567",  # read as Austrian: the row's country, not the default
        "postcode": "1010",
        "city": "Wien",
        "country": "AT",
        "job_title": "Vertriebsleiter",
        "skills": ["SAP", "Verhandlung", "C/C++", "Excel"],
        "linkedin_url": "https://www.linkedin.com/in/max-mustermann",
        "profile_urls": ["https://www.xing.com/profile/Max_Mustermann", "https://github.com/maxm"],
        "salary_amount": Decimal("65000.00"),
        "salary_currency": "EUR",
        "salary_period": "year",
        "available_from": datetime.date(2027, 3, 1),
        "custom_values": {
            "notice": "3 Monate",
            "years": 12.0,
            "interview": "2027-02-15",
            "level": "Senior",
        },
    }
    assert row.note == "Sehr guter Eindruck\nRückruf im März"
    assert row.source_label == "bewerber.xlsx (LinkedIn)"


@pytest.mark.parametrize(
    ("cell", "first", "last"),
    [
        ("Mustermann, Max", "Max", "Mustermann"),
        ("Max Mustermann", "Max", "Mustermann"),
        ("Anna von Berg", "Anna", "von Berg"),
        ("Ursula von der Leyen", "Ursula", "von der Leyen"),
        ("Maria de la Cruz", "Maria", "de la Cruz"),
        # Two first names, as Germans often have them without a hyphen.
        ("Hans Peter Müller", "Hans Peter", "Müller"),
        ("John Smith Jr.", "John", "Smith Jr."),
        ("  Berg ,  Anna Lena ", "Anna Lena", "Berg"),
        ("Herr Max Mustermann", "Max", "Mustermann"),
        ("Ms Jane Doe", "Jane", "Doe"),
        ("Frauke Berg", "Frauke", "Berg"),
        ("Draco Malfoy", "Draco", "Malfoy"),
        ("DEMBA, MOUSSA", "MOUSSA", "DEMBA"),  # not "DE" with an MBA
    ],
)
def test_a_full_name_is_split_into_first_and_last_name(cell: str, first: str, last: str) -> None:
    row = good({"Name": cell})

    assert (row.fields["first_name"], row.fields["last_name"]) == (first, last)
    assert row.note == "Sehr guter Eindruck\nRückruf im März"


@pytest.mark.parametrize(
    ("cell", "first", "last", "title"),
    [
        ("Frau Dr. Anna Schmidt", "Anna", "Schmidt", "Dr."),
        ("Herrn Prof. Dr.-Ing. Max Weber", "Max", "Weber", "Prof. Dr.-Ing."),
        ("Dr. med. Anna Schmidt", "Anna", "Schmidt", "Dr. med."),
        ("Dr John Smith", "John", "Smith", "Dr"),
        ("Schmidt, Dr. Anna", "Anna", "Schmidt", "Dr."),
        ("Mag. Eva Huber", "Eva", "Huber", "Mag."),
        ("Dipl.-Kfm. Jens Weber", "Jens", "Weber", "Dipl.-Kfm."),
        ("Anna Schmidt, M.Sc.", "Anna", "Schmidt", "M.Sc."),
        ("Berg, Anna, PhD", "Anna", "Berg", "PhD"),
        ("Max Weber MBA", "Max", "Weber", "MBA"),
    ],
)
def test_titles_in_a_full_name_are_not_part_of_it_and_go_into_the_note(
    cell: str, first: str, last: str, title: str
) -> None:
    row = good({"Name": cell, "Bemerkung": None, "Kommentar Telefonat": None})

    assert (row.fields["first_name"], row.fields["last_name"]) == (first, last)
    assert row.note == f"Academic title: {title}"


def test_a_single_name_after_a_form_of_address_is_the_last_name() -> None:
    row = bad({"Name": "Herr Mustermann"})

    assert (row.column, row.reason) == ("Name", "A first name is required.")


def test_first_and_last_name_columns_win_over_a_full_name_column() -> None:
    columns = [
        ("Vorname", Target(F.FIRST_NAME)),
        ("Name", Target(F.FULL_NAME)),
        ("E-Mail", Target(F.EMAIL)),
    ]

    result = reader(columns).read(Row(2, ["Maximilian", "Mustermann, Max", "max@example.com"]))

    assert isinstance(result, GoodRow)
    assert result.fields["first_name"] == "Maximilian"
    assert result.fields["last_name"] == "Mustermann"


@pytest.mark.parametrize(
    ("first_cell", "last_cell", "first", "last", "note"),
    [
        ("Dr. Anna", "Schmidt", "Anna", "Schmidt", "Academic title: Dr."),
        ("Frau Anna", "Schmidt, M.Sc.", "Anna", "Schmidt", "Academic title: M.Sc."),
        ("Anna Lena", "von Berg", "Anna Lena", "von Berg", ""),
        ("Hugh", "Herr", "Hugh", "Herr", ""),  # a surname, not a form of address
        ("Max", "Prof. Dr. Weber MBA", "Max", "Weber", "Academic title: Prof. Dr. MBA"),
    ],
)
def test_titles_in_first_and_last_name_columns_go_into_the_note_as_in_a_full_name(
    first_cell: str, last_cell: str, first: str, last: str, note: str
) -> None:
    columns = [
        ("Vorname", Target(F.FIRST_NAME)),
        ("Nachname", Target(F.LAST_NAME)),
        ("E-Mail", Target(F.EMAIL)),
    ]

    result = reader(columns).read(Row(2, [first_cell, last_cell, "anna@example.com"]))

    assert isinstance(result, GoodRow)
    assert (result.fields["first_name"], result.fields["last_name"]) == (first, last)
    assert result.note == note


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("de", "DE"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("Schweiz", "CH"),
        ("Oesterreich", "AT"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("Vereinigte Staaten", "US"),
        ("The Netherlands", "NL"),
        ("Czech Republic", "CZ"),
        ("Tschechien", "CZ"),
        ("Turkey", "TR"),
        ("Türkei", "TR"),
        ("Tuerkei", "TR"),
        ("Turkiye", "TR"),
        ("Russian Federation", "RU"),
        ("Suedkorea", "KR"),
        ("DEU", "DE"),
        ("aut", "AT"),
        ("CHE", "CH"),
    ],
)
def test_countries_are_read_from_german_and_english_names_and_codes(cell: str, code: str) -> None:
    """The names Silverpool shows, official and former names, in either language, with
    umlauts written out or dropped, with "The" or without."""
    row = good({"Land": cell, "Mobil": None})

    assert row.fields["country"] == code


@pytest.mark.parametrize(
    ("postcode", "country", "read_as"),
    [
        (1069, "Deutschland", "01069"),  # typed as a number: Excel dropped the 0
        ("1069", None, "01069"),  # from a CSV file saved by Excel; the default country
        ("01069", "Deutschland", "01069"),
        (184, "Italien", "00184"),
        (1010, "Österreich", "1010"),  # four digits there
        ("10115", "Deutschland", "10115"),
        ("SW1A 1AA", "UK", "SW1A 1AA"),
    ],
)
def test_a_postcode_gets_back_the_zeros_a_spreadsheet_dropped(
    postcode: Cell, country: str | None, read_as: str
) -> None:
    row = good({"PLZ": postcode, "Land": country, "Mobil": None})

    assert row.fields["postcode"] == read_as


@pytest.mark.parametrize(
    ("phone", "read_as"),
    [
        ("+43 660 1234567", "1010"),  # Vienna's: the number's code states Austria
        ("+49 30 1234567", "01010"),
        ("030 1234567", "01010"),  # read in the default country, as the postcode is
        (None, "01010"),
    ],
)
def test_a_postcode_without_a_country_is_read_in_the_country_of_the_phone_number(
    phone: str | None, read_as: str
) -> None:
    row = good({"PLZ": "1010", "Land": None, "Mobil": phone})

    assert row.fields["postcode"] == read_as
    assert "country" not in row.fields  # the number says nothing of where the talent lives


def test_a_phone_without_a_country_code_is_read_in_the_default_country() -> None:
    row = good({"Land": None, "Mobil": "030 1234567"})

    assert row.fields["phone"] == "+49301234567"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # Read in the row's country.
        (
            {"Mobil": "0660 12"},
            "“0660 12”: Not a valid phone number (country of numbers without a country "
            "code: Austria): check the area code and the number of digits.",
        ),
        (
            {"Land": None, "Mobil": "0151 2000000"},
            "“0151 2000000”: Not a valid phone number (country of numbers without a country "
            "code: Germany): check the area code and the number of digits.",
        ),
        (
            {"Mobil": "+49 (0)151-2345678"},
            "“+49 (0)151-2345678”: Not a valid phone number with the country code +49: check "
            "the area code and the number of digits.",
        ),
        (
            {"Mobil": "+999 1234567"},
            "“+999 1234567”: No country has the country code this number starts with.",
        ),
    ],
)
def test_a_refused_phone_number_says_which_country_it_was_read_for(
    changes: dict[str, Cell], reason: str
) -> None:
    row = bad(changes)

    assert (row.column, row.reason) == ("Mobil", reason)


def test_a_refused_phone_number_is_explained_in_german() -> None:
    with translation.override("de"):
        row = bad({"Land": "Schweiz", "Mobil": "079 123"})

    assert row.reason == (
        "„079 123“: Keine gültige Telefonnummer (Land von Nummern ohne Ländervorwahl: "
        "Schweiz). Bitte Vorwahl und Anzahl der Ziffern prüfen."
    )


def test_a_phones_remark_and_further_numbers_go_into_the_note() -> None:
    cell = "0660 1234567 (nur abends) / +49 30 1234567"
    with translation.override("de"):
        row = good({"Mobil": cell, "Bemerkung": None, "Kommentar Telefonat": None})

    assert row.fields["phone"] == "+436601234567"  # read in the row's country, Austria
    assert row.note == "Mobil: nur abends\nWeitere Telefonnummer: +49 30 1234567"


def test_a_phones_extension_goes_into_the_note() -> None:
    """E.164 has no place for it; it was dropped before, as libphonenumber reads "ext."."""
    cells = {"Land": None, "Mobil": "030 1234567 DW 12", "Bemerkung": None}
    row = good({**cells, "Kommentar Telefonat": None})

    assert row.fields["phone"] == "+49301234567"
    assert row.note == "Mobil: DW 12"


@pytest.mark.parametrize(
    ("cells", "field", "value", "note"),
    [
        ({"Land": "Österreich (Remote)"}, "country", "AT", "Land: Remote"),
        (
            {"Gehaltswunsch": "65.000 € (verhandelbar)"},
            "salary_amount",
            65000,
            "Gehaltswunsch: verhandelbar",
        ),
        (
            {"Verfügbar ab": "01.03.2027 (frühestens)"},
            "available_from",
            datetime.date(2027, 3, 1),
            "Verfügbar ab: frühestens",
        ),
    ],
)
def test_a_remark_in_brackets_after_a_value_goes_into_the_note(
    cells: dict[str, Cell], field: str, value: Any, note: str
) -> None:
    row = good({**cells, "Bemerkung": None, "Kommentar Telefonat": None})

    assert row.fields[field] == value
    assert row.note == note


@pytest.mark.parametrize(
    ("cell", "date", "note"),
    [
        ("3 Monate Kündigungsfrist", None, "Verfügbar ab: 3 Monate Kündigungsfrist"),
        (
            "01.03.2027 (3 Monate Kündigungsfrist)",
            datetime.date(2027, 3, 1),
            "Verfügbar ab: 3 Monate Kündigungsfrist",
        ),
        ("3 Monate, frühestens 01.03.2027", datetime.date(2027, 3, 1), "Verfügbar ab: 3 Monate"),
    ],
)
def test_a_notice_period_goes_into_the_note_beside_a_date_or_instead_of_one(
    cell: str, date: datetime.date | None, note: str
) -> None:
    row = good({"Verfügbar ab": cell, "Bemerkung": None, "Kommentar Telefonat": None})

    assert row.fields.get("available_from") == date
    assert row.note == note


@pytest.mark.parametrize(
    ("cell", "amount", "currency", "note"),
    [
        ("65.000 € + Bonus", 65000, "EUR", "Gehaltswunsch: + Bonus"),
        ("65k, verhandelbar", 65000, "EUR", "Gehaltswunsch: verhandelbar"),
        ("70.000 inkl. Dienstwagen", 70000, "EUR", "Gehaltswunsch: inkl. Dienstwagen"),
        ("55.000 USD je nach Aufgabe", 55000, "USD", "Gehaltswunsch: je nach Aufgabe"),
        ("4.500 € pro Monat, 13 Gehälter", 4500, "EUR", "Gehaltswunsch: 13 Gehälter"),
    ],
)
def test_words_about_the_pay_after_a_salary_go_into_the_note(
    cell: str, amount: int, currency: str, note: str
) -> None:
    row = good({"Gehaltswunsch": cell, "Bemerkung": None, "Kommentar Telefonat": None})

    assert (row.fields["salary_amount"], row.fields["salary_currency"]) == (amount, currency)
    assert row.note == note


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        ("Deutschland/Österreich", "Weiteres Land: Österreich"),
        ("DE, AT; CH", "Weitere Länder: AT, CH"),
        ("Deutschland oder Schweiz", "Weiteres Land: Schweiz"),
    ],
)
def test_a_cell_with_several_countries_gives_the_first_and_notes_the_others(
    cell: str, note: str
) -> None:
    with translation.override("de"):
        row = good({"Land": cell, "Mobil": None, "Bemerkung": None, "Kommentar Telefonat": None})

    assert row.fields["country"] == "DE"
    assert row.note == note


@pytest.mark.parametrize("cell", ["Remote", "EU", "DACH", "weltweit", " Home Office "])
def test_a_way_of_working_in_the_country_column_goes_into_the_note(cell: str) -> None:
    row = good(
        {"Land": cell, "Mobil": "030 1234567", "Bemerkung": None, "Kommentar Telefonat": None}
    )

    assert "country" not in row.fields
    assert row.fields["phone"] == "+49301234567"  # in the default country, as for no country
    assert row.note == f"Land: {cell.strip()}"


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        ("Deutschland / Remote", "Land: Remote"),
        ("remote, DE, AT", "Weiteres Land: AT\nLand: remote"),
    ],
)
def test_a_way_of_working_beside_the_countries_goes_into_the_note(cell: str, note: str) -> None:
    cells: dict[str, Cell] = {
        "Land": cell,
        "Mobil": None,
        "Bemerkung": None,
        "Kommentar Telefonat": None,
    }
    with translation.override("de"):
        row = good(cells)

    assert row.fields["country"] == "DE"
    assert row.note == note


def test_a_country_list_with_an_unknown_one_is_refused_whole() -> None:
    row = bad({"Land": "Deutschland/Atlantis"})

    assert (row.column, row.reason) == (
        "Land",
        "“Deutschland/Atlantis” is not a country we know.",
    )


def test_a_value_that_is_wrong_without_its_remark_too_is_refused_as_written() -> None:
    row = bad({"Land": "Atlantis (Remote)"})

    assert (row.column, row.reason) == ("Land", "“Atlantis (Remote)” is not a country we know.")


def test_a_phone_typed_into_excel_as_a_number_keeps_its_leading_zero() -> None:
    row = good({"Land": None, "Mobil": 15112345678.0})

    assert row.fields["phone"] == "+4915112345678"


@pytest.mark.parametrize(
    ("cell", "amount", "period"),
    [
        (65000, "65000.00", "year"),
        ("65k", "65000.00", "year"),
        ("€ 4.500 / Monat", "4500.00", "month"),
        # A figure without a period, as recruiters mean it: thousands a year below 400,
        # a month's gross below 20,000.
        ("65", "65000.00", "year"),
        (65, "65000.00", "year"),
        ("60-70", "60000.00", "year"),
        ("399", "399000.00", "year"),
        ("520 €", "520.00", "month"),  # a mini-job
        ("4.500 €", "4500.00", "month"),
        ("19.999", "19999.00", "month"),
        ("20.000", "20000.00", "year"),
    ],
)
def test_salaries_bring_amount_currency_and_period(cell: Cell, amount: str, period: str) -> None:
    row = good({"Gehaltswunsch": cell})

    assert row.fields["salary_amount"] == Decimal(amount)
    assert row.fields["salary_currency"] == "EUR"
    assert row.fields["salary_period"] == period


@pytest.mark.parametrize("first", [True, False])
def test_a_period_column_of_its_own_keeps_a_small_figure_as_it_is(first: bool) -> None:
    salary = [("Gehalt", Target(F.SALARY))]
    period = [("Zeitraum", Target(F.SALARY_PERIOD))]
    columns = [("Vorname", Target(F.FIRST_NAME)), ("E-Mail", Target(F.EMAIL))]
    columns += period + salary if first else salary + period
    cells = {"Vorname": "Max", "E-Mail": "max@example.com", "Gehalt": "65", "Zeitraum": "Jahr"}

    result = reader(columns).read(Row(2, [cells[header] for header, _target in columns]))

    assert isinstance(result, GoodRow)
    assert (result.fields["salary_amount"], result.fields["salary_period"]) == (
        Decimal("65.00"),
        "year",
    )


def test_custom_values_of_each_kind_are_read_from_german_cells() -> None:
    row = good({"Berufsjahre": "7", "Gespräch am": "15.02.2027", "Kündigungsfrist": 3})

    assert row.fields["custom_values"] == {
        "notice": "3",
        "years": 7.0,
        "interview": "2027-02-15",
        "level": "Senior",
    }


POSTCODE_CITY_COLUMNS = [
    ("Vorname", Target(F.FIRST_NAME)),
    ("E-Mail", Target(F.EMAIL)),
    ("PLZ/Ort", Target(F.POSTCODE_CITY)),
]


def test_a_postcode_and_city_column_gives_both_with_the_postcodes_zeros() -> None:
    # As a spreadsheet keeps a postcode typed as a number: without its 0.
    cells: list[Cell] = ["Max", "max@example.com", "1069 Dresden"]

    result = reader(POSTCODE_CITY_COLUMNS).read(Row(2, cells))

    assert isinstance(result, GoodRow)
    assert (result.fields["postcode"], result.fields["city"]) == ("01069", "Dresden")


def test_a_city_too_long_is_blamed_on_the_postcode_and_city_column() -> None:
    cells: list[Cell] = ["Max", "max@example.com", "10115 " + "x" * 101]

    result = reader(POSTCODE_CITY_COLUMNS).read(Row(2, cells))

    assert isinstance(result, BadRow)
    assert (result.column, result.reason) == ("PLZ/Ort", "At most 100 characters, please.")


def test_a_note_column_of_other_data_says_what_its_text_is() -> None:
    """A second phone number or a column nothing else takes goes into the note after its
    header; a column whose header names a note needs none."""
    columns = [
        ("Vorname", Target(F.FIRST_NAME)),
        ("E-Mail", Target(F.EMAIL)),
        ("Bemerkung", Target(F.NOTE)),
        ("Handy privat", Target(F.NOTE)),
        ("Lieblingsfarbe", Target(F.NOTE)),
        ("", Target(F.NOTE)),
    ]
    cells: list[Cell] = ["Max", "max@example.com", "Sehr gut", "0171 2345678", " blau ", "x"]

    result = reader(columns).read(Row(2, cells))

    assert isinstance(result, GoodRow)
    assert result.note == "Sehr gut\nHandy privat: 0171 2345678\nLieblingsfarbe: blau\nx"


@pytest.mark.parametrize(
    ("language", "note"),
    [("de", "Eingangsdatum: 3. Mai 2019"), ("en", "Eingangsdatum: 3 May 2019")],
)
def test_a_date_in_a_note_reads_as_the_uploader_reads_dates(language: str, note: str) -> None:
    columns = [
        ("Vorname", Target(F.FIRST_NAME)),
        ("E-Mail", Target(F.EMAIL)),
        ("Eingangsdatum", Target(F.NOTE)),
    ]
    # As calamine reads a date cell of an xlsx (a datetime) and of an xls (a date).
    for cell in (datetime.datetime(2019, 5, 3), datetime.date(2019, 5, 3)):  # noqa: DTZ001
        with translation.override(language):
            result = reader(columns).read(Row(2, ["Max", "max@example.com", cell]))

        assert isinstance(result, GoodRow)
        assert result.note == note


@pytest.mark.parametrize(
    ("cell", "email", "note"),
    [
        ("mailto:Max.Mustermann@example.com", "Max.Mustermann@example.com", ""),
        ("Mustermann, Max <max@example.com>;", "max@example.com", ""),
        (
            "max@example.com; m.mustermann@firma.de",
            "max@example.com",
            "Further email address: m.mustermann@firma.de",
        ),
        (
            "max@example.com, MAX@example.com / max@web.de\nmax@gmx.de",
            "max@example.com",
            "Further email addresses: max@web.de, max@gmx.de",
        ),
    ],
)
def test_a_cell_with_a_mail_programs_address_or_several_takes_the_first_and_notes_the_others(
    cell: str, email: str, note: str
) -> None:
    row = good({"E-Mail": cell, "Bemerkung": None, "Kommentar Telefonat": None})

    assert row.fields["email"] == email
    assert row.note == note


@pytest.mark.parametrize(
    ("known", "email", "note"),
    [
        (set(), "max@example.com", "Further email addresses: max@web.de, max@gmx.de"),
        ({"max@gmx.de"}, "max@gmx.de", "Further email addresses: max@example.com, max@web.de"),
        (
            {"max@example.com", "max@web.de"},
            "max@example.com",
            "Further email addresses: max@web.de, max@gmx.de",
        ),
    ],
)
def test_of_several_addresses_the_one_a_talent_has_already_is_the_rows(
    known: set[str], email: str, note: str
) -> None:
    """The same email never makes a second profile: the row is that talent's."""
    asked: list[list[str]] = []

    def known_emails(addresses: list[str]) -> set[str]:
        asked.append(addresses)
        return known & set(addresses)

    cells = {**FULL_ROW, "E-Mail": "Max@Example.com; max@web.de, MAX@GMX.DE", "Bemerkung": None}
    cells["Kommentar Telefonat"] = None
    row = reader(known_emails=known_emails).read(Row(7, [cells[h] for h, _t in COLUMNS]))

    assert isinstance(row, GoodRow)
    assert row.fields["email"].lower() == email
    assert row.note.lower() == note.lower()
    assert asked == [["max@example.com", "max@web.de", "max@gmx.de"]]


def test_a_title_and_further_addresses_are_noted_in_the_uploaders_language() -> None:
    changes: dict[str, Cell] = {
        "Name": "Prof. Dr. Max Mustermann",
        "E-Mail": "max@example.com;max@web.de",
        "Kommentar Telefonat": None,
    }
    with translation.override("de"):
        row = good(changes)

    assert row.note == ("Titel: Prof. Dr.\nWeitere E-Mail-Adresse: max@web.de\nSehr guter Eindruck")


@pytest.mark.parametrize("cell", ["-", " – ", "?", "n/a", "N/A", "k. A.", "Keine Angabe", "#NV"])
def test_a_spreadsheets_way_of_saying_no_value_is_an_empty_cell(cell: str) -> None:
    columns = ["Mobil", "PLZ", "Ort", "Land", "Gehaltswunsch", "Verfügbar ab", "Kenntnisse"]
    placeholders: dict[str, Cell] = dict.fromkeys([*columns, "Berufsjahre", "Bemerkung"], cell)

    row = good(placeholders)

    assert not {"phone", "postcode", "city", "country", "salary_amount"} & row.fields.keys()
    assert not {"available_from", "skills"} & row.fields.keys()
    assert "years" not in row.fields["custom_values"]
    assert row.note == "Rückruf im März"


@pytest.mark.parametrize(
    ("header", "cell", "field"),
    [
        ("Gehaltswunsch", "nach Vereinbarung", "salary_amount"),
        ("Verfügbar ab", "nach Absprache", "available_from"),
    ],
)
def test_words_instead_of_a_salary_or_date_go_into_the_note_and_the_row_is_imported(
    header: str, cell: str, field: str
) -> None:
    row = good({header: f" {cell} ", "Bemerkung": None, "Kommentar Telefonat": None})

    assert field not in row.fields
    assert row.note == f"{header}: {cell}"


def test_empty_cells_leave_their_fields_out() -> None:
    empty = dict.fromkeys(FULL_ROW, None) | {"Name": "Max Muster", "E-Mail": "max@example.com"}

    row = good(empty)

    assert row.fields == {"first_name": "Max", "last_name": "Muster", "email": "max@example.com"}
    assert row.note == ""
    assert row.source_label == "bewerber.xlsx"


def test_a_short_row_reads_its_missing_cells_as_empty() -> None:
    result = reader().read(Row(3, ["Max Muster", "max@example.com"]))

    assert isinstance(result, GoodRow)
    assert result.fields["email"] == "max@example.com"


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"E-Mail": None},
            "E-Mail",
            "No email address: without one the talent could not be recognised again.",
        ),
        (
            {"E-Mail": "max(at)example.com"},
            "E-Mail",
            "“max(at)example.com”: Enter a valid email address.",
        ),
        (
            # Not a list of addresses: nothing of it is dropped.
            {"E-Mail": "max@example.com (nur abends)"},
            "E-Mail",
            "“max@example.com (nur abends)”: Enter a valid email address.",
        ),
        (
            {"E-Mail": "max@example.com; max@"},
            "E-Mail",
            "“max@example.com; max@”: Enter a valid email address.",
        ),
        ({"Name": None}, "Name", "A first name is required."),
        (
            # The lower bound above the upper one: which figure was meant is unclear.
            {"Gehaltswunsch": "70-60k"},
            "Gehaltswunsch",
            "“70-60k” is not a salary.",
        ),
        ({"Verfügbar ab": "2127"}, "Verfügbar ab", "“2127” is not a date."),
        ({"Verfügbar ab": "31.02.2027"}, "Verfügbar ab", "“31.02.2027” is not a date."),
        ({"Mobil": "bitte anrufen"}, "Mobil", "“bitte anrufen”: This is not a phone number."),
        ({"Land": "Atlantis"}, "Land", "“Atlantis” is not a country we know."),
        ({"Ort": "x" * 101}, "Ort", "At most 100 characters, please."),
        (
            {"LinkedIn": "xing.com/max"},
            "LinkedIn",
            "Enter a LinkedIn address such as linkedin.com/in/name.",
        ),
        ({"Berufsjahre": "viele"}, "Berufsjahre", "“Years” must be a number."),
        ({"Stufe": "Lead"}, "Stufe", "“Lead” is not one of the choices of “Level”."),
        ({"Gespräch am": "demnächst"}, "Gespräch am", "“demnächst” is not a date."),
    ],
)
def test_a_bad_cell_rejects_the_row_naming_its_column_and_the_reason(
    changes: dict[str, Cell], column: str, reason: str
) -> None:
    row = bad(changes)

    assert (row.number, row.column, row.reason) == (7, column, reason)


def test_a_row_with_several_problems_names_each_in_the_order_of_the_columns() -> None:
    row = bad({"Verfügbar ab": "31.02.2027", "E-Mail": "max@", "Name": None})

    assert row.column == "Name, E-Mail, Verfügbar ab"
    assert row.reason == (
        "Name: A first name is required. E-Mail: “max@”: Enter a valid email address. "
        "Verfügbar ab: “31.02.2027” is not a date."
    )


def test_a_row_without_an_email_names_its_other_problems_too() -> None:
    row = bad({"E-Mail": None, "Gehaltswunsch": "70-60k"})

    assert row.column == "E-Mail, Gehaltswunsch"
    assert row.reason == (
        "E-Mail: No email address: without one the talent could not be recognised again. "
        "Gehaltswunsch: “70-60k” is not a salary."
    )


def test_a_phone_is_not_judged_when_the_rows_country_is_unknown() -> None:
    # An Austrian number without +43: read in the default country it would be wrong too.
    row = bad({"Land": "Atlantis", "Mobil": "0660 1234567"})

    assert (row.column, row.reason) == ("Land", "“Atlantis” is not a country we know.")


def test_the_columns_of_a_row_with_many_problems_fit_the_report() -> None:
    columns = [(f"Spalte {n} " + "x" * 30, Target(F.AVAILABLE_FROM)) for n in range(10)]
    columns.append(("E-Mail", Target(F.EMAIL)))

    cells: list[Cell] = [*["31.02.2027"] * 10, "max@example.com"]
    result = reader(columns).read(Row(3, cells))

    assert isinstance(result, BadRow)
    assert len(result.column) == 200
    assert result.reason.count("is not a date.") == 10


def test_a_rejected_row_keeps_its_cells_as_text_for_the_report() -> None:
    row = bad({"E-Mail": None, "Gespräch am": FULL_ROW["Gespräch am"], "Berufsjahre": 12.0})

    assert row.cells[:3] == ["Mustermann, Max", "", "0660 1234567"]
    assert row.cells[15:17] == ["12", "2027-02-15"]
    assert len(row.cells) == len(COLUMNS)


def test_a_first_name_missing_in_its_own_column_is_blamed_on_that_column() -> None:
    columns = [("Vorname", Target(F.FIRST_NAME)), ("E-Mail", Target(F.EMAIL))]

    result = reader(columns).read(Row(4, ["  ", "max@example.com"]))

    assert isinstance(result, BadRow)
    assert (result.column, result.reason) == ("Vorname", "A first name is required.")


def test_an_invisible_character_or_padding_does_not_make_a_value() -> None:
    columns = [
        ("Vorname", Target(F.FIRST_NAME)),
        ("E-Mail", Target(F.EMAIL)),
        ("Ort", Target(F.CITY)),
    ]

    result = reader(columns).read(Row(2, ["\u00a0Jörg\u200b ", "joerg@example.com", "\ufeff"]))

    assert isinstance(result, GoodRow)
    assert result.fields == {"first_name": "Jörg", "email": "joerg@example.com", "city": ""}


@pytest.mark.parametrize(("cell", "years"), [("7,5", 7.5), ("1.000", 1000.0), ("12", 12.0)])
def test_a_number_custom_field_reads_german_and_english_numbers(cell: str, years: float) -> None:
    assert good({"Berufsjahre": cell}).fields["custom_values"]["years"] == years


def test_a_tags_column_gives_the_rows_tags_and_refuses_a_name_too_long() -> None:
    headers = ["Vorname", "E-Mail", "Tags"]
    targets = [Target(F.FIRST_NAME), Target(F.EMAIL), Target(F.TAGS)]
    reader = RowReader(
        headers, targets, default_country="DE", source_label="t.xlsx", custom_fields={}
    )

    tagged = reader.read(Row(2, ["Anna", "anna@example.com", "Java, Senior"]))
    refused = reader.read(Row(3, ["Ben", "ben@example.com", "Java; " + "x" * 81]))

    assert isinstance(tagged, GoodRow)
    assert (tagged.tags, "tags" in tagged.fields) == (("Java", "Senior"), False)
    assert isinstance(refused, BadRow)
    assert (refused.column, refused.reason) == (
        "Tags",
        f"A tag's name has at most 80 characters: “{'x' * 81}”.",
    )
