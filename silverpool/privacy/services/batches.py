"""Jobs over many talents (the scheduled consent mail, a large "Ask for consent" from the
talent list) take the ids first and load the talents a chunk at a time: a job over
100,000 talents then holds a few hundred rows in memory, not all of them."""

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet

from ...talents.models import Talent

CHUNK = 500


def talents_by_id(
    talent_ids: Sequence[int], among: QuerySet[Talent] | None = None
) -> Iterator[Talent]:
    """The talents of `talent_ids` in that order; ids of talents deleted meanwhile, or not
    `among` the given ones (those a user may see, say), are skipped."""
    talents = Talent.objects.all() if among is None else among
    for start in range(0, len(talent_ids), CHUNK):
        chunk = talent_ids[start : start + CHUNK]
        loaded = talents.in_bulk(chunk)
        yield from (loaded[pk] for pk in chunk if pk in loaded)
