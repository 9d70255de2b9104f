"""What merging two talents means for privacy: the duplicate's consent records, consent
requests and data-subject requests move to the primary talent, which keeps the stronger
legal basis; undoing the merge gives everything back.

The stronger basis is the person's latest own decision when both talents carry one (an
older consent never overrides a later withdrawal), else the one that lets Silverpool keep
the data: consent valid, then an application hold, then awaiting consent, the later end
date first.
"""

import datetime
from typing import Any

from django.db import models

from ...accounts.models import User
from ...talents.models import Event, Talent
from ...talents.services.events import jsonable, record_event
from ..models import ConsentRecord, ConsentRequest, DataSubjectRequest, LegalBasis

# A module import: the talents services import this module while `basis` is still loading.
from . import basis as legal_basis

State = LegalBasis.State
DECISIONS = {State.CONSENT_VALID, State.DECLINED, State.WITHDRAWN}
RANK = {
    State.CONSENT_VALID: 4,
    State.APPLICATION_HOLD: 3,
    State.AWAITING_CONSENT: 2,
    State.CONSENT_EXPIRED: 1,
    State.DECLINED: 1,
    State.WITHDRAWN: 1,
}
# The primary takes these from whichever basis is stronger.
BASIS_FIELDS = (
    "state",
    "since",
    "hold_until",
    "consent_deadline",
    "consent_valid_until",
    "purposes",
    "due_on",
    "asked_at",
    "reminders_sent",
    "renewal_asked_at",
)
SAVED_FIELDS = (
    *BASIS_FIELDS,
    "legal_hold_reason",
    "legal_hold_until",
    "notice_due_on",
    "notice_sent_at",
)


def _decided_at(basis: LegalBasis) -> datetime.datetime:
    last = ConsentRecord.objects.filter(talent_id=basis.talent_id).values_list(
        "created_at", flat=True
    )
    return last.first() or basis.since


def stronger_basis(primary: LegalBasis, secondary: LegalBasis) -> LegalBasis:
    """The basis the merged talent keeps; the primary's when they are equally strong."""
    if primary.state in DECISIONS and secondary.state in DECISIONS:
        return secondary if _decided_at(secondary) > _decided_at(primary) else primary

    def strength(basis: LegalBasis) -> tuple[int, datetime.date]:
        return RANK[State(basis.state)], basis.due_on or datetime.date.max

    return secondary if strength(secondary) > strength(primary) else primary


def _values(basis: LegalBasis) -> dict[str, Any]:
    return {name: jsonable(getattr(basis, name)) for name in SAVED_FIELDS}


def _restore(basis: LegalBasis, values: dict[str, Any]) -> None:
    for name, value in values.items():
        field = LegalBasis._meta.get_field(name)
        assert isinstance(field, models.Field)
        setattr(basis, name, field.to_python(value) if value is not None else None)


def _earliest[T: datetime.date](*values: T | None) -> T | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def merge_consent(primary: Talent, secondary: Talent, *, actor: User) -> dict[str, Any]:
    """Move the secondary's consent proof to the primary and give the primary the
    stronger legal basis. Returns what `undo_consent_merge` needs; runs inside the
    merge's transaction."""
    ours, theirs = legal_basis.basis_of(primary), legal_basis.basis_of(secondary)
    before = _values(ours)
    moved = {
        "records": list(
            ConsentRecord.objects.filter(talent=secondary).values_list("pk", flat=True)
        ),
        "requests": list(
            ConsentRequest.objects.filter(talent=secondary).values_list("pk", flat=True)
        ),
        # Requests keep `talent_ref`, the id they came in under.
        "data_requests": list(
            DataSubjectRequest.objects.filter(talent=secondary).values_list("pk", flat=True)
        ),
    }
    winner = stronger_basis(ours, theirs)
    for name in BASIS_FIELDS:
        setattr(ours, name, getattr(winner, name))
    their_hold = theirs.legal_hold_until if theirs.on_legal_hold() else None
    if their_hold is not None and (
        ours.legal_hold_until is None or their_hold > ours.legal_hold_until
    ):
        ours.legal_hold_until = their_hold
        ours.legal_hold_reason = theirs.legal_hold_reason
    # A talent who gave their data themself (no notice due) has been informed already.
    if ours.notice_due_on is not None and theirs.notice_due_on is not None:
        ours.notice_due_on = min(ours.notice_due_on, theirs.notice_due_on)
    else:
        ours.notice_due_on = None
    ours.notice_sent_at = _earliest(ours.notice_sent_at, theirs.notice_sent_at)
    ours.save()
    # The hidden duplicate is part of the primary now: no deadline of its own.
    secondary_due_on = theirs.due_on
    theirs.due_on = None
    theirs.save(update_fields=["due_on", "updated_at"])
    ConsentRecord.objects.filter(pk__in=moved["records"]).update(talent=primary)
    ConsentRequest.objects.filter(pk__in=moved["requests"]).update(talent=primary)
    DataSubjectRequest.objects.filter(pk__in=moved["data_requests"]).update(talent=primary)
    if before["state"] != ours.state:
        record_event(
            primary,
            Event.Kind.LEGAL_BASIS_CHANGED,
            actor=actor,
            old=before["state"],
            new=ours.state,
            due_on=ours.due_on,
            reason="merge",
        )
    return {
        "moved": moved,
        "primary_before": before,
        "primary_after": _values(ours),
        "secondary_due_on": jsonable(secondary_due_on),
    }


def undo_consent_merge(
    primary: Talent, secondary: Talent, snapshot: dict[str, Any] | None, *, actor: User
) -> None:
    """Give the secondary its consent proof back and the primary its own legal basis,
    unless the primary's basis changed since the merge (a decision made on the merged
    profile is kept). `snapshot` is None for merges made before consent moved along."""
    if snapshot is None:
        return
    ours, theirs = legal_basis.basis_of(primary), legal_basis.basis_of(secondary)
    ConsentRecord.objects.filter(pk__in=snapshot["moved"]["records"]).update(talent=secondary)
    ConsentRequest.objects.filter(pk__in=snapshot["moved"]["requests"]).update(talent=secondary)
    # Merges made before data-subject requests moved along have none to give back.
    DataSubjectRequest.objects.filter(pk__in=snapshot["moved"].get("data_requests", [])).update(
        talent=secondary
    )
    theirs.due_on = (
        datetime.date.fromisoformat(snapshot["secondary_due_on"])
        if snapshot["secondary_due_on"]
        else None
    )
    theirs.save(update_fields=["due_on", "updated_at"])
    if _values(ours) != snapshot["primary_after"]:
        return
    old = ours.state
    _restore(ours, snapshot["primary_before"])
    ours.save()
    if old != ours.state:
        record_event(
            primary,
            Event.Kind.LEGAL_BASIS_CHANGED,
            actor=actor,
            old=old,
            new=ours.state,
            due_on=ours.due_on,
            reason="merge_undone",
        )
