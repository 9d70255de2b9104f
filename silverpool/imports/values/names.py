"""Full names in one cell, with forms of address, titles and degrees."""

import re
from typing import NamedTuple

from ..reading.table import Cell
from .text import clean_text


class FullName(NamedTuple):
    first: str
    last: str
    title: str  # academic titles and degrees as written: "Prof. Dr.", "M.Sc."


# A form of address before a name ("Frau", "Herrn", "Mr."): left out, as a column of its
# own ("Anrede") is by default.
_SALUTATION = re.compile(r"herrn?|frau|hr\.|fr\.|mrs?\.?|ms\.?|miss|mx\.?", re.IGNORECASE)
# Academic titles before a name as Germans, Austrians and English speakers write them:
# "Prof. Dr.", "Dr.-Ing.", "Dr. rer. nat.", "Dipl.-Kfm.", "Mag.", "Univ.-Prof.", "Dr".
_TITLE = re.compile(
    r"(?:univ\.-)?prof\.?|dr\.?(?:-ing\.)?|priv\.-doz\.|dipl\.-[^\W\d_]+\.?|mag\.|ing\."
    r"|(?:med|dent|vet|rer|nat|pol|oec|phil|jur|habil)\.",
    re.IGNORECASE,
)
# Degrees after a name: "Anna Schmidt, M.Sc.", "Max Weber MBA", "Berg, Anna, PhD".
_DEGREES = re.compile(
    r"(?:(?:,\s*|\s+)(?:[BM]\.\s?(?:Sc|A|Eng|Ed)\.|[BM]Sc|[BM]Eng|MBA|LL\.\s?[BM]\.|Ph\.\s?D\.?|PhD))+$"
)


# Words of a last name before its main one: "Ursula von der Leyen", "Maria de la Cruz".
_PARTICLES = frozenset(
    {"von", "vom", "zu", "zum", "zur", "van", "der", "den", "de", "del", "della", "di"}
    | {"da", "do", "dos", "das", "du", "la", "le", "ten", "ter", "af"}
)
# Words after a last name that are part of it: "John Smith Jr.".
_SUFFIXES = frozenset(["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"])


def split_full_name(cell: Cell) -> FullName:
    """First and last name from one cell: "Mustermann, Max" (an ATS export's way) or
    "Max Mustermann". Without a comma the last word is the last name, with the particles
    before it ("Anna von Berg") and a suffix after it ("John Smith Jr."); the words before
    are first names ("Hans Peter Müller", "Anna Maria Schmidt"). A form of address before
    the name is left out, academic titles and degrees are the title ("Frau Dr. Anna
    Schmidt", "Schmidt, Dr. Anna", "Anna Schmidt, M.Sc."); a single name after them is the
    last name ("Herr Schmidt")."""
    text, degrees = _degrees_off(" ".join(clean_text(cell).split()))
    if "," in text:
        last, _comma, first = text.partition(",")
        first, first_titles, _addressed = _titles_off(first)
        last, titles, _addressed = _titles_off(last)
        titles += first_titles
    else:
        name, titles, addressed = _titles_off(text)
        first, last = _first_and_last(name.split())
        if addressed and not last:
            first, last = "", first
    return FullName(first, last, " ".join(filter(None, [*titles, degrees])))


def _first_and_last(words: list[str]) -> tuple[str, str]:
    """The first names and the last name of a name's words in that order (one word: the
    first name)."""
    start = len(words) - 1
    if start > 1 and words[start].casefold() in _SUFFIXES:
        start -= 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    if start < 1:
        return " ".join(words), ""
    return " ".join(words[:start]), " ".join(words[start:])


def name_part(cell: Cell) -> tuple[str, str]:
    """A first or last name cell without what split_full_name takes off a full name: a
    form of address and titles before the name, degrees after it ("Frau Dr. Anna",
    "Schmidt, M.Sc."). The name, and the titles as FullName has them."""
    text = clean_text(cell)
    if not any(mark in text for mark in " .,"):  # most names: one word, nothing to take off
        return text, ""
    text, degrees = _degrees_off(" ".join(text.split()))
    name, titles, _addressed = _titles_off(text)
    return name, " ".join(filter(None, [*titles, degrees]))


def _degrees_off(text: str) -> tuple[str, str]:
    """`text` without the degrees at its end, and those ("M.Sc."); a name that is one
    (no text before it) is kept."""
    if (found := _DEGREES.search(text)) and found.start() > 0:
        return text[: found.start()], found.group().strip(" ,")
    return text, ""


def _titles_off(name: str) -> tuple[str, list[str], bool]:
    """`name` without the forms of address and titles it starts with; those titles; and
    whether it started with either."""
    words = name.split()
    start = 0
    while start < len(words) and (
        _SALUTATION.fullmatch(words[start]) or _TITLE.fullmatch(words[start])
    ):
        start += 1
    titles = [word for word in words[:start] if _TITLE.fullmatch(word)]
    return " ".join(words[start:]), titles, start > 0
