"""Columns derived from a talent's data: search words, name key, private-pool flag."""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Exists, F, OuterRef

from ...bulk_insert import update_rows
from ...lookups import AnyOf
from ..models import Document, Note, PoolMembership, Talent
from ..search import build_search_text, words


def name_key(first_name: str, last_name: str) -> str:
    """Normalised name for duplicate detection: folded words in sorted order."""
    return " ".join(sorted(words(f"{first_name} {last_name}")))


def search_parts(talent: Talent) -> list[str]:
    email = talent.email
    return [
        talent.first_name,
        talent.last_name,
        email,
        email.replace("@", " ").replace(".", " "),
        talent.job_title,
        " ".join(talent.skills),
        talent.city,
        talent.postcode,
        " ".join(str(v) for v in talent.custom_values.values()),
    ]


def refresh_search_text(talent: Talent) -> None:
    """Rebuild the words a talent is found by: profile, notes and document text."""
    refresh_search_texts([talent])


def refresh_search_texts(talents: Sequence[Talent]) -> None:
    """refresh_search_text for many talents: two reads and one statement for all."""
    texts = extra_search_texts([talent.pk for talent in talents])
    for talent in talents:
        talent.search_text = build_search_text([*search_parts(talent), *texts[talent.pk]])
    update_rows(Talent, [(talent.pk, {"search_text": talent.search_text}) for talent in talents])


def extra_search_texts(talent_ids: list[int]) -> dict[int, list[str]]:
    """Notes and document texts, which a talent's search words include besides its fields."""
    texts: dict[int, list[str]] = defaultdict(list)
    if talent_ids:
        for model, column in ((Note, "text"), (Document, "text")):
            of_them = model.objects.filter(AnyOf(F("talent_id"), talent_ids))
            for talent_id, text in of_them.values_list("talent_id", column):
                texts[talent_id].append(text)
    return texts


def refresh_restriction(talent_ids: list[int]) -> None:
    """Recompute whether each talent sits in a private pool."""
    private = PoolMembership.objects.filter(talent_id=OuterRef("pk"), pool__is_private=True)
    Talent.objects.filter(pk__in=talent_ids).update(is_restricted=Exists(private))
