"""Recording timeline events: every change to a talent goes through `record_event`."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone
from django_countries.fields import Country

from ...accounts.models import User
from ...lookups import AnyOf
from ..models import Event, Talent


def jsonable(value: Any) -> Any:
    """A field value as it is kept in event data and merge snapshots."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Country):
        return value.code or ""
    return value


def record_event(
    talent: Talent,
    kind: Event.Kind,
    *,
    actor: User | None,
    actor_label: str = "",
    **data: Any,
) -> Event:
    """Append an event to the talent's timeline and mark the talent as recently active."""
    now = timezone.now()
    Talent.objects.filter(pk=talent.pk).update(last_activity_at=now)
    talent.last_activity_at = now
    return Event.objects.create(
        talent=talent,
        kind=kind,
        actor=actor,
        actor_label=actor_label,
        data={key: jsonable(value) for key, value in data.items()},
    )


def record_events(
    talent_ids: list[int],
    kind: Event.Kind,
    *,
    actor: User | None,
    actor_label: str = "",
    **data: Any,
) -> None:
    """The same event on many talents at once (bulk actions)."""
    payload = {key: jsonable(value) for key, value in data.items()}
    record_events_each(
        kind, [(pk, payload) for pk in talent_ids], actor=actor, actor_label=actor_label
    )


def record_events_each(
    kind: Event.Kind,
    data_by_talent: Sequence[tuple[int, dict[str, Any]]],
    *,
    actor: User | None,
    actor_label: str = "",
) -> None:
    """An event of `kind` on each talent, with data of its own (talent id, data): a
    deleted note's id, ..."""
    now = timezone.now()
    # AnyOf: one parameter however many talents (a bulk action on every matching one).
    talents = Talent.objects.filter(AnyOf(F("pk"), {pk for pk, _data in data_by_talent}))
    talents.update(last_activity_at=now)
    Event.objects.bulk_create(
        Event(
            talent_id=pk,
            kind=kind,
            actor=actor,
            actor_label=actor_label,
            data={key: jsonable(value) for key, value in data.items()},
        )
        for pk, data in data_by_talent
    )
