"""Queueing emails in tests: through the service, as the privacy and campaign code does."""

import datetime
from typing import Any

from silverpool.outreach import services
from silverpool.outreach.models import OutboundEmail
from silverpool.talents.models import Talent

CONSENT_URL = "https://talents.example.com/privacy/consent/abc/"


def queue_consent_request(
    talent: Talent | None, key: str = "consent:1", **kwargs: Any
) -> OutboundEmail:
    """A consent request in English with a consent link and a deadline."""
    context = {"consent_url": CONSENT_URL, "deadline": datetime.date(2027, 3, 15)}
    return services.queue_email(
        template="consent_request",
        language=kwargs.pop("language", "en"),
        context={**context, **kwargs.pop("context", {})},
        talent=talent,
        idempotency_key=key,
        actor=kwargs.pop("actor", None),
        **kwargs,
    )
