import datetime
from dataclasses import dataclass

import pytest
from django.utils import translation

from silverpool.imports.export import BUILTIN_COLUMNS
from silverpool.imports.headers import (
    IGNORE,
    NOTE,
    Target,
    TargetField,
    find_header_row,
    normalize_header,
    suggest_mapping,
)
from silverpool.imports.reading.errors import UnreadableFile
from silverpool.imports.reading.table import Cell, Row
from silverpool.imports.rows import GoodRow, RowReader

F = TargetField


@dataclass
class FakeCustomField:
    key: str
    label_en: str
    label_de: str


DATA: list[Cell] = ["Anna", "Berg", "anna@example.com", 15112345678.0, datetime.date(2027, 3, 1)]
HEADER: list[Cell] = ["Vorname", "Nachname", "E-Mail", "Mobil", "Verfügbar ab"]


def test_the_first_row_is_the_header_of_a_plain_sheet() -> None:
    rows = [(1, HEADER), (2, DATA), (3, DATA)]

    assert find_header_row(rows) == 1


def test_title_and_note_rows_above_the_header_are_skipped() -> None:
    rows: list[tuple[int, list[Cell]]] = [
        (1, ["Bewerberliste Q1 2026"]),
        (2, ["Stand: 01.03.2026", None, None, None, "vertraulich"]),
        (4, HEADER),  # row 3 was blank, so the reader left it out
        (5, DATA),
        (6, DATA),
    ]

    assert find_header_row(rows) == 4


def test_a_header_with_empty_columns_between_is_still_the_header() -> None:
    rows = [
        (1, ["Kandidaten", None, None]),
        (2, ["Name", None, "E-Mail", "Ort"]),
        (3, ["Anna Berg", None, "anna@example.com", "Köln"]),
    ]

    assert find_header_row(rows) == 2


def test_an_english_header_below_a_title_is_found() -> None:
    rows: list[tuple[int, list[Cell]]] = [
        (2, ["Candidates exported from Personio on 2026-03-01 by the recruiting team"]),
        (3, ["First name", "Last name", "Email", "Phone", "Salary expectation"]),
        (4, ["Anna", "Berg", "anna@example.com", "+49 151 12345678", 65000]),
    ]

    assert find_header_row(rows) == 3


def test_a_row_of_data_is_not_taken_for_the_header() -> None:
    rows: list[tuple[int, list[Cell]]] = [
        (1, ["Anna", "Berg", "anna@example.com", 65000]),
        (2, ["Ben", "Kurz", "ben@example.com", 70000]),
    ]

    assert find_header_row(rows) == 1  # no header: the first row is the fallback


