"""Each talent's legal basis: how it starts, consent given, declined and withdrawn,
legal holds, and the suppression list. Every change is on the talent's timeline."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...accounts.models import User
from ...bulk_insert import insert_rows
from ...talents.models import Event, Talent
from ...talents.services.events import record_event, record_events
from ..models import (
    AuditEntry,
    ConsentRecord,
    ConsentRequest,
    LegalBasis,
    Policy,
    Purpose,
    Suppression,
    email_hash,
    new_link_keys,
)
from .policy import add_months, current_texts, get_policy

State = LegalBasis.State
SELF_GIVEN = {
    ConsentRecord.Method.CONSENT_PAGE,
    ConsentRecord.Method.PRIVACY_PAGE,
    ConsentRecord.Method.FORM,
}
# Given through a link emailed to the talent: whoever answers reads that mailbox. Only
# such consent lifts a suppression; a public form can be filled in with anyone's address.
MAILBOX_PROVEN = {ConsentRecord.Method.CONSENT_PAGE, ConsentRecord.Method.PRIVACY_PAGE}
# Talents who gave their data themselves need no Art. 14 notice.
NO_NOTICE_SOURCES = {Talent.SourceKind.FORM}
NOTICE_MONTHS = 1
# Consents expired per transaction: one UPDATE and one insert of timeline events each.
EXPIRE_CHUNK = 1000
# The actor label of what the daily jobs do, no user acting.
SYSTEM = "System"


@dataclass(frozen=True)
class ConsentGrant:
    """A consent decision and its proof, however it was made."""

    method: ConsentRecord.Method
    language: str
    given: Sequence[str] = ()
    declined: Sequence[str] = ()
    ip_address: str | None = None
    user_agent: str = ""
    note: str = ""
    asked_by: User | None = None
    recorded_by: User | None = None
    request: ConsentRequest | None = None


def _today() -> datetime.date:
    return timezone.localdate()


def _next_night() -> datetime.date:
    """The day of the next nightly retention run after a decision made now: the run of
    today (02:15) has usually passed, so the talent goes in the coming night."""
    return _today() + datetime.timedelta(days=1)


def _change(
    basis: LegalBasis,
    state: str,
    *,
    actor: User | None,
    actor_label: str,
    due_on: datetime.date | None,
    **fields: Any,
) -> None:
    old = basis.state
    basis.state = state
    basis.due_on = due_on
    for name, value in fields.items():
        setattr(basis, name, value)
    if old != state:
        basis.since = timezone.now()
    basis.save()
    if old != state or fields:
        record_event(
            basis.talent,
            Event.Kind.LEGAL_BASIS_CHANGED,
            actor=actor,
            actor_label=actor_label,
            old=old,
            new=state,
            due_on=due_on,
        )


def open_legal_basis(talent: Talent, *, rejected_applicant: bool = False) -> LegalBasis:
    """The legal basis of a new talent: an application hold for rejected applicants
    (claims under § 15 AGG), otherwise awaiting consent until the deadline."""
    policy = get_policy()
    today = _today()
    notice_due = None
    if talent.source_kind not in NO_NOTICE_SOURCES:
        notice_due = add_months(today, NOTICE_MONTHS)
    # The starting state is shown on the profile; the timeline's "created" entry already
    # marks the moment, so only later changes become events.
    if rejected_applicant:
        hold_until = add_months(today, policy.hold_months)
        basis = LegalBasis(
            talent=talent,
            state=State.APPLICATION_HOLD,
            hold_until=hold_until,
            due_on=hold_until,
            notice_due_on=notice_due,
        )
    else:
        deadline = today + datetime.timedelta(days=policy.consent_deadline_days)
        basis = LegalBasis(
            talent=talent,
            state=State.AWAITING_CONSENT,
            consent_deadline=deadline,
            due_on=deadline,
            notice_due_on=notice_due,
        )
    basis.save()
    return basis


def open_legal_bases(
    talents: Sequence[Talent], *, rejected_applicant: bool = False, policy: Policy | None = None
) -> None:
    """`open_legal_basis` for many new talents at once (imports): one insert. `policy`:
    the policy if the caller has read it already (an import batch, before its first write:
    a read after it waits for the writes on SQLite, see bulk_insert.writes_beside)."""
    policy = policy or get_policy()
    today = _today()
    hold_until = add_months(today, policy.hold_months)
    deadline = today + datetime.timedelta(days=policy.consent_deadline_days)
    notice_due = add_months(today, NOTICE_MONTHS)
    now = timezone.now()
    state = State.APPLICATION_HOLD if rejected_applicant else State.AWAITING_CONSENT
    keys = new_link_keys(len(talents))
    insert_rows(
        LegalBasis,
        (
            "talent_id",
            "state",
            "since",
            "hold_until",
            "consent_deadline",
            "due_on",
            "notice_due_on",
            "legal_hold_reason",
            "purposes",
            "reminders_sent",
            "link_key",
            "updated_at",
        ),
        [
            (
                talent.pk,
                state,
                now,
                hold_until if rejected_applicant else None,
                None if rejected_applicant else deadline,
                hold_until if rejected_applicant else deadline,
                None if talent.source_kind in NO_NOTICE_SOURCES else notice_due,
                "",
                [],
                [],
                key,
                now,
            )
            for talent, key in zip(talents, keys, strict=True)
        ],
    )


def basis_of(talent: Talent) -> LegalBasis:
    """The talent's legal basis, locked for the rest of the transaction."""
    return LegalBasis.objects.select_for_update().select_related("talent").get(talent=talent)


