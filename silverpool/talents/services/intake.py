"""The one way talents enter or change: every channel calls `intake_talent` or `update_talent`."""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ...accounts.models import User
from ...lookups import AnyOf
from ...privacy import services as privacy
from ...privacy.models import AuditEntry
from ..models import Event, Pool, Status, Tag, Talent
from ..validation import clean_talent_fields
from .derived import name_key, refresh_search_text
from .duplicates import flag_duplicates
from .events import jsonable, record_event
from .membership import add_tag, add_to_pool, set_owner, set_status

if TYPE_CHECKING:
    from ...privacy.services import ConsentGrant

DUPLICATE_RELEVANT = {"first_name", "last_name", "phone", "linkedin_url"}


@dataclass
class IntakeResult:
    """What intake did: the talent, whether it is new, and which fields changed."""

    talent: Talent
    created: bool
    changed: list[str] = field(default_factory=list)


def find_by_email(email: str) -> Talent | None:
    if not email:
        return None
    return Talent.objects.annotate(e=Lower("email")).filter(e=email.lower()).first()


def find_by_emails(emails: Collection[str]) -> QuerySet[Talent]:
    """The talents with any of `emails` (lower case): many addresses in one statement, by
    the unique index on lower(email)."""
    # ~Q(email="") is the condition of the unique index on lower(email): it is used.
    return (
        Talent.objects.exclude(email="")
        .annotate(email_ci=Lower("email"))
        .filter(AnyOf(F("email_ci"), emails))
    )


def default_status() -> Status:
    return Status.objects.filter(is_default=True).first() or Status.objects.earliest("position")


@transaction.atomic
def intake_talent(
    raw: Mapping[str, Any],
    *,
    actor: User | None,
    actor_label: str = "",
    source_kind: Talent.SourceKind,
    source_label: str = "",
    status: Status | None = None,
    owner: User | None = None,
    pools: Iterable[Pool] = (),
    tags: Iterable[Tag] = (),
    rejected_applicant: bool = False,
    consent: "ConsentGrant | None" = None,
) -> IntakeResult:
    """Create a talent, or update the existing one with the same email (case ignored).

    The privacy app learns of every arrival: a new talent gets its legal basis (an
    application hold for `rejected_applicant`, else awaiting consent), and a consent
    captured by the channel is recorded with its proof.

    A user may not update, through intake, a talent they may not see (one only in private
    pools they are not a member of); channels without a user (forms, imports) may.
    Raises ValidationError naming each invalid field.
    """
    fields = clean_talent_fields(raw, partial=False)
    existing = find_by_email(fields.get("email", ""))
    if existing is None:
        try:
            with transaction.atomic():
                result = _create(fields, actor, actor_label, source_kind, source_label, status)
        except IntegrityError:
            # Another request created the same email between our lookup and insert.
            existing = find_by_email(fields["email"])
            if existing is None:
                raise
    if existing is not None:
        _refuse_hidden_talent(existing, actor)
        result = _update_from_channel(
            existing, fields, actor, actor_label, source_kind, source_label
        )
        if status is not None:
            set_status(existing, status, actor=actor, actor_label=actor_label)
    talent = result.talent
    if owner is not None:
        set_owner(talent, owner, actor=actor, actor_label=actor_label)
    for pool in pools:
        add_to_pool(talent, pool, actor=actor, actor_label=actor_label)
    for tag in tags:
        add_tag(talent, tag, actor=actor, actor_label=actor_label)
    privacy.apply_intake(
        talent,
        created=result.created,
        rejected_applicant=rejected_applicant,
        consent=consent,
        actor=actor,
        actor_label=actor_label,
    )
    return result


def _refuse_hidden_talent(existing: Talent, actor: User | None) -> None:
    # Updating it would hand its profile to the user (the page opens it, the API returns it).
    # The message confirms only that the email is taken, never whose it is.
    if actor is None or Talent.objects.visible_to(actor).filter(pk=existing.pk).exists():
        return
    message = _(
        "A talent with this email address already exists in a private pool you are not a member of."
    )
    raise ValidationError({"email": [message]})


