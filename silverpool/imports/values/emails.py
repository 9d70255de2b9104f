"""Email address cells: a plain address, a mailto: link, a named address, several."""

import re

from ..reading.table import Cell
from .text import clean_text

_ADDRESS = r"[^\s<>,;()\"'@]+@[^\s<>,;()\"'@/]+"
# One address as CRMs, mail programs and mailto links write it: anna@example.de,
# mailto:anna@example.de, Anna Schmidt <anna@example.de>, and as Outlook copies its
# recipients, Schmidt, Anna <anna@example.de> (or with the name in quotes).
_EMAIL_ITEM = re.compile(
    rf"(?:(?:\"[^\"]*\"\s*|[^<>;@\"]*)<\s*(?:mailto:)?(?P<named>{_ADDRESS})\s*>"
    rf"|(?:mailto:)?(?P<plain>{_ADDRESS}))",
    re.IGNORECASE,
)
_EMAIL_SEPARATOR = re.compile(r"\s*[,;/]\s*|\s+")
# What a cell of one plain address (most cells) has none of: it needs no parsing.
_NOT_PLAIN = re.compile(r"[\s<>,;/:]")


def parse_emails(cell: Cell) -> tuple[str, list[str]]:
    """The cell's email address, and the other addresses if it holds several ("anna@a.de;
    anna@b.de", as some exports write them). A mailto: link, or a name with the address
    in <…>, gives the address alone. A cell that is not a list of addresses comes back as
    its text, for the email check to refuse it as it is ("max at gmail.com")."""
    text = clean_text(cell)
    if not _NOT_PLAIN.search(text):
        return text, []
    # Outlook ends a list it copies with a semicolon.
    text = text.rstrip(",; ")
    addresses: list[str] = []
    position = 0
    while position < len(text):
        if addresses:
            separator = _EMAIL_SEPARATOR.match(text, position)
            if separator is None:
                return text, []
            position = separator.end()
        item = _EMAIL_ITEM.match(text, position)
        if item is None:
            return text, []
        addresses.append(item["named"] or item["plain"])
        position = item.end()
    if not addresses:
        return text, []
    first, *others = addresses
    further: dict[str, str] = {}
    for address in others:  # each once, upper and lower case ignored
        further.setdefault(address.lower(), address)
    further.pop(first.lower(), None)
    return first, list(further.values())
