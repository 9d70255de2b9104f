"""Columns derived from a talent's data: search words, name key, private-pool flag."""

from django.db.models import Exists, OuterRef

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
    notes = Note.objects.filter(talent=talent).values_list("text", flat=True)
    texts = Document.objects.filter(talent=talent).values_list("text", flat=True)
    talent.search_text = build_search_text([*search_parts(talent), *notes, *texts])
    Talent.objects.filter(pk=talent.pk).update(search_text=talent.search_text)


def refresh_restriction(talent_ids: list[int]) -> None:
    """Recompute whether each talent sits in a private pool."""
    private = PoolMembership.objects.filter(talent_id=OuterRef("pk"), pool__is_private=True)
    Talent.objects.filter(pk__in=talent_ids).update(is_restricted=Exists(private))