@transaction.atomic
def apply_intake(
    talent: Talent,
    *,
    created: bool,
    rejected_applicant: bool = False,
    consent: ConsentGrant | None = None,
    actor: User | None,
    actor_label: str = "",
) -> None:
    """What an arrival through any channel means for the legal basis. A known talent who
    applied again and was rejected starts a new hold, unless they consented. Consent an
    import says was obtained elsewhere is not recorded for a known talent who declined or
    withdrew theirs: one line of a file does not overturn what the person decided."""
    if (
        consent is not None
        and consent.method == ConsentRecord.Method.IMPORT
        and not created
        and basis_of(talent).state in {State.DECLINED, State.WITHDRAWN}
    ):
        consent = None
    if created:
        open_legal_basis(talent, rejected_applicant=rejected_applicant)
    elif rejected_applicant:
        basis = basis_of(talent)
        if basis.state != State.CONSENT_VALID:
            hold_until = add_months(_today(), get_policy().hold_months)
            _change(
                basis,
                State.APPLICATION_HOLD,
                actor=actor,
                actor_label=actor_label,
                due_on=hold_until,
                hold_until=hold_until,
            )
    if consent is not None and consent.method not in MAILBOX_PROVEN and is_suppressed(talent.email):
        # R24: an import, ATS sync, API call or public form does not bring a person who
        # withdrew or was erased back into campaigns; only consent given through a link in
        # an email to them lifts that.
        campaign_free = [key for key in consent.given if key != Purpose.EMAIL_CAMPAIGNS]
        consent = replace(consent, given=campaign_free)
    if consent is not None and (consent.given or consent.declined):
        record_consent(talent, consent, actor=actor, actor_label=actor_label)