def test_a_file_without_values_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        find_header_row([(1, [None, "  "])])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("E-Mail-Adresse*", "e mail adresse"),
        ("  Straße ", "strasse"),
        ("Verfügbar ab:", "verfuegbar ab"),
        ("Gehaltswunsch (€)", "gehaltswunsch"),
        ("Prénom", "prenom"),
    ],
)
def test_headers_are_compared_without_case_umlauts_or_punctuation(
    header: str, expected: str
) -> None:
    assert normalize_header(header) == expected


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Vorname", F.FIRST_NAME),
        ("First name", F.FIRST_NAME),
        ("Given Name", F.FIRST_NAME),
        ("Nachname", F.LAST_NAME),
        ("Surname", F.LAST_NAME),
        ("Name", F.FULL_NAME),
        ("Vor- und Nachname", F.FULL_NAME),
        ("E-Mail", F.EMAIL),
        ("EMAIL", F.EMAIL),
        ("Mail", F.EMAIL),
        ("E-Mail (privat)", F.EMAIL),
        ("Telefon", F.PHONE),
        ("Handy", F.PHONE),
        ("Mobile phone", F.PHONE),
        ("PLZ", F.POSTCODE),
        ("Postleitzahl", F.POSTCODE),
        ("ZIP code", F.POSTCODE),
        ("Ort", F.CITY),
        ("Wohnort", F.CITY),
        ("City", F.CITY),
        ("Land", F.COUNTRY),
        ("Country", F.COUNTRY),
        ("Aktuelle Position", F.JOB_TITLE),
        ("Jobtitel", F.JOB_TITLE),
        ("Job title", F.JOB_TITLE),
        ("Kenntnisse", F.SKILLS),
        ("Qualifikationen", F.SKILLS),
        ("Skills", F.SKILLS),
        ("LinkedIn-Profil", F.LINKEDIN_URL),
        ("XING", F.PROFILE_URLS),
        ("Gehaltswunsch", F.SALARY),
        ("Gehaltsvorstellung (brutto p.a.)", F.SALARY),
        ("Salary expectation", F.SALARY),
        ("Währung", F.SALARY_CURRENCY),
        ("Currency", F.SALARY_CURRENCY),
        ("Gehaltszeitraum", F.SALARY_PERIOD),
        ("Salary period", F.SALARY_PERIOD),
        ("Weitere Profile", F.PROFILE_URLS),
        ("Notice period", F.NOTE),  # a period, but not the salary's
        ("Verfügbar ab", F.AVAILABLE_FROM),
        ("Eintrittsdatum", F.AVAILABLE_FROM),
        ("Frühester Eintrittstermin", F.AVAILABLE_FROM),
        ("Starttermin", F.AVAILABLE_FROM),
        ("Earliest start date", F.AVAILABLE_FROM),
        ("Available from", F.AVAILABLE_FROM),
        ("Quelle", F.SOURCE_LABEL),
        ("Source", F.SOURCE_LABEL),
        ("Bemerkung", F.NOTE),
        ("Kommentar", F.NOTE),
        ("Notes", F.NOTE),
        ("Remarks", F.NOTE),
        ("Anrede", F.IGNORE),
        # Postcode and city in one column, as German lists have them, split.
        ("PLZ / Ort", F.POSTCODE_CITY),
        ("PLZ und Wohnort", F.POSTCODE_CITY),
        ("Ort (PLZ)", F.POSTCODE_CITY),
        ("Zip code / City", F.POSTCODE_CITY),
        ("Anschrift (Straße, PLZ, Ort)", F.IGNORE),  # the whole address is no city
        ("Address (street, zip, city)", F.IGNORE),
        ("Ort / Land", F.IGNORE),  # two other fields in one column: the recruiter decides
        ("Name der Firma", F.IGNORE),
        ("", F.IGNORE),
    ],
)
def test_a_column_is_mapped_from_its_german_or_english_header(
    header: str, field: TargetField
) -> None:
    assert suggest_mapping([header], []) == [Target(field)]


def test_a_custom_field_is_found_by_its_label_or_key() -> None:
    fields = [
        FakeCustomField("notice_period", "Notice period", "Kündigungsfrist"),
        FakeCustomField("driving_licence", "Driving licence", "Führerschein"),
    ]

    targets = suggest_mapping(["Kündigungsfrist", "driving_licence", "Notice Period"], fields)

    assert targets == [
        Target(F.CUSTOM, "notice_period"),
        Target(F.CUSTOM, "driving_licence"),
        NOTE,  # the same custom field a second time
    ]


def test_a_custom_field_wins_over_a_built_in_synonym() -> None:
    fields = [FakeCustomField("source_event", "Source", "Quelle")]

    assert suggest_mapping(["Quelle"], fields) == [Target(F.CUSTOM, "source_event")]


def test_a_second_column_for_a_single_field_goes_into_the_note() -> None:
    targets = suggest_mapping(["Telefon", "Mobil", "Bemerkung", "Notizen", "Foto"], [])

    assert targets == [Target(F.PHONE), NOTE, NOTE, NOTE, IGNORE]


def test_what_an_ats_export_says_of_the_application_goes_into_the_note_after_its_header() -> None:
    headers = ["Vorname", "E-Mail", "Stelle", "Eingangsdatum", "Absagegrund", "Applied for"]
    targets = suggest_mapping(headers, [])

    reader = RowReader(
        headers, targets, default_country="DE", source_label="ats.xlsx", custom_fields={}
    )
    note = reader.read(
        Row(2, ["Anna", "anna@example.com", "Backend-Entwicklerin", "03.02.2026", "Zu spät", "x"])
    )

    assert targets == [Target(F.FIRST_NAME), Target(F.EMAIL), NOTE, NOTE, NOTE, NOTE]
    assert isinstance(note, GoodRow)
    assert note.note == (
        "Stelle: Backend-Entwicklerin\nEingangsdatum: 03.02.2026\nAbsagegrund: Zu spät\n"
        "Applied for: x"
    )


