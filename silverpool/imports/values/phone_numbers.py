"""Phone number cells: one number, several, or one with a remark."""

import re
from contextlib import suppress
from typing import NamedTuple

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from silverpool.talents import phones, validation

from ..reading.table import Cell
from .text import clean_text, remark_off


class Phone(NamedTuple):
    number: str  # E.164
    further: list[str]  # other numbers in the cell, as written: "+49 30 1234567 (Büro)"
    remark: str = ""  # what the cell says about the number: "privat", "nur abends"


# Between two numbers in a cell: "0151 12345678 / 030 1234567", "…, …", "… oder …". Not a
# slash without spaces, which is a separator within a number (030/1234567).
_PHONE_LIST = re.compile(r"\s*[,;|\n]\s*|\s+/\s+|\s+(?:oder|or|und|and)\s+", re.IGNORECASE)


def parse_phone(
    cell: Cell, default_region: str, read: str | phones.Refused | None = None
) -> Phone | None:
    """A phone number in E.164, or None for a blank cell; `default_region` (DE) is where a
    number without a country code is read. `read`: the text cell as phones.e164 read it
    for `default_region` already (the reading process, apart.py), if it did. A cell with
    several numbers gives the first, and the others as written; a remark in brackets after
    the number is the remark ("0151 12345678 (nur abends)"), and so is an extension ("030
    1234567 DW 12").

    A number typed into Excel loses its leading 0 (0151 12345678 arrives as 15112345678.0)
    or its + (+49 151 … as 4915112345678.0). Such a cell is read with a country code when
    its digits start with the default region's one and that makes a valid number, else as
    a national number.
    """
    text = clean_text(cell)
    if not text:
        return None
    if isinstance(cell, int | float) and text.isdigit():
        code = str(phonenumbers.country_code_for_region(default_region))
        with suppress(ValidationError):
            if text.startswith(code):
                return Phone(validation.normalize_phone("+" + text), [])
    if extended := _with_extension(text, default_region):
        return extended
    if read is None:
        read = phones.e164(text, default_region)
    if not isinstance(read, phones.Refused):
        return Phone(read, [])
    if isinstance(cell, str) and (listed := _listed_phones(text, default_region)):
        return listed
    reason = validation.phone_refusal(read, text, default_region)
    raise ValueError(_("“%(value)s”: %(reason)s") % {"value": text, "reason": reason})


def _with_extension(text: str, region: str) -> Phone | None:
    """The number and its extension, if the cell is a valid number with one after it (E.164
    has no place for it: it is the number's remark)."""
    number_text, extension = phones.split_extension(text)
    if not extension:
        return None
    number = phones.e164(number_text, region)
    if isinstance(number, phones.Refused):
        return None
    return Phone(number, [], extension)


def _listed_phones(text: str, region: str) -> Phone | None:
    """The cell's numbers, if it holds several or a remark and each is a valid number."""
    parts = _PHONE_LIST.split(text)
    numbers, remarks = [], []
    for part in parts:
        number_text, remark = remark_off(part)
        number = phones.e164(number_text, region)
        if isinstance(number, phones.Refused):
            return None
        numbers.append(number)
        remarks.append(remark)
    if len(parts) == 1 and not remarks[0]:
        return None
    return Phone(numbers[0], parts[1:], remarks[0])


def region_of(number: str, default_region: str) -> str:
    """The country an E.164 number is from: `default_region` for a number with its code
    (most of a file's, compared without parsing), else the one its code states ("+43 …" is
    AT; of a code several countries share, the main one)."""
    if number.startswith(f"+{phonenumbers.country_code_for_region(default_region)}"):
        return default_region
    return phonenumbers.region_code_for_number(phonenumbers.parse(number)) or default_region