def _create(
    fields: dict[str, Any],
    actor: User | None,
    actor_label: str,
    source_kind: Talent.SourceKind,
    source_label: str,
    status: Status | None,
) -> IntakeResult:
    talent = Talent(
        **fields,
        status=status or default_status(),
        source_kind=source_kind,
        source_label=source_label or (str(actor) if actor else ""),
    )
    talent.name_key = name_key(talent.first_name, talent.last_name)
    talent.save()
    refresh_search_text(talent)
    record_event(
        talent,
        Event.Kind.CREATED,
        actor=actor,
        actor_label=actor_label,
        source_kind=talent.source_kind,
        source_label=talent.source_label,
    )
    flag_duplicates(talent, actor=actor)
    return IntakeResult(talent=talent, created=True, changed=list(fields))


def _update_from_channel(
    talent: Talent,
    fields: dict[str, Any],
    actor: User | None,
    actor_label: str,
    source_kind: Talent.SourceKind,
    source_label: str,
) -> IntakeResult:
    # A channel only brings values; empty ones never blank out what a recruiter entered.
    provided = {k: v for k, v in fields.items() if v not in ("", None, [], {})}
    if provided.get("email", "").lower() == talent.email.lower():
        del provided["email"]
    if "salary_amount" not in provided:
        # Currency and period have defaults; without an amount they carry no information.
        provided.pop("salary_currency", None)
        provided.pop("salary_period", None)
    if "custom_values" in provided:
        # Like any field: the custom fields the channel does not bring stay as they are.
        provided["custom_values"] = {**talent.custom_values, **provided["custom_values"]}
    record_event(
        talent,
        Event.Kind.UPDATED,
        actor=actor,
        actor_label=actor_label,
        source_kind=source_kind,
        source_label=source_label,
    )
    changed = _apply_changes(talent, provided, actor=actor, actor_label=actor_label)
    return IntakeResult(talent=talent, created=False, changed=changed)


@transaction.atomic
def update_talent(
    talent: Talent, raw: Mapping[str, Any], *, actor: User | None, actor_label: str = ""
) -> list[str]:
    """Change fields of a talent; each changed field becomes a timeline event (old -> new).

    Returns the names of the fields that changed. Raises ValidationError naming bad fields.
    """
    fields = clean_talent_fields(raw, partial=True, country=talent.country.code or "")
    return _apply_changes(talent, fields, actor=actor, actor_label=actor_label)


def _apply_changes(
    talent: Talent, fields: dict[str, Any], *, actor: User | None, actor_label: str
) -> list[str]:
    changed = [name for name, value in fields.items() if getattr(talent, name) != value]
    if not changed:
        return []
    if "email" in changed and fields["email"]:
        other = find_by_email(fields["email"])
        if other is not None and other.pk != talent.pk:
            raise ValidationError({"email": [_("Another talent already has this email address.")]})
    old = {name: getattr(talent, name) for name in changed}
    for name in changed:
        setattr(talent, name, fields[name])
    talent.name_key = name_key(talent.first_name, talent.last_name)
    # Only what changed: the caller's copy may predate a private pool (is_restricted).
    talent.save(update_fields=[*changed, "name_key", "updated_at"])
    refresh_search_text(talent)
    for name in changed:
        record_event(
            talent,
            Event.Kind.FIELD_CHANGED,
            actor=actor,
            actor_label=actor_label,
            field=name,
            old=jsonable(old[name]),
            new=jsonable(fields[name]),
        )
    # The timeline holds the values; the audit log, which outlives the talent, only who
    # changed which fields.
    privacy.audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.CHANGED,
        fields=changed,
    )
    if DUPLICATE_RELEVANT.intersection(changed):
        flag_duplicates(talent, actor=actor)
    return changed
