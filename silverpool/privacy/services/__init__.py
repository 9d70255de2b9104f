"""The privacy app's use cases: other apps ask here whether they may keep or contact a
talent, and report arrivals and consent decisions here."""

from .audit import audit_view
from .basis import (
    ConsentGrant,
    apply_intake,
    audit,
    audit_changes,
    expire_consents,
    is_suppressed,
    lift_legal_hold,
    may_email,
    open_legal_bases,
    postpone_past_deadlines,
    record_consent,
    set_legal_hold,
    suppress,
    withdraw_consent,
)
from .dsr import open_request, overdue_count
from .erasure import (
    LegalHoldActive,
    anonymise_talent,
    delete_talents,
    erase_on_request,
    erase_talent,
)
from .export import export_talent_data
from .policy import add_months, current_texts, get_policy, publish_text, purposes
from .requests import ConsentRequestRefused, bulk_request_consent, request_consent
from .retention import run_retention
from .selfservice import (
    ExportFormat,
    PurposeState,
    document_for_token,
    document_token,
    erase_at_own_request,
    purpose_states,
    record_export,
    record_self_export,
)

__all__ = [
    "ConsentGrant",
    "ConsentRequestRefused",
    "ExportFormat",
    "PurposeState",
    "document_for_token",
    "document_token",
    "erase_at_own_request",
    "export_talent_data",
    "purpose_states",
    "record_export",
    "record_self_export",
    "LegalHoldActive",
    "add_months",
    "anonymise_talent",
    "apply_intake",
    "audit",
    "audit_changes",
    "audit_view",
    "bulk_request_consent",
    "current_texts",
    "delete_talents",
    "erase_on_request",
    "erase_talent",
    "expire_consents",
    "get_policy",
    "is_suppressed",
    "lift_legal_hold",
    "may_email",
    "open_legal_bases",
    "open_request",
    "overdue_count",
    "postpone_past_deadlines",
    "publish_text",
    "purposes",
    "record_consent",
    "request_consent",
    "run_retention",
    "set_legal_hold",
    "suppress",
    "withdraw_consent",
]
