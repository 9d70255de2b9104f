"""Tag cells: the names of a talent's tags."""

import re

from django.utils.translation import gettext as _

from silverpool.talents.forms.talent import TAG_NAME_LENGTH

from ..reading.table import Cell
from .text import clean_text

# Between two tags: what the export joins them with (", ") and what lists are written with.
# Not a slash, which names have ("Remote/Hybrid").
_TAG_LIST = re.compile(r"\s*[,;|\n]\s*")


def parse_tags(cell: Cell) -> tuple[str, ...]:
    """The tag names of a cell ("Silver medalist, Java; Remote"), in order, each once
    whatever its case (the first spelling, as a tag's name is unique in any case)."""
    names: dict[str, str] = {}
    for name in _TAG_LIST.split(clean_text(cell)):
        if name:
            names.setdefault(name.lower(), name)
    for name in names.values():
        if len(name) > TAG_NAME_LENGTH:
            raise ValueError(
                _("“%(name)s” is too long for a tag (at most %(n)s characters).")
                % {"name": name, "n": TAG_NAME_LENGTH}
            )
    return tuple(names.values())
