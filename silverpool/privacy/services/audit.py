"""The audit log's reads and writes beyond `audit()`: logging who looked at a talent, the
filters of the audit page and its CSV export."""

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from ...accounts.models import User
from ..models import AuditEntry
from .basis import audit

# Opening a profile again and again within this window (the page polls, people reload)
# is one view: the log stays readable and still answers "who looked at this talent when".
VIEW_WINDOW = datetime.timedelta(minutes=10)
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("time", "actor", "action", "talent_id", "detail")


def audit_view(
    user: User, talent_id: int, *, what: Literal["profile", "document"] = "profile"
) -> AuditEntry | None:
    """Log that `user` saw a talent's profile or downloaded one of its documents; None
    when the same user already saw the same thing of this talent within VIEW_WINDOW."""
    recent = AuditEntry.objects.filter(
        actor=user,
        talent_id=talent_id,
        action=AuditEntry.Action.VIEWED,
        detail__what=what,
        created_at__gte=timezone.now() - VIEW_WINDOW,
    )
    if recent.exists():
        return None
    return audit(actor=user, talent_id=talent_id, action=AuditEntry.Action.VIEWED, what=what)


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page shows; every part is optional. `actor` is a user id or, for
    entries without a user, their label ("System", "Talent", "API")."""

    talent_id: int | None = None
    actor_id: int | None = None
    actor_label: str = ""
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    # Days are the user's local days: an entry at 00:30 Berlin time belongs to that date.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_audit(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The matching entries, newest first."""
    entries = AuditEntry.objects.select_related("actor")
    if filters.talent_id is not None:
        entries = entries.filter(talent_id=filters.talent_id)
    if filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.actor_label:
        entries = entries.filter(actor__isnull=True, actor_label=filters.actor_label)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.since is not None:
        entries = entries.filter(created_at__gte=_start_of(filters.since))
    if filters.until is not None:
        entries = entries.filter(
            created_at__lt=_start_of(filters.until + datetime.timedelta(days=1))
        )
    return entries.order_by("-created_at", "-id")


def actor_labels() -> list[str]:
    """The labels of entries no user made, for the actor filter."""
    labels = AuditEntry.objects.filter(actor__isnull=True).exclude(actor_label="")
    return sorted(set(labels.values_list("actor_label", flat=True)))


def actor_name(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.with_username
    return entry.actor_label


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates. Text that looks neutralised
    already ('=x) gets a ' more: the talent import takes one off (values.clean_text)."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def audit_csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The CSV export of `entries`, line by line (the log can be long: it is streamed)."""

    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line())
    yield writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        row = (
            timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
            actor_name(entry),
            entry.action,
            "" if entry.talent_id is None else str(entry.talent_id),
            json.dumps(entry.detail, sort_keys=True, ensure_ascii=False) if entry.detail else "",
        )
        yield writer.writerow([neutralise(cell) for cell in row])
