"""Postcodes and countries."""

import re
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import Countries, countries
from django_countries.data import COUNTRIES

from ..countries import country_code, country_keys
from ..reading.table import Cell
from .text import clean_text, quoted

# Countries whose postcodes are five digits, some of them starting with 0 (01069 Dresden,
# 00184 Roma, 02139 Cambridge MA): a spreadsheet drops the 0 of one typed as a number, and
# a CSV file saved from it keeps it dropped.
_FIVE_DIGIT_POSTCODES = {"DE", "FR", "IT", "ES", "FI", "US"}


def postcode_of(text: str, country: str) -> str:
    """The postcode `text` (a postcode cell as clean_text reads it) in `country`, with the
    zeros in front that a spreadsheet dropped: 1069 in Germany is 01069."""
    if country in _FIVE_DIGIT_POSTCODES and len(text) in (3, 4) and text.isdigit():
        return text.zfill(5)
    return text


# "10115 Berlin", "D-10115 Berlin", "CH-8001 Zürich", "1012 AB Amsterdam"; "Berlin, 10115".
_POSTCODE = r"(?:[A-Z]{1,2} ?- ?)?(?P<postcode>\d{4} ?[A-Z]{2}|\d{4,5})"
_POSTCODE_FIRST = re.compile(_POSTCODE + r",? +(?P<city>\D.*)")
_POSTCODE_LAST = re.compile(r"(?P<city>.*\D),? +" + _POSTCODE)


def split_postcode_city(text: str) -> tuple[str, str]:
    """The postcode and the city of a cell that holds both, as German lists do ("PLZ/Ort":
    "10115 Berlin"); a cell with only one of them gives that one. A postcode that is not
    four or five digits (Dutch ones with their letters aside) stays in the city, so that
    nothing of it is lost: "SW1A 1AA London"."""
    if match := _POSTCODE_FIRST.fullmatch(text) or _POSTCODE_LAST.fullmatch(text):
        return match["postcode"], match["city"].strip(" ,")
    return (text, "") if text.isdigit() else ("", text)


# Spellings that are not a country's name in either language.
_COUNTRY_ALIASES = {
    "d": "DE",
    "brd": "DE",
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "grossbritannien": "GB",
    "holland": "NL",
    "usa": "US",
    "us": "US",
    "united states": "US",
    "vereinigte staaten": "US",
    "tschechische republik": "CZ",
    "uae": "AE",
    "vae": "AE",
    "suisse": "CH",
    "svizzera": "CH",
}


@cache
def country_names() -> dict[str, str]:
    """Country codes by the names parse_country knows, as countries.country_keys has them:
    the names Silverpool shows, the official ones (“United States of America”) and former
    ones (“Turkey”, “Czech Republic”), in English and German, and their two- and
    three-letter codes."""
    names = {}
    official = list(COUNTRIES.items())
    former = [(code, name) for code, old in Countries.OLD_NAMES.items() for name in old]
    for language in ("en", "de"):
        with translation.override(language):
            for code, name in [*official, *former, *countries]:
                names.update(dict.fromkeys(country_keys(str(name)), code))
    for alias, code in _COUNTRY_ALIASES.items():
        names.update(dict.fromkeys(country_keys(alias), code))
    names.update({code.casefold(): code for code in countries.countries})
    # ISO's three-letter codes too (DEU, AUT, CHE), as HR systems export them.
    names.update(
        {
            alpha3.casefold(): code
            for code in countries.countries
            if (alpha3 := countries.alpha3(code))
        }
    )
    return names


def parse_country(cell: Cell) -> str:
    """A country code from "DE", "DEU", "Deutschland", "Germany", "Österreich", "The
    Netherlands", "Vereinigte Staaten" or "UK"."""
    text = clean_text(cell)
    if not text:
        return ""
    code = country_code(text, country_names())
    if code is None:
        raise quoted(_("“%(value)s” is not a country we know."), cell)
    return code


# What a country column says instead of a country: where the person would work. Such a
# cell goes into the note and leaves the country empty (phone numbers are read in the
# default country, as for an empty cell); a word not here ("Atlantis", "Deutchland") is a
# mistake the recruiter is shown.
_REGIONS = frozenset(
    {
        *("remote", "full remote", "fully remote", "100% remote", "remote only"),
        *("homeoffice", "home office", "home-office", "mobiles arbeiten"),
        *("ortsunabhängig", "anywhere", "überall", "egal", "flexibel", "flexible"),
        *("eu", "europa", "europe", "eu-weit", "europaweit", "europe-wide", "emea"),
        *("dach", "d-a-ch", "d/a/ch", "weltweit", "worldwide", "international", "global"),
        *("bundesweit", "deutschlandweit", "nationwide"),
    }
)
_REGION_LENGTH = max(map(len, _REGIONS))


def is_region(cell: Cell) -> bool:
    """Whether a country cell names a way or region of working instead of a country
    ("Remote", "EU", "DACH", "weltweit")."""
    return (
        type(cell) is str
        and len(cell) <= _REGION_LENGTH + 2
        and clean_text(cell).casefold() in _REGIONS
    )


# Between two countries in a cell: "Deutschland/Österreich", "DE, AT", "Deutschland oder
# Schweiz".
_COUNTRY_LIST = re.compile(r"\s*[/,;|\n]\s*|\s+(?:oder|or|und|and|&)\s+", re.IGNORECASE)


def parse_countries(cell: Cell) -> tuple[str, list[str]]:
    """The country code of a country cell, and the further countries it names as written:
    of "Deutschland/Österreich" or "DE, AT" the first is the talent's country, as of a
    cell with several phone numbers. A cell of one country is parse_country's."""
    try:
        return parse_country(cell), []
    except ValueError:
        parts = [part for part in _COUNTRY_LIST.split(clean_text(cell)) if part]
        codes = [country_code(part, country_names()) for part in parts]
        if not parts or None in codes:
            raise
        return str(codes[0]), parts[1:]


def region_off(text: str) -> tuple[str, str]:
    """Of a country cell that names a way or region of working beside its countries
    ("Deutschland / Remote", "DE, AT, remote"), the countries ("Deutschland", "DE, AT") and
    the way ("Remote"); (text, "") if it names none, or nothing else."""
    parts = [part for part in _COUNTRY_LIST.split(text) if part]
    regions = [part for part in parts if is_region(part)]
    if not regions or len(regions) == len(parts):
        return text, ""
    return ", ".join(part for part in parts if not is_region(part)), ", ".join(regions)
