"""Finding the header row of a sheet and suggesting where each column goes."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reading.errors import EMPTY, UnreadableFile
from .reading.table import Cell
from .values import clean_text

# Title rows, notes and blank rows above a header are a handful; the header is not further.
HEADER_SEARCH_ROWS = 20


class TargetField(models.TextChoices):
    """Where a column's values go."""

    FIRST_NAME = "first_name", _("first name")
    LAST_NAME = "last_name", _("last name")
    # "Max Mustermann" or "Mustermann, Max" in one column, split into first and last name.
    FULL_NAME = "full_name", _("full name")
    EMAIL = "email", _("email")
    PHONE = "phone", _("phone")
    POSTCODE = "postcode", _("postcode")
    CITY = "city", _("city")
    # "10115 Berlin" in one column ("PLZ/Ort"), split into postcode and city.
    POSTCODE_CITY = "postcode_city", _("postcode and city")
    COUNTRY = "country", _("country")
    JOB_TITLE = "job_title", _("current job title")
    SKILLS = "skills", _("skills")
    LINKEDIN_URL = "linkedin_url", _("LinkedIn")
    PROFILE_URLS = "profile_urls", _("other profiles")
    # Amount, currency and period, as values.parse_salary reads them from one cell.
    SALARY = "salary", _("salary")
    # A currency or period column of its own (as the export writes them) wins over what
    # the salary cell says or leaves to the default.
    SALARY_CURRENCY = "salary_currency", _("currency")
    SALARY_PERIOD = "salary_period", _("salary period")
    AVAILABLE_FROM = "available_from", _("available from")
    SOURCE_LABEL = "source_label", _("source detail")
    # Tags of the talent, made if this team has none of that name yet.
    TAGS = "tags", _("tags")
    CUSTOM = "custom", _("custom field")
    NOTE = "note", _("note")
    IGNORE = "ignore", _("ignore")


# Targets that several columns may share: their values are collected, not overwritten.
REPEATABLE = frozenset({TargetField.NOTE, TargetField.IGNORE, TargetField.PROFILE_URLS})
# Targets whose column gives two fields of a talent: a problem with one of them is that
# column's, unless the field has a column of its own (rows.column_headers).
COMBINED = {
    TargetField.FULL_NAME: (TargetField.FIRST_NAME, TargetField.LAST_NAME),
    TargetField.POSTCODE_CITY: (TargetField.POSTCODE, TargetField.CITY),
}


@dataclass(frozen=True)
class Target:
    """A column's target: a field, or with TargetField.CUSTOM the key of a custom field."""

    field: TargetField
    custom_key: str = ""


IGNORE = Target(TargetField.IGNORE)
NOTE = Target(TargetField.NOTE)


def filled(target: Target) -> set[Target]:
    """The targets that only one column may have which a column with `target` fills: none
    for a repeatable one; postcode and city for "PLZ/Ort", which splits into both. (A
    full name is not its parts: first and last name columns of their own win over it.)"""
    if target.field in REPEATABLE:
        return set()
    if target.field == TargetField.POSTCODE_CITY:
        return {Target(part) for part in COMBINED[target.field]}
    return {target}


class CustomFieldLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label_en(self) -> str: ...
    @property
    def label_de(self) -> str: ...


