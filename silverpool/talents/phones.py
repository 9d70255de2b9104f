"""Phone numbers in E.164, without Django: the reading process of a large import, which
runs without it, reads the phone numbers of the file beside the check (see
silverpool/imports/apart.py); `validation.phone_refusal` words why a number is refused."""

import re
from enum import Enum

import phonenumbers


class Refused(Enum):
    """Why a text is not taken as a phone number."""

    NOT_A_NUMBER = "not a number"  # libphonenumber cannot read it as one
    # "+999 …", "00999 …": no country has the code it starts with
    UNKNOWN_COUNTRY_CODE = "unknown country code"
    INVALID = "invalid"  # read, but no such number exists in its country's plan
    # with an extension ("ext. 12"), which E.164 has no place for: dropping it would lose it
    EXTENSION = "extension"


# Where a number starts.
_NUMBER_START = re.compile(r"[+\d]")
# An extension after a number, as Germans and English speakers write it: "DW 12",
# "Durchwahl 12", "App. 12", "ext. 12", "x12".
_EXTENSION = re.compile(
    r"(?P<number>.*?\d)[\s,;-]*"
    r"(?P<extension>(?:dw|durchwahl|app|apparat|nebenstelle|ext|extension|x)(?![^\W\d_])\.?:?\s*\d+)"
    r"\s*",
    re.IGNORECASE,
)


def split_extension(value: str) -> tuple[str, str]:
    """`value` without the extension at its end, and the extension as written ("" if it
    has none)."""
    # An extension has letters, most numbers none: a tenth of the pattern's time.
    if value.lower() == value.upper() or not (match := _EXTENSION.fullmatch(value)):
        return value, ""
    return match["number"], match["extension"]


def e164(value: str, region: str | None) -> str | Refused:
    """`value` in E.164 (+4930123456) if it is a valid phone number, read as a number of
    `region` when it has no +country code; why not otherwise, also for a number with an
    extension ("ext. 12", "DW 12"), which E.164 has no place for. A label before the
    number is read past ("Tel.: 030 1234567")."""
    value, extension = split_extension(value)
    if _letters_within(value):
        # libphonenumber would read them as the keys they are on ("1-800-FLOWERS"): a
        # remark such as "030 1234567 (abends)" became +49301234567223637.
        return Refused.NOT_A_NUMBER
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        # With a region, only a country code the number states itself can be unknown.
        if region and error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return Refused.UNKNOWN_COUNTRY_CODE
        return Refused.NOT_A_NUMBER
    if not phonenumbers.is_valid_number(number):
        return Refused.INVALID
    if extension or number.extension:  # number.extension: libphonenumber's other forms
        return Refused.EXTENSION
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _letters_within(value: str) -> bool:
    """Whether letters follow the number's first digit or +."""
    start = _NUMBER_START.search(value)
    return start is not None and any(character.isalpha() for character in value[start.start() :])


def stated_country_code(value: str, region: str | None) -> int | None:
    """The country code `value` states itself ("+44 …", "0044 …"), or None if it states
    none (read as a number of `region`) or cannot be read."""
    try:
        number = phonenumbers.parse(split_extension(value)[0], region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY:
        return None
    return number.country_code
