"""Tag cells: the names of a talent's tags."""

from django.core.exceptions import ValidationError

from silverpool.talents.services import tag_names

from ..reading.table import Cell
from .text import clean_text


def parse_tags(cell: Cell) -> tuple[str, ...]:
    """The tag names of a cell ("Silver medalist, Java; Remote"), as services.tag_names
    reads a text of them; ValueError names one too long."""
    try:
        return tuple(tag_names(clean_text(cell)))
    except ValidationError as error:
        raise ValueError(error.messages[0]) from error
