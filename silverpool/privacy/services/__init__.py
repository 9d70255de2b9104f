"""The privacy app's use cases: other apps ask here whether they may keep or contact a
talent, and report arrivals and consent decisions here."""

from .basis import (
    ConsentGrant,
    apply_intake,
    audit,
    basis_of,
    expire_consents,
    is_suppressed,
    lift_legal_hold,
    may_email,
    open_legal_basis,
    postpone_past_deadlines,
    record_consent,
    set_legal_hold,
    suppress,
    withdraw_consent,
)
from .policy import add_months, current_texts, get_policy, publish_text, purposes

__all__ = [
    "ConsentGrant",
    "add_months",
    "apply_intake",
    "audit",
    "basis_of",
    "current_texts",
    "expire_consents",
    "get_policy",
    "is_suppressed",
    "lift_legal_hold",
    "may_email",
    "open_legal_basis",
    "postpone_past_deadlines",
    "publish_text",
    "purposes",
    "record_consent",
    "set_legal_hold",
    "suppress",
    "withdraw_consent",
]
