"""Phone numbers in E.164, without Django: the reading process of a large import, which
runs without it, reads the phone numbers of the file beside the check (see
silverpool/imports/apart.py); `validation.phone_refusal` words why a number is refused."""

import re
from enum import Enum

import phonenumbers


class Refused(Enum):
    """Why a text is not taken as a phone number."""

    NOT_A_NUMBER = "not a number"  # libphonenumber cannot read it as one
    INVALID = "invalid"  # read, but no such number exists in its country's plan
    # with an extension ("ext. 12"), which E.164 has no place for: dropping it would lose it
    EXTENSION = "extension"


# Where a number starts, and an extension at its end as libphonenumber reads one ("ext. 12",
# "x12").
_NUMBER_START = re.compile(r"[+\d]")
_EXTENSION = re.compile(r"(?:ext|extension|x)\.?\s*\d+\s*$", re.IGNORECASE)


def e164(value: str, region: str | None) -> str | Refused:
    """`value` in E.164 (+4930123456) if it is a valid phone number, read as a number of
    `region` when it has no +country code; why not otherwise, also for a number with an
    extension ("ext. 12"), which E.164 has no place for. A label before the number is read
    past ("Tel.: 030 1234567")."""
    if _letters_within(value):
        # libphonenumber would read them as the keys they are on ("1-800-FLOWERS"): a
        # remark such as "030 1234567 (abends)" became +49301234567223637.
        return Refused.NOT_A_NUMBER
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return Refused.NOT_A_NUMBER
    if not phonenumbers.is_valid_number(number):
        return Refused.INVALID
    if number.extension:
        return Refused.EXTENSION
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _letters_within(value: str) -> bool:
    """Whether letters follow the number's first digit or + (its extension aside)."""
    start = _NUMBER_START.search(value)
    if start is None:
        return False
    number = _EXTENSION.sub("", value[start.start() :])
    return any(character.isalpha() for character in number)
