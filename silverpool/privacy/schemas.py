"""API schemas of the privacy app."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from ..talents.schemas import PageOut, Text, UserRef
from .models import ConsentRecord, LegalBasis
from .services import is_suppressed


class LegalHoldOut(Schema):
    reason: str
    until: datetime.date


class LegalBasisOut(Schema):
    state: str = Field(description="One of: " + ", ".join(LegalBasis.State.values))
    since: datetime.datetime
    hold_until: datetime.date | None = Field(description="End of the application hold.")
    consent_deadline: datetime.date | None = Field(description="Consent needed by this day.")
    consent_valid_until: datetime.date | None
    purposes: list[str] = Field(description="Purposes with valid consent.")
    due_on: datetime.date | None = Field(
        description="The day the talent is deleted or anonymised unless something changes."
    )
    legal_hold: LegalHoldOut | None
    asked_at: datetime.datetime | None = Field(description="When consent was last requested.")
    notice_sent_at: datetime.datetime | None = Field(description="Art. 14 notice sent.")
    suppressed: bool = Field(description="The email is on the suppression list.")

    @staticmethod
    def resolve_legal_hold(obj: LegalBasis) -> dict[str, Any] | None:
        if not obj.on_legal_hold():
            return None
        return {"reason": obj.legal_hold_reason, "until": obj.legal_hold_until}

    @staticmethod
    def resolve_suppressed(obj: LegalBasis) -> bool:
        return is_suppressed(obj.talent.email)


class ConsentRequestOut(Schema):
    id: int
    kind: str
    language: str
    asked_by: UserRef | None
    created_at: datetime.datetime
    expires_at: datetime.datetime
    answered_at: datetime.datetime | None


class ConsentRequestPage(PageOut):
    items: list[ConsentRequestOut]


class ConsentTextRef(Schema):
    id: int
    version: int
    language: str
    sha256: str
    text: str


class ConsentRecordOut(Schema):
    id: int
    purpose: str
    decision: str = Field(description="One of: " + ", ".join(ConsentRecord.Decision.values))
    text: ConsentTextRef | None = Field(description="The exact consent text the talent saw.")
    language: str
    method: str = Field(description="One of: " + ", ".join(ConsentRecord.Method.values))
    ip_address: str | None
    user_agent: str
    asked_by: UserRef | None
    recorded_by: UserRef | None
    note: str
    valid_until: datetime.date | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_purpose(obj: ConsentRecord) -> str:
        return obj.purpose.key


class ConsentRecordPage(PageOut):
    items: list[ConsentRecordOut]


class ConsentIn(Schema):
    """Consent obtained outside Silverpool (on the phone, in person, by letter)."""

    given: list[Text] = Field(..., min_length=1, description="Purpose keys consented to.")
    language: str = Field("de", pattern="^(de|en)$", description="Language of the texts shown.")
    note: Text = Field(..., min_length=3, max_length=2000, description="How it was obtained.")


class LegalHoldIn(Schema):
    reason: Text = Field(..., min_length=3, max_length=500)
    until: datetime.date