@transaction.atomic
def record_consent(
    talent: Talent, grant: ConsentGrant, *, actor: User | None, actor_label: str = ""
) -> list[ConsentRecord]:
    """Record a decision per purpose with its proof, and what it means for the talent:
    consent to the talent pool makes it valid for the policy's months; declining the
    pool (without having consented before) means the talent goes at the next daily run."""
    basis = basis_of(talent)
    policy = get_policy()
    today = _today()
    texts = current_texts(grant.language)
    keys = set(grant.given) | set(grant.declined)
    by_key = {p.key: p for p in Purpose.objects.filter(key__in=keys)}
    unknown = keys - by_key.keys()
    if unknown:
        raise ValueError(f"Unknown purposes: {sorted(unknown)}")
    valid_until = add_months(today, policy.consent_validity_months)
    records = []
    for key in sorted(keys):
        given = key in grant.given
        text = texts.get(key)
        records.append(
            ConsentRecord.objects.create(
                talent=talent,
                purpose=by_key[key],
                decision=ConsentRecord.Decision.GIVEN if given else ConsentRecord.Decision.DECLINED,
                text=text,
                language=text.language if text else grant.language,
                method=grant.method,
                request=grant.request,
                ip_address=grant.ip_address,
                user_agent=grant.user_agent[:400],
                asked_by=grant.asked_by,
                recorded_by=grant.recorded_by,
                note=grant.note,
                valid_until=valid_until if given else None,
            )
        )
    purposes = (set(basis.purposes) | set(grant.given)) - set(grant.declined)
    if Purpose.TALENT_POOL in grant.given:
        _change(
            basis,
            State.CONSENT_VALID,
            actor=actor,
            actor_label=actor_label,
            due_on=valid_until,
            consent_valid_until=valid_until,
            purposes=sorted(purposes),
            reminders_sent=[],
            renewal_asked_at=None,
        )
    elif Purpose.TALENT_POOL in grant.declined:
        _change(
            basis,
            State.DECLINED,
            actor=actor,
            actor_label=actor_label,
            due_on=_next_night(),
            purposes=[],
        )
    else:
        basis.purposes = sorted(purposes)
        basis.save(update_fields=["purposes", "updated_at"])
    if grant.request is not None and grant.request.answered_at is None:
        grant.request.answered_at = timezone.now()
        grant.request.save(update_fields=["answered_at"])
    if grant.method in MAILBOX_PROVEN and grant.given and talent.email:
        Suppression.objects.filter(email_hash=email_hash(talent.email)).delete()
    record_event(
        talent,
        Event.Kind.CONSENT_RECORDED,
        actor=actor,
        actor_label=actor_label,
        given=sorted(grant.given),
        declined=sorted(grant.declined),
        method=grant.method,
    )
    audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.CONSENT,
        method=grant.method,
        given=sorted(grant.given),
        declined=sorted(grant.declined),
    )
    return records


@transaction.atomic
def withdraw_consent(
    talent: Talent,
    purposes: Iterable[str],
    *,
    method: ConsentRecord.Method,
    ip_address: str | None = None,
    user_agent: str = "",
    actor: User | None,
    actor_label: str = "",
) -> list[ConsentRecord]:
    """Withdrawal takes effect at once (Art. 7(3)): campaigns stop, and withdrawing the
    talent pool purpose schedules the talent for deletion at the next daily run."""
    basis = basis_of(talent)
    keys = set(purposes)
    by_key = {p.key: p for p in Purpose.objects.filter(key__in=keys)}
    records = [
        ConsentRecord.objects.create(
            talent=talent,
            purpose=by_key[key],
            decision=ConsentRecord.Decision.WITHDRAWN,
            method=method,
            ip_address=ip_address,
            user_agent=user_agent[:400],
            recorded_by=actor,
        )
        for key in sorted(by_key)
    ]
    remaining = sorted(set(basis.purposes) - keys)
    if Purpose.TALENT_POOL in keys:
        _change(
            basis,
            State.WITHDRAWN,
            actor=actor,
            actor_label=actor_label,
            due_on=_next_night(),
            purposes=[],
        )
    else:
        basis.purposes = remaining
        basis.save(update_fields=["purposes", "updated_at"])
    if talent.email:
        reason = (
            Suppression.Reason.UNSUBSCRIBED
            if method == ConsentRecord.Method.UNSUBSCRIBE
            else Suppression.Reason.WITHDRAWN
        )
        suppress(talent.email, reason)
    record_event(
        talent,
        Event.Kind.CONSENT_RECORDED,
        actor=actor,
        actor_label=actor_label,
        withdrawn=sorted(by_key),
        method=method,
    )
    audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.CONSENT,
        method=method,
        withdrawn=sorted(by_key),
    )
    return records


@transaction.atomic
def set_legal_hold(talent: Talent, *, reason: str, until: datetime.date, actor: User) -> LegalBasis:
    """Block deletion until `until` (Art. 17(3)(e), 18): a reason and an end are required."""
    if not reason.strip():
        raise ValueError("A legal hold needs a reason.")
    if until < _today():
        raise ValueError("A legal hold must end in the future.")
    basis = basis_of(talent)
    basis.legal_hold_reason = reason.strip()
    basis.legal_hold_until = until
    basis.save(update_fields=["legal_hold_reason", "legal_hold_until", "updated_at"])
    record_event(talent, Event.Kind.LEGAL_HOLD_SET, actor=actor, reason=reason, until=until)
    audit(actor=actor, talent_id=talent.pk, action=AuditEntry.Action.LEGAL_HOLD, until=until)
    return basis


