"""Notes on a talent. Only the author or an admin may change or delete a note."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...accounts.models import User
from ..models import Event, Note, Talent
from .derived import refresh_search_text, refresh_search_texts
from .events import record_event, record_events_each

MAX_NOTE_LENGTH = 20_000


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("A note needs some text.")]})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": MAX_NOTE_LENGTH}]})
    return text


def can_change_note(user: User, note: Note) -> bool:
    return user.is_admin or (user.can_edit and note.author_id == user.pk)


@transaction.atomic
def add_note(talent: Talent, text: str, *, author: User, visible_to_talent: bool = False) -> Note:
    """A note; `visible_to_talent` puts it into the talent's own data copy (Art. 15)."""
    note = Note.objects.create(
        talent=talent, author=author, text=_clean_text(text), visible_to_talent=visible_to_talent
    )
    refresh_search_text(talent)
    record_event(talent, Event.Kind.NOTE_ADDED, actor=author, note_id=note.pk, text=note.text)
    return note


@transaction.atomic
def edit_note(note: Note, text: str, *, actor: User, visible_to_talent: bool | None = None) -> Note:
    """Change a note's text and, unless `visible_to_talent` is None, its visibility."""
    if not can_change_note(actor, note):
        raise PermissionDenied(_("Only the author or an admin can change this note."))
    old = note.text
    was_visible = note.visible_to_talent
    note.text = _clean_text(text)
    if visible_to_talent is not None:
        note.visible_to_talent = visible_to_talent
    if note.text != old or note.visible_to_talent != was_visible:
        note.save(update_fields=["text", "visible_to_talent", "updated_at"])
        refresh_search_text(note.talent)
        record_event(
            note.talent,
            Event.Kind.NOTE_EDITED,
            actor=actor,
            note_id=note.pk,
            old=old,
            new=note.text,
            visible_to_talent=note.visible_to_talent,
        )
    return note


def delete_note(note: Note, *, actor: User) -> None:
    delete_notes([note], actor=actor)


@transaction.atomic
def delete_notes(notes: Sequence[Note], *, actor: User) -> None:
    """Delete the notes, each on its talent's timeline; none if `actor` may not delete one
    of them (PermissionDenied). The talents' search words lose the notes' words."""
    if not all(can_change_note(actor, note) for note in notes):
        raise PermissionDenied(_("Only the author or an admin can delete this note."))
    talents = {note.talent_id: note.talent for note in notes}
    record_events_each(
        Event.Kind.NOTE_DELETED,
        [(note.talent_id, {"note_id": note.pk}) for note in notes],
        actor=actor,
    )
    Note.objects.filter(pk__in=[note.pk for note in notes]).delete()
    refresh_search_texts(list(talents.values()))
