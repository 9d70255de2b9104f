"""The one way talents enter or change: every channel calls `intake_talent` or
`update_talent` (`update_talents` for many at once)."""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...accounts.models import User
from ...bulk_insert import lock_keys, update_rows
from ...lookups import AnyOf
from ...privacy import services as privacy
from ..models import Event, Pool, Status, Tag, Talent
from ..validation import clean_talent_fields
from .derived import name_key, refresh_search_text, refresh_search_texts
from .duplicates import flag_duplicates
from .events import jsonable, record_event, record_events_each
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


# Why a channel may not update a talent the user may not see. It confirms only that the
# email is taken, never whose it is.
HIDDEN_TALENT = gettext_lazy(
    "A talent with this email address already exists in a private pool you are not a member of."
)


def _refuse_hidden_talent(existing: Talent, actor: User | None) -> None:
    # Updating it would hand its profile to the user (the page opens it, the API returns it).
    # The message confirms only that the email is taken, never whose it is.
    if actor is None or Talent.objects.visible_to(actor).filter(pk=existing.pk).exists():
        return
    raise ValidationError({"email": [str(HIDDEN_TALENT)]})


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
    provided = channel_changes(talent, fields, fill=False)
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


SALARY_FIELDS = ("salary_amount", "salary_currency", "salary_period")


def channel_changes(talent: Talent, fields: Mapping[str, Any], *, fill: bool) -> dict[str, Any]:
    """Field -> new value: what a channel brings for a talent it found by email that
    differs from what the talent has, or with `fill` (an import's choice) only what fills
    an empty field. A channel only brings values: empty ones never blank out what a
    recruiter entered, and the email, which found the talent, changes nothing."""
    provided = {k: v for k, v in fields.items() if v not in ("", None, [], {}) and k != "email"}
    if "salary_amount" not in provided:
        # Currency and period have defaults; without an amount they carry no information.
        provided.pop("salary_currency", None)
        provided.pop("salary_period", None)
    if "custom_values" in provided:
        # Like any field: the custom fields the channel does not bring stay as they are.
        current, brought = talent.custom_values, provided["custom_values"]
        provided["custom_values"] = {**brought, **current} if fill else {**current, **brought}
    # Amount, currency and period are one value: "empty" is no amount (currency and period
    # always have one), and a new amount comes with its currency and period.
    salary = {k: provided.pop(k) for k in SALARY_FIELDS if k in provided}
    if salary and (not fill or talent.salary_amount is None):
        provided.update(salary)
    changes = {}
    for name, value in provided.items():
        old = getattr(talent, name)
        if fill and name not in ("custom_values", *SALARY_FIELDS) and old not in ("", None, []):
            continue
        if jsonable(old) != jsonable(value):
            changes[name] = value
    return changes


@transaction.atomic
def update_talent(
    talent: Talent, raw: Mapping[str, Any], *, actor: User | None, actor_label: str = ""
) -> list[str]:
    """Change fields of a talent; each changed field becomes a timeline event (old -> new).

    Returns the names of the fields that changed. Raises ValidationError naming bad fields.
    """
    fields = clean_talent_fields(raw, partial=True, country=talent.country.code or "")
    return _apply_changes(talent, fields, actor=actor, actor_label=actor_label)


@transaction.atomic
def update_talents(
    changes: Sequence[tuple[Talent, Mapping[str, Any]]],
    *,
    actor: User | None,
    actor_label: str = "",
) -> set[int]:
    """update_talent for many talents (an import undone), with the same checks, events and
    audit entries in a few statements for all. Returns the ids of the talents whose values
    update_talent would refuse (ValidationError): they keep what they have."""
    cleaned, refused = [], set()
    for talent, raw in changes:
        try:
            fields = clean_talent_fields(raw, partial=True, country=talent.country.code or "")
        except ValidationError:
            refused.add(talent.pk)
        else:
            cleaned.append((talent, fields))
    _changed, taken = _apply_all_changes(cleaned, actor=actor, actor_label=actor_label)
    return refused | taken


def _apply_changes(
    talent: Talent, fields: dict[str, Any], *, actor: User | None, actor_label: str
) -> list[str]:
    changed, taken = _apply_all_changes([(talent, fields)], actor=actor, actor_label=actor_label)
    if taken:
        raise ValidationError({"email": [_("Another talent already has this email address.")]})
    return changed.get(talent.pk, [])


def _apply_all_changes(
    items: Sequence[tuple[Talent, dict[str, Any]]], *, actor: User | None, actor_label: str
) -> tuple[dict[int, list[str]], set[int]]:
    """Write the talents' new field values, each changed field an event on its timeline;
    the names of the changed fields by talent id, and the ids of the talents left as they
    were because their new email is another talent's (or another's of `items`)."""
    planned = [
        (talent, fields, changed)
        for talent, fields in items
        if (changed := [name for name, value in fields.items() if getattr(talent, name) != value])
    ]
    taken = _emails_taken(planned)
    planned = [item for item in planned if item[0].pk not in taken]
    if not planned:
        return {}, taken
    now = timezone.now()
    rows, events, changed_by_id = [], [], {}
    for talent, fields, changed in planned:
        old = {name: getattr(talent, name) for name in changed}
        for name in changed:
            setattr(talent, name, fields[name])
        talent.name_key = name_key(talent.first_name, talent.last_name)
        talent.updated_at = talent.last_activity_at = now
        # Only what changed: the caller's copy may predate a private pool (is_restricted).
        columns = {name: fields[name] for name in changed}
        rows.append((talent.pk, {**columns, "name_key": talent.name_key, "updated_at": now}))
        events += [(talent.pk, {"field": n, "old": old[n], "new": fields[n]}) for n in changed]
        changed_by_id[talent.pk] = changed
    update_rows(Talent, rows)
    refresh_search_texts([talent for talent, _fields, _changed in planned])
    record_events_each(Event.Kind.FIELD_CHANGED, events, actor=actor, actor_label=actor_label)
    # The timeline holds the values; the audit log, which outlives the talent, only who
    # changed which fields.
    lock_keys(User, [actor.pk if actor else None])
    privacy.audit_changes(changed_by_id, actor=actor, actor_label=actor_label)
    for talent, _fields, changed in planned:
        if DUPLICATE_RELEVANT.intersection(changed):
            flag_duplicates(talent, actor=actor)
    return changed_by_id, taken


def _emails_taken(planned: Sequence[tuple[Talent, dict[str, Any], list[str]]]) -> set[int]:
    """The ids of the talents of `planned` whose new email another talent has or gets."""
    wanted = [
        (talent.pk, fields["email"].lower())
        for talent, fields, changed in planned
        if "email" in changed and fields["email"]
    ]
    if not wanted:
        return set()
    twice = {email for email, count in Counter(e for _pk, e in wanted).items() if count > 1}
    owners = {other.email.lower(): other.pk for other in find_by_emails({e for _pk, e in wanted})}
    return {pk for pk, email in wanted if email in twice or owners.get(email, pk) != pk}
