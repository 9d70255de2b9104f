"""Deleting talents: everything attached goes with them, files on disk too."""

from ...accounts.models import User
from ...privacy import services as privacy
from ..models import Talent


def delete_talents(talent_ids: list[int], *, actor: User) -> int:
    """Delete talents with their notes, events, documents (files too), memberships and
    consent records, and the talents merged into them (the same person). The privacy
    app does it, as for an erasure, and keeps an audit entry per talent."""
    privacy.delete_talents(*talent_ids, actor=actor)
    return len(talent_ids)


def delete_talent(talent: Talent, *, actor: User) -> None:
    delete_talents([talent.pk], actor=actor)
