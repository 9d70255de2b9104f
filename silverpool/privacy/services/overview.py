"""The figures on the privacy overview page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ...accounts.models import User
from ...talents.models import Talent
from ..models import LegalBasis
from .dsr import DUE_SOON_DAYS, open_requests
from .retention import upcoming_removals

State = LegalBasis.State


@dataclass(frozen=True)
class PrivacyCounts:
    awaiting_consent: int
    consent_valid: int
    # Removed by the daily runs within 7 and 30 days, as the forecast page lists them.
    due_in_7_days: int
    due_in_30_days: int
    open_requests: int
    overdue_requests: int
    requests_due_soon: int


def _removals(talents: QuerySet[Talent], today: datetime.date, days: int) -> int:
    until = today + datetime.timedelta(days=days)
    return upcoming_removals(talents, today=today, until=until, limit=0)[1]


def privacy_counts(user: User, today: datetime.date) -> PrivacyCounts:
    """Counts over the talents `user` may see. Data-subject requests are all counted:
    everyone who handles them must see that one is late."""
    talents = Talent.objects.visible_to(user)
    states = LegalBasis.objects.filter(talent__in=talents).aggregate(
        awaiting=Count("pk", filter=Q(state=State.AWAITING_CONSENT)),
        valid=Count("pk", filter=Q(state=State.CONSENT_VALID)),
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    requests = open_requests().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )
    return PrivacyCounts(
        awaiting_consent=states["awaiting"],
        consent_valid=states["valid"],
        due_in_7_days=_removals(talents, today, 7),
        due_in_30_days=_removals(talents, today, 30),
        open_requests=requests["total"],
        overdue_requests=requests["overdue"],
        requests_due_soon=requests["soon"],
    )
