"""Data-subject requests (Art. 15-21 GDPR): received, answered within a month (Art. 12(3)),
extended once by up to two more months with a reason, closed as done or refused."""

import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ...accounts.models import User
from ...talents.models import Talent
from ..models import ConsentRecord, DataSubjectRequest, Purpose
from .basis import withdraw_consent
from .policy import add_months

DUE_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
# Open requests due within this many days are flagged on the list.
DUE_SOON_DAYS = 7

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"


def urgency(request: DataSubjectRequest, today: datetime.date | None = None) -> Urgency:
    today = today or timezone.localdate()
    if request.due_on < today:
        return Urgency.OVERDUE
    if request.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Urgency.DUE_SOON
    return Urgency.ON_TIME


def open_requests() -> QuerySet[DataSubjectRequest]:
    """Open requests, the most urgent first."""
    return DataSubjectRequest.objects.filter(status=Status.OPEN).order_by("due_on", "id")


def overdue_count(today: datetime.date | None = None) -> int:
    """Open requests past their due date (by the local date): the warning in the menu."""
    return open_requests().filter(due_on__lt=today or timezone.localdate()).count()


@transaction.atomic
def open_request(
    *,
    kind: DataSubjectRequest.Kind,
    received_on: datetime.date,
    channel: DataSubjectRequest.Channel,
    talent: Talent | None,
    note: str = "",
    actor: User | None,
) -> DataSubjectRequest:
    """Register a request; it is due one month after it was received."""
    return DataSubjectRequest.objects.create(
        kind=kind,
        channel=channel,
        received_on=received_on,
        due_on=add_months(received_on, DUE_MONTHS),
        talent=talent,
        talent_ref=talent.pk if talent else None,
        note=note.strip(),
        created_by=actor,
    )


def can_extend(request: DataSubjectRequest) -> bool:
    return request.status == Status.OPEN and not request.extension_reason


@transaction.atomic
def extend_request(
    request: DataSubjectRequest, *, months: int, reason: str, actor: User
) -> DataSubjectRequest:
    """Push the due date out by `months` (at most two, once), as Art. 12(3) allows for
    complex or numerous requests; the talent must be told why, so a reason is required."""
    if not can_extend(request):
        raise ValueError("Only an open request that was not extended yet can be extended.")
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValueError("A request can be extended by one or two months.")
    if not reason.strip():
        raise ValueError("An extension needs a reason.")
    request.due_on = add_months(request.due_on, months)
    request.extension_reason = reason.strip()
    request.save(update_fields=["due_on", "extension_reason"])
    return request


@transaction.atomic
def close_request(
    request: DataSubjectRequest,
    *,
    status: DataSubjectRequest.Status,
    note: str = "",
    withdraw_all: bool = False,
    actor: User,
) -> DataSubjectRequest:
    """Close a request as done or refused. For an objection (Art. 21) that is granted,
    `withdraw_all` withdraws every purpose: the talent gets no more email and goes at the
    next daily run, as with any withdrawal."""
    if request.status != Status.OPEN:
        raise ValueError("The request is already closed.")
    if status not in (Status.DONE, Status.REFUSED):
        raise ValueError("A request is closed as done or refused.")
    if withdraw_all and not (
        request.kind == Kind.OBJECTION and status == Status.DONE and request.talent is not None
    ):
        raise ValueError("Only a granted objection about a known talent withdraws consent.")
    if withdraw_all and request.talent is not None:
        withdraw_consent(
            request.talent,
            Purpose.objects.values_list("key", flat=True),
            method=ConsentRecord.Method.RECRUITER,
            actor=actor,
        )
    request.status = status
    note = note.strip()
    if note:
        request.note = f"{request.note}\n\n{note}".strip()
    request.closed_by = actor
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "note", "closed_by", "closed_at"])
    return request