def test_what_a_profile_says_without_a_field_of_its_own_goes_into_the_note() -> None:
    headers = ["Name", "E-Mail", "Aktueller Arbeitgeber", "Sprachen", "Kündigungsfrist"]
    headers.append("Geburtsdatum")
    targets = suggest_mapping(headers, [])

    reader = RowReader(
        headers, targets, default_country="DE", source_label="ats.xlsx", custom_fields={}
    )
    row = reader.read(
        Row(2, ["Anna Berg", "anna@example.com", "Muster GmbH", "Deutsch, Englisch", "3 Monate"])
    )

    # A date of birth is not kept: nothing a talent pool needs.
    assert targets == [Target(F.FULL_NAME), Target(F.EMAIL), NOTE, NOTE, NOTE, IGNORE]
    assert isinstance(row, GoodRow)
    assert row.note == (
        "Aktueller Arbeitgeber: Muster GmbH\nSprachen: Deutsch, Englisch\nKündigungsfrist: 3 Monate"
    )


def test_a_record_number_is_not_taken_for_the_name() -> None:
    # rexx's columns: "Bewerber" is a name's synonym, "Name, Vorname" the full name.
    targets = suggest_mapping(["Bewerber-Nr.", "Name, Vorname", "Candidate ID", "Staat"], [])

    assert targets == [IGNORE, Target(F.FULL_NAME), IGNORE, Target(F.COUNTRY)]


def test_name_next_to_a_first_name_column_is_the_last_name() -> None:
    targets = suggest_mapping(["Name", "Vorname", "E-Mail"], [])

    assert targets == [Target(F.LAST_NAME), Target(F.FIRST_NAME), Target(F.EMAIL)]


def test_a_full_name_next_to_first_and_last_name_is_ignored() -> None:
    targets = suggest_mapping(["Full name", "First name", "Last name"], [])

    assert targets == [IGNORE, Target(F.FIRST_NAME), Target(F.LAST_NAME)]


def test_name_next_to_first_and_last_name_columns_is_the_full_name_and_ignored() -> None:
    # Our own export's columns: the last name must not end up in the note.
    targets = suggest_mapping(["Name", "Vorname", "Nachname", "E-Mail"], [])

    assert targets == [IGNORE, Target(F.FIRST_NAME), Target(F.LAST_NAME), Target(F.EMAIL)]


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_column_of_our_export_goes_back_where_it_came_from(language: str) -> None:
    with translation.override(language):
        headers = [str(column.label) for column in BUILTIN_COLUMNS]
    fields = dict(zip([c.key for c in BUILTIN_COLUMNS], suggest_mapping(headers, []), strict=True))

    assert {key: target.field for key, target in fields.items() if target != IGNORE} == {
        "first_name": F.FIRST_NAME,
        "last_name": F.LAST_NAME,
        "email": F.EMAIL,
        "phone": F.PHONE,
        "postcode": F.POSTCODE,
        "city": F.CITY,
        "country": F.COUNTRY,
        "job_title": F.JOB_TITLE,
        "skills": F.SKILLS,
        "linkedin_url": F.LINKEDIN_URL,
        "profile_urls": F.PROFILE_URLS,
        "salary_amount": F.SALARY,
        "salary_currency": F.SALARY_CURRENCY,
        "salary_period": F.SALARY_PERIOD,
        "available_from": F.AVAILABLE_FROM,
        # The talent's source kind ("Manual") comes back as the source detail.
        "source": F.SOURCE_LABEL,
        "tags": F.TAGS,
    }


def test_a_messy_german_export_is_mapped_column_by_column() -> None:
    headers = [
        "Anrede",
        "Vorname",
        "Nachname",
        "E-Mail-Adresse",
        "Telefon (mobil)",
        "PLZ",
        "Wohnort",
        "Aktuelle Position",
        "Kenntnisse",
        "Gehaltswunsch",
        "Verfügbar ab",
        "Quelle",
        "Bemerkungen",
    ]

    assert [target.field for target in suggest_mapping(headers, [])] == [
        F.IGNORE,
        F.FIRST_NAME,
        F.LAST_NAME,
        F.EMAIL,
        F.PHONE,
        F.POSTCODE,
        F.CITY,
        F.JOB_TITLE,
        F.SKILLS,
        F.SALARY,
        F.AVAILABLE_FROM,
        F.SOURCE_LABEL,
        F.NOTE,
    ]


def test_a_postcode_and_city_column_takes_both_fields_from_a_later_column() -> None:
    targets = suggest_mapping(["PLZ/Ort", "Ort", "PLZ"], [])

    # What the later columns hold goes into the note, as for a second phone column.
    assert targets == [Target(F.POSTCODE_CITY), Target(F.NOTE), Target(F.NOTE)]
    assert suggest_mapping(["Ort", "PLZ/Ort"], []) == [Target(F.CITY), Target(F.NOTE)]