@transaction.atomic
def lift_legal_hold(talent: Talent, *, actor: User) -> LegalBasis:
    basis = basis_of(talent)
    basis.legal_hold_reason = ""
    basis.legal_hold_until = None
    basis.save(update_fields=["legal_hold_reason", "legal_hold_until", "updated_at"])
    record_event(talent, Event.Kind.LEGAL_HOLD_LIFTED, actor=actor)
    audit(actor=actor, talent_id=talent.pk, action=AuditEntry.Action.LEGAL_HOLD, until=None)
    return basis


def expire_consents(today: datetime.date) -> int:
    """Consents whose validity ended without renewal become expired, due at once; the
    same change as `_change` makes, a chunk of talents per statement."""
    expired = 0
    due = LegalBasis.objects.filter(state=State.CONSENT_VALID, consent_valid_until__lt=today)
    while True:
        with transaction.atomic():
            ids = list(
                due.select_for_update()
                .order_by("talent_id")
                .values_list("talent_id", flat=True)[:EXPIRE_CHUNK]
            )
            if not ids:
                return expired
            now = timezone.now()
            LegalBasis.objects.filter(talent_id__in=ids).update(
                state=State.CONSENT_EXPIRED, since=now, due_on=today, purposes=[], updated_at=now
            )
            record_events(
                ids,
                Event.Kind.LEGAL_BASIS_CHANGED,
                actor=None,
                actor_label=SYSTEM,
                old=State.CONSENT_VALID,
                new=State.CONSENT_EXPIRED,
                due_on=today,
            )
        expired += len(ids)


@transaction.atomic
def postpone_past_deadlines(today: datetime.date) -> int:
    """When the GDPR function is switched on, deadlines that passed while it was off are
    moved to a fresh deadline instead of deleting those talents on the next run."""
    policy = get_policy()
    deadline = today + datetime.timedelta(days=policy.consent_deadline_days)
    return LegalBasis.objects.filter(
        state=State.AWAITING_CONSENT, consent_deadline__lt=deadline
    ).update(consent_deadline=deadline, due_on=deadline, reminders_sent=[])


def suppress(email: str, reason: Suppression.Reason) -> None:
    Suppression.objects.get_or_create(email_hash=email_hash(email), defaults={"reason": reason})


def is_suppressed(email: str) -> bool:
    return bool(email) and Suppression.objects.filter(email_hash=email_hash(email)).exists()


def may_email(talent: Talent, purpose: str) -> bool:
    """Whether `talent` may get email for `purpose` now; checked again at send time."""
    if not talent.email or is_suppressed(talent.email):
        return False
    if not get_policy().enabled:
        return True
    basis = LegalBasis.objects.filter(talent=talent).first()
    return bool(basis and basis.state == State.CONSENT_VALID and purpose in basis.purposes)


def audit_changes(
    changed: dict[int, list[str]], *, actor: User | None, actor_label: str = ""
) -> None:
    """One CHANGED entry per talent id with the names of its changed fields, in one insert
    (imports change thousands of talents at once)."""
    now = timezone.now()
    insert_rows(
        AuditEntry,
        ("actor_id", "actor_label", "talent_id", "action", "detail", "created_at"),
        [
            (actor.pk if actor else None, actor_label, talent_id, AuditEntry.Action.CHANGED)
            + ({"fields": fields}, now)
            for talent_id, fields in changed.items()
        ],
    )


def audit(
    *,
    actor: User | None,
    action: AuditEntry.Action,
    talent_id: int | None = None,
    actor_label: str = "",
    **detail: Any,
) -> AuditEntry:
    """An audit entry. `detail` must never hold personal data: ids, keys, counts, dates."""
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent_id,
        action=action,
        detail={
            key: str(value) if isinstance(value, datetime.date) else value
            for key, value in detail.items()
        },
    )
