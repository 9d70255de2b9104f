"""Helpers for privacy tests: consent decisions made through the services, as users make them."""

from silverpool.accounts.models import User
from silverpool.privacy.models import ConsentRecord, Purpose
from silverpool.privacy.services import ConsentGrant, record_consent
from silverpool.talents.models import Talent

BOTH = (Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)


def give_consent(
    talent: Talent,
    *purposes: str,
    recruiter: User | None = None,
    method: ConsentRecord.Method = ConsentRecord.Method.RECRUITER,
    language: str = "en",
) -> list[ConsentRecord]:
    """Consent to `purposes` (both by default), recorded by `recruiter` after a phone call."""
    grant = ConsentGrant(
        method=method,
        language=language,
        given=purposes or BOTH,
        note="Phone call" if method == ConsentRecord.Method.RECRUITER else "",
        asked_by=recruiter,
        recorded_by=recruiter,
    )
    return record_consent(talent, grant, actor=recruiter)
