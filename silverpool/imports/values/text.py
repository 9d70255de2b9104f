"""Cleaning a cell's text, and the cells that say "no value" or say something in words."""

import datetime
import re

from django.utils.formats import date_format

from silverpool.privacy.services.audit import FORMULA_STARTS

from ..reading.table import Cell

# Spreadsheet cells bring invisible characters along from web pages and CRMs. Non-breaking
# spaces become spaces so "Max\u00a0Muster" keeps its space; zero-width ones and the BOM go.
_SPACE_CHARACTERS = "\u00a0\u2007\u202f"
_INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = str.maketrans(dict.fromkeys(_SPACE_CHARACTERS, " "))
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
_ODD = re.compile(f"[{_SPACE_CHARACTERS}{_INVISIBLE_CHARACTERS}]")


def clean_text(cell: Cell) -> str:
    """The cell as trimmed text; a whole number as 12345, not 12345.0."""
    # Most cells are text: the checks for the other kinds come after (the check reads every
    # cell of the file through here).
    if type(cell) is str:
        text = cell
    elif cell is None:
        return ""
    elif isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    elif isinstance(cell, datetime.datetime) and cell.time() == datetime.time():
        return cell.date().isoformat()
    elif isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    else:
        text = str(cell)
    # Most cells are ASCII, and most others (umlauts) have none of these: one search
    # instead of translating every character of every such cell.
    if not text.isascii() and _ODD.search(text):
        text = _INVISIBLE.sub("", text.translate(_SPACES))
    text = text.strip()
    if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_STARTS):
        # Our export (and other careful ones) put a ' before text a spreadsheet would run as
        # a formula, such as +49 151 ...; it is not part of the value.
        text = text[1:].strip()
    return text


# What spreadsheets hold where there is no value: dashes, question marks, "n/a", "k. A."
# (keine Angabe), Excel's #N/A (German #NV) saved as text. Such a cell is an empty one.
_NO_VALUE = frozenset(
    {
        *("-", "--", "---", "–", "—", "/", "./.", "-/-", "?", "??", "???", ".", "...", "…"),
        *("n/a", "n.a.", "n. a.", "n.v.", "n. v.", "k.a.", "k. a.", "k.a", "#n/a", "#nv"),
        *("keine angabe", "keine angaben", "ohne angabe", "nicht angegeben", "unbekannt"),
        # Not "null": some people are called Null.
        *("nicht bekannt", "entfällt", "unknown", "not specified", "none", "tbd"),
    }
)
_NO_VALUE_LENGTH = max(map(len, _NO_VALUE))


def is_no_value(cell: Cell) -> bool:
    """Whether the cell holds one of the spreadsheet's ways of saying "no value"."""
    return (
        type(cell) is str
        and len(cell) <= _NO_VALUE_LENGTH + 2
        and cell.strip().casefold() in _NO_VALUE
    )


def is_remark(cell: Cell) -> bool:
    """Whether the cell is words without a figure ("nach Vereinbarung", "nach Absprache"):
    what a recruiter wrote instead of a salary or a date."""
    return type(cell) is str and not any(character.isdigit() for character in cell)


def note_text(cell: Cell) -> str:
    """The cell as a note shows it: a date (an application's, say) as the uploader reads
    dates, "3. Mai 2019" or "3 May 2019", instead of 2019-05-03; anything else as
    clean_text has it."""
    if isinstance(cell, datetime.datetime) and cell.time() == datetime.time():
        cell = cell.date()
    if type(cell) is datetime.date:
        return date_format(cell)
    return clean_text(cell)


# A remark in brackets after a value: "0151 12345678 (privat)", "Deutschland (Remote)"; not
# "+49 (0)151 …", whose brackets hold no letters.
_REMARK = re.compile(r"(?P<value>.*?)\s*\((?P<remark>[^()]*[^\W\d_][^()]*)\)")


def remark_off(text: str) -> tuple[str, str]:
    """`text` without the remark in brackets at its end, and the remark ("" if none)."""
    if not text.endswith(")") or not (match := _REMARK.fullmatch(text)):
        return text, ""
    return match["value"], match["remark"].strip()


def quoted(message: str, cell: Cell) -> ValueError:
    """The error for a cell that is not a value of its kind: `message` naming its text."""
    return ValueError(message % {"value": clean_text(cell)})
