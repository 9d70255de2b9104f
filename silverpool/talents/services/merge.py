"""Merging a duplicate into a primary talent, and undoing that merge from the timeline.

The secondary talent is kept, hidden (merged_into), so that an undo can give back exactly
what moved: its notes, events, documents, pool memberships and tags, the forms it sent in,
its consent proof, and the primary's field values and legal basis from before the merge.
"""

import datetime
from collections.abc import Mapping
from typing import Any, Literal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ...accounts.models import User
from ...privacy.services.merge import merge_consent, undo_consent_merge
from ..models import Document, DuplicateFlag, Event, Merge, Note, PoolMembership, Talent, TalentTag
from ..validation import EDITABLE_FIELDS
from .derived import name_key, refresh_restriction, refresh_search_text
from .events import jsonable, record_event

Choice = Literal["primary", "secondary"]
MERGE_FIELDS = (*EDITABLE_FIELDS, "status_id", "owner_id")


def _field_values(talent: Talent) -> dict[str, Any]:
    return {name: jsonable(getattr(talent, name)) for name in MERGE_FIELDS}


def _restore(talent: Talent, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        field = Talent._meta.get_field(name.removesuffix("_id"))
        assert isinstance(field, models.Field)
        setattr(talent, name, field.to_python(value) if value is not None else None)


@transaction.atomic
def merge_talents(
    primary: Talent, secondary: Talent, *, choices: Mapping[str, Choice], actor: User
) -> Merge:
    """Merge `secondary` into `primary`, taking the fields chosen as "secondary" from it."""
    if primary.pk == secondary.pk:
        raise ValidationError(_("A talent cannot be merged with itself."))
    # Lock both rows and work from what is saved, not from the caller's copies: a copy read
    # before another merge (or a second click on "merge") must not merge twice.
    list(Talent.objects.select_for_update().filter(pk__in=[primary.pk, secondary.pk]))
    primary.refresh_from_db()
    secondary.refresh_from_db()
    if primary.merged_into_id or secondary.merged_into_id:
        raise ValidationError(_("One of these talents has already been merged."))
    unknown = set(choices) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})

    primary_memberships = PoolMembership.objects.filter(talent=primary).values("pool_id")
    primary_tags = TalentTag.objects.filter(talent=primary).values("tag_id")
    moved = {
        "notes": list(Note.objects.filter(talent=secondary).values_list("pk", flat=True)),
        "events": list(Event.objects.filter(talent=secondary).values_list("pk", flat=True)),
        "documents": list(Document.objects.filter(talent=secondary).values_list("pk", flat=True)),
        "memberships": list(
            PoolMembership.objects.filter(talent=secondary)
            .exclude(pool_id__in=primary_memberships)
            .values_list("pk", flat=True)
        ),
        "tags": list(
            TalentTag.objects.filter(talent=secondary)
            .exclude(tag_id__in=primary_tags)
            .values_list("pk", flat=True)
        ),
        "forms": list(_submissions().filter(talent=secondary).values_list("pk", flat=True)),
    }
    pair = DuplicateFlag.objects.filter(
        talent__in=[primary, secondary], other__in=[primary, secondary], dismissed_at__isnull=True
    )
    snapshot = {
        "primary": _field_values(primary),
        "secondary_email": secondary.email,
        "moved": moved,
        # The flags the merge resolves; an undo shows them again.
        "flags": list(pair.values_list("pk", flat=True)),
        "data_confirmed_at": jsonable(primary.data_confirmed_at),
    }
    taken = {name: getattr(secondary, name) for name, c in choices.items() if c == "secondary"}

    secondary.merged_into = primary
    secondary.email = ""
    secondary.save(update_fields=["merged_into", "email", "updated_at"])
    for name, value in taken.items():
        setattr(primary, name, value)
    confirmed = [d for d in (primary.data_confirmed_at, secondary.data_confirmed_at) if d]
    primary.data_confirmed_at = max(confirmed, default=None)
    primary.name_key = name_key(primary.first_name, primary.last_name)
    primary.save()

    Note.objects.filter(pk__in=moved["notes"]).update(talent=primary)
    Event.objects.filter(pk__in=moved["events"]).update(talent=primary)
    Document.objects.filter(pk__in=moved["documents"]).update(talent=primary)
    PoolMembership.objects.filter(pk__in=moved["memberships"]).update(talent=primary)
    TalentTag.objects.filter(pk__in=moved["tags"]).update(talent=primary)
    _submissions().filter(pk__in=moved["forms"]).update(talent=primary)
    snapshot["privacy"] = merge_consent(primary, secondary, actor=actor)
    pair.update(dismissed_at=timezone.now())
    refresh_restriction([primary.pk, secondary.pk])
    refresh_search_text(primary)

    merge = Merge.objects.create(
        primary=primary, secondary=secondary, snapshot=snapshot, merged_by=actor
    )
    record_event(
        primary,
        Event.Kind.MERGED,
        actor=actor,
        merge_id=merge.pk,
        other_id=secondary.pk,
        other_name=secondary.full_name,
        fields_taken=sorted(taken),
    )
    return merge