_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def normalize_header(text: str) -> str:
    """A header as compared: lower case, umlauts spelt out, ß as ss, accents and punctuation
    gone, single spaces: "E-Mail-Adresse*" is "e mail adresse", "Straße" is "strasse"."""
    text = text.casefold().translate(_SPELT_OUT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


_SYNONYMS = {
    TargetField.FIRST_NAME: (
        "vorname, vornamen, rufname, first name, firstname, given name, forename"
    ),
    TargetField.LAST_NAME: (
        "nachname, familienname, zuname, last name, lastname, surname, family name"
    ),
    TargetField.FULL_NAME: (
        "name, vollstaendiger name, vor und nachname, vorname nachname, name vorname, "
        "nachname vorname, kandidat, kandidatin, bewerber, bewerberin, kandidatenname, "
        "bewerbername, full name, fullname, candidate, candidate name, applicant"
    ),
    TargetField.EMAIL: (
        "e mail, email, mail, e mail adresse, email adresse, emailadresse, mailadresse, "
        "e mail address, email address"
    ),
    TargetField.PHONE: (
        "telefon, tel, telefonnummer, rufnummer, mobil, mobilnummer, mobiltelefon, handy, "
        "handynummer, phone, phone number, telephone, mobile, mobile phone, cell, cell phone"
    ),
    TargetField.POSTCODE: (
        "plz, postleitzahl, zip, zip code, zipcode, postcode, post code, postal code"
    ),
    TargetField.CITY: ("ort, stadt, wohnort, city, town, location"),
    TargetField.COUNTRY: ("land, country, wohnland, staat"),
    TargetField.JOB_TITLE: (
        "position, aktuelle position, jobtitel, job titel, berufsbezeichnung, beruf, "
        "funktion, job title, jobtitle, title, current position, role, current role"
    ),
    TargetField.SKILLS: (
        "kenntnisse, fachkenntnisse, skills, qualifikationen, qualifikation, faehigkeiten, "
        "kompetenzen, technologien, tech stack, technologies"
    ),
    TargetField.LINKEDIN_URL: ("linkedin, linkedin url, linkedin profil, linkedin profile"),
    TargetField.PROFILE_URLS: (
        "xing, xing profil, github, website, homepage, portfolio, other profiles, weitere profile"
    ),
    TargetField.SALARY: (
        "gehalt, gehaltswunsch, gehaltsvorstellung, gehaltsvorstellungen, wunschgehalt, "
        "zielgehalt, jahresgehalt, salary, salary expectation, salary expectations, expected "
        "salary, desired salary, compensation"
    ),
    TargetField.SALARY_CURRENCY: ("waehrung, gehaltswaehrung, currency, salary currency"),
    TargetField.SALARY_PERIOD: ("gehaltszeitraum, salary period, pay period"),
    TargetField.AVAILABLE_FROM: (
        "verfuegbar ab, verfuegbar, verfuegbarkeit, eintrittsdatum, eintritt, fruehester "
        "eintritt, fruehestes eintrittsdatum, eintrittstermin, eintrittszeitpunkt, "
        "startdatum, starttermin, available from, available, availability, start date, "
        "earliest start"
    ),
    TargetField.SOURCE_LABEL: ("quelle, herkunft, kanal, source, sources, channel, lead source"),
    TargetField.TAGS: ("tags, tag, schlagworte, schlagwoerter, stichworte, labels"),
    TargetField.NOTE: (
        "bemerkung, bemerkungen, notiz, notizen, kommentar, kommentare, anmerkung, "
        "anmerkungen, hinweis, hinweise, note, notes, remark, remarks, comment, comments"
    ),
}
# What an ATS export says about the application a runner-up made: no field of a talent,
# but what a recruiter wants to know later ("Stelle: Backend-Entwicklerin"), so it goes
# into the note after its header. Whole headers only: "Stelle" inside a longer one may
# be anything ("Stellenwunsch", "Stelle aktuell").
_APPLICATION = frozenset(
    [
        "stelle",
        "beworbene stelle",
        "beworben als",
        "beworben auf",
        "beworben fuer",
        "ausschreibung",
        "stellenausschreibung",
        "vakanz",
        "bewerbungsdatum",
        "eingangsdatum",
        "bewerbung vom",
        "beworben am",
        "absagegrund",
        "ablehnungsgrund",
        "applied for",
        "job applied for",
        "position applied for",
        "vacancy",
        "requisition",
        "application date",
        "date applied",
        "applied on",
        "rejection reason",
        "stellentitel",
        "job",
    ]
)
# What a profile says that has no field of its own: where the talent works, their
# languages, education, experience and notice period. Into the note after its header
# ("Kündigungsfrist: 3 Monate"), unless a custom field is named so.
_PROFILE = frozenset(
    [
        *("arbeitgeber", "aktueller arbeitgeber", "firma", "aktuelle firma", "unternehmen"),
        *("aktuelles unternehmen", "company", "current company", "employer"),
        *("current employer", "headline"),
        *("sprachen", "sprachkenntnisse", "languages", "language skills"),
        *("ausbildung", "studium", "abschluss", "hoechster abschluss", "education", "degree"),
        *("berufserfahrung", "berufserfahrung jahre", "jahre berufserfahrung", "erfahrung"),
        *("experience", "years of experience", "work experience"),
        *("kuendigungsfrist", "notice period", "notice"),
    ]
)
# With these a header names a record's number, not the name or address of a person:
# "Bewerber-Nr.", "Kandidaten-ID", "Candidate ID".
_IDENTIFIER = ("nr", "no", "id", "nummer", "number", "key")
_PERSON = {TargetField.FULL_NAME, TargetField.FIRST_NAME, TargetField.LAST_NAME}
# Words of a header over a whole address ("Anschrift (Straße, PLZ, Ort)").
_STREET = ("strasse", "str", "street", "anschrift", "adresse", "address", "hausnummer")
_EXACT = {word: field for field, words in _SYNONYMS.items() for word in words.split(", ")}
# "Name" inside a longer header ("Name der Firma") says too little to go by.
_CONTAINED = {word: field for word, field in _EXACT.items() if word != "name"}


def _builtin_target(header: str) -> Target:
    if header in _EXACT:
        return Target(_EXACT[header])
    if header in _APPLICATION or header in _PROFILE:
        return NOTE
    # A longer header such as "E-Mail (privat)" or "Aktuelle Position im Unternehmen" goes
    # where the synonyms it contains agree; "PLZ / Ort" names the two fields its column
    # holds together. Any other two are left to you.
    padded = f" {header} "
    fields = {field for word, field in _CONTAINED.items() if f" {word} " in padded}
    if fields == {TargetField.POSTCODE, TargetField.CITY}:
        # Unless the column holds the street too: the whole address is no city.
        street = any(f" {word} " in padded for word in _STREET)
        return IGNORE if street else Target(TargetField.POSTCODE_CITY)
    if fields & _PERSON and any(f" {word} " in padded for word in _IDENTIFIER):
        return IGNORE
    return Target(fields.pop()) if len(fields) == 1 else IGNORE


def names_a_note(header: str) -> bool:
    """Whether a column's header says that it holds notes ("Bemerkung", "Kommentar
    Telefonat", "Notes"); another column's text goes into a note after its header."""
    normalized = normalize_header(header)
    return (
        normalized not in _APPLICATION
        and normalized not in _PROFILE
        and _builtin_target(normalized) == NOTE
    )


def suggest_mapping(headers: list[str], custom_fields: Sequence[CustomFieldLike]) -> list[Target]:
    """A target for each column, from German and English headers and the custom fields'
    keys and labels (which win: an admin named them after this team's data).

    A single-valued target takes the first column that names it; a later one (Mobil after
    Telefon) goes into the note, so nothing is lost. "Name" next to a first-name column is
    the last name, unless a last-name column is there too (as in our export): then it is
    the full name. A full-name column next to first or last name is ignored as redundant.
    """
    custom = {
        normalize_header(name): field.key
        for field in custom_fields
        for name in (field.key, field.label_en, field.label_de)
    }
    normalized = [normalize_header(header) for header in headers]
    builtin = {_builtin_target(header).field for header in normalized}
    name_is_last_name = TargetField.FIRST_NAME in builtin and TargetField.LAST_NAME not in builtin
    targets: list[Target] = []
    taken: set[Target] = set()
    for header in normalized:
        if not header:
            target = IGNORE
        elif header in custom:
            target = Target(TargetField.CUSTOM, custom[header])
        elif header == "name" and name_is_last_name:
            target = Target(TargetField.LAST_NAME)
        else:
            target = _builtin_target(header)
        if filled(target) & taken:
            target = NOTE
        taken |= filled(target)
        targets.append(target)
    if any(target.field in (TargetField.FIRST_NAME, TargetField.LAST_NAME) for target in targets):
        targets = [
            IGNORE if target.field == TargetField.FULL_NAME else target for target in targets
        ]
    return targets


def _is_label(cell: Cell) -> bool:
    """A cell that reads like a column label: short text, not a number, email or address."""
    text = clean_text(cell)
    return (
        isinstance(cell, str)
        and 0 < len(text) <= 60
        and re.search(r"[^\W\d_]", text) is not None
        and "@" not in text
        and "://" not in text
    )


def find_header_row(rows: Sequence[tuple[int, Sequence[Cell]]]) -> int:
    """The number of the header row: the first row, within the first 20, whose cells are
    mostly short labels, that fills at least half the width of the rows below it, and that
    data rows follow. Title rows such as "Bewerberliste Q1 2026" are skipped that way.

    Without such a row the first row with a value is the header (a file of one row).
    """
    window = list(rows[: HEADER_SEARCH_ROWS + 5])
    filled = [[cell for cell in cells if clean_text(cell)] for _number, cells in window]
    for index, cells in enumerate(filled[:HEADER_SEARCH_ROWS]):
        below = [len(row) for row in filled[index + 1 :] if row]
        if (
            len(cells) >= 2
            and sum(map(_is_label, cells)) >= 0.8 * len(cells)
            and below
            and len(cells) >= max(below) / 2
            and len({clean_text(cell).casefold() for cell in cells}) == len(cells)
        ):
            return window[index][0]
    for (number, _cells), cells in zip(window, filled, strict=True):
        if cells:
            return number
    raise UnreadableFile(EMPTY)