def _check_emails_free(merge: Merge) -> None:
    """Refuse an undo that would give an email back while another talent now has it."""
    emails = [merge.snapshot["primary"]["email"], merge.snapshot["secondary_email"]]
    for email in filter(None, emails):
        other = (
            Talent.objects.filter(email__iexact=email)
            .exclude(pk__in=[merge.primary_id, merge.secondary_id])
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("%(name)s now has the email address %(email)s; change it there first.")
                % {"name": other.full_name, "email": email}
            )


def _confirmed_without(primary: Talent, merge: Merge) -> datetime.datetime | None:
    """The primary's own confirmation once the secondary's goes back with it: the one from
    before the merge, or a form the person sent in since, whichever is later."""
    before = merge.snapshot.get("data_confirmed_at")
    since = (
        _submissions()
        .filter(talent=primary, created_at__gt=merge.created_at)
        .aggregate(latest=Max("created_at"))["latest"]
    )
    moments = [datetime.datetime.fromisoformat(before) if before else None, since]
    return max(filter(None, moments), default=None)


def _submissions() -> QuerySet[Any]:
    # The forms sent in (webforms builds on this app, so its model is looked up).
    return apps.get_model("webforms", "Submission").objects.all()


@transaction.atomic
def undo_merge(merge: Merge, *, actor: User) -> Talent:
    """Split a merge again: the secondary comes back with everything it brought."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    primary, secondary = merge.primary, merge.secondary
    if primary.merged_into_id is not None:
        # Undoing out of order would hand rows moved by the later merge to the wrong talent.
        raise ValidationError(
            _("%(name)s has since been merged into another talent; undo that merge first.")
            % {"name": primary.full_name}
        )
    later = Merge.objects.filter(primary=primary, undone_at__isnull=True, pk__gt=merge.pk).first()
    if later is not None:
        # Its snapshot holds the fields as this merge left them.
        raise ValidationError(
            _("%(name)s was merged into this talent later; undo that merge first.")
            % {"name": later.secondary.full_name}
        )
    moved = merge.snapshot["moved"]
    _check_emails_free(merge)

    _restore(primary, merge.snapshot["primary"])
    primary.data_confirmed_at = _confirmed_without(primary, merge)
    primary.name_key = name_key(primary.first_name, primary.last_name)
    primary.save()
    secondary.merged_into = None
    secondary.email = merge.snapshot["secondary_email"]
    secondary.save(update_fields=["merged_into", "email", "updated_at"])

    Note.objects.filter(pk__in=moved["notes"]).update(talent=secondary)
    Event.objects.filter(pk__in=moved["events"]).update(talent=secondary)
    Document.objects.filter(pk__in=moved["documents"]).update(talent=secondary)
    PoolMembership.objects.filter(pk__in=moved["memberships"]).update(talent=secondary)
    TalentTag.objects.filter(pk__in=moved["tags"]).update(talent=secondary)
    _submissions().filter(pk__in=moved.get("forms", [])).update(talent=secondary)
    undo_consent_merge(primary, secondary, merge.snapshot.get("privacy"), actor=actor)
    DuplicateFlag.objects.filter(pk__in=merge.snapshot.get("flags", [])).update(dismissed_at=None)
    refresh_restriction([primary.pk, secondary.pk])
    refresh_search_text(primary)
    refresh_search_text(secondary)

    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    for one, two in ((primary, secondary), (secondary, primary)):
        record_event(
            one,
            Event.Kind.MERGE_UNDONE,
            actor=actor,
            merge_id=merge.pk,
            other_id=two.pk,
            other_name=two.full_name,
        )
    return secondary
