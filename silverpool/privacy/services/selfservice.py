"""What a talent does on their own privacy page, and a recruiter's data export: the state
of each purpose, signed document links, recording every download, erasure on request.

Withdrawing and giving consent need nothing beyond `withdraw_consent` and
`record_consent` (method PRIVACY_PAGE), which the page calls directly.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing
from django.db import transaction
from django.utils import timezone

from ...accounts.models import User
from ...talents.models import Document, Event, Talent
from ...talents.services.events import record_event
from ..links import PRIVACY_SALT
from ..models import AuditEntry, ConsentRecord, ConsentText, DataSubjectRequest, LegalBasis
from .basis import audit, basis_of
from .dsr import open_request
from .erasure import erase_talent
from .export import TALENT_LABEL
from .policy import current_texts, purposes


class ExportFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    DOCUMENT = "document"


@dataclass(frozen=True)
class PurposeState:
    """One purpose as the privacy page shows it: given or not, since when, until when,
    and the current text the talent agrees to when giving it (again)."""

    key: str
    name: str
    given: bool
    last_decision: str
    last_decision_label: str
    decided_at: datetime.datetime | None
    valid_until: datetime.date | None
    text: ConsentText | None


def purpose_states(basis: LegalBasis, language: str) -> list[PurposeState]:
    """Every purpose with the talent's current decision. A purpose counts as given while
    it is among the legal basis' purposes (expiry and withdrawal take it out)."""
    latest: dict[int, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(talent_id=basis.talent_id).order_by(
        "created_at", "id"
    ):
        latest[record.purpose_id] = record
    texts = current_texts(language)
    states = []
    for purpose in purposes():
        last = latest.get(purpose.pk)
        given = purpose.key in basis.purposes
        states.append(
            PurposeState(
                key=purpose.key,
                name=purpose.name(language),
                given=given,
                last_decision=last.decision if last else "",
                last_decision_label=str(last.get_decision_display()) if last else "",
                decided_at=last.created_at if last else None,
                valid_until=basis.consent_valid_until if given else None,
                text=texts.get(purpose.key),
            )
        )
    return states


# --- document links -------------------------------------------------------------------------


def _document_signer(basis: LegalBasis) -> signing.Signer:
    # Keyed by the talent's link key: revoking the privacy links revokes these too.
    return signing.Signer(salt=f"{PRIVACY_SALT}.document.{basis.link_key}")


def document_token(basis: LegalBasis, document_id: int) -> str:
    """The part of a document's download URL on the privacy page: not guessable from the
    document's id, and only valid together with the talent's own privacy link."""
    return _document_signer(basis).sign(str(document_id))


def document_for_token(basis: LegalBasis, token: str) -> Document | None:
    try:
        document_id = int(_document_signer(basis).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Document.objects.filter(pk=document_id, talent_id=basis.talent_id).first()


# --- downloads and erasure --------------------------------------------------------------------


@transaction.atomic
def record_export(
    talent: Talent, *, what: ExportFormat, actor: User | None, actor_label: str = ""
) -> None:
    """Note a download of the talent's data: on the timeline and in the audit log."""
    record_event(talent, Event.Kind.DATA_EXPORTED, actor=actor, actor_label=actor_label, what=what)
    audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.EXPORTED,
        what=what,
    )


@transaction.atomic
def record_self_export(talent: Talent, *, what: ExportFormat) -> DataSubjectRequest:
    """The talent downloaded their data from the privacy page: an access request (Art. 15)
    received and answered at once, besides the timeline and the audit log."""
    record_export(talent, what=what, actor=None, actor_label=TALENT_LABEL)
    return _answered_request(talent, DataSubjectRequest.Kind.ACCESS)


@transaction.atomic
def erase_at_own_request(talent: Talent) -> DataSubjectRequest:
    """The talent deleted their data from the privacy page: everything goes at once, the
    address is suppressed, and the erasure request stays on the request list (done) by
    the talent's former id; every privacy link of the talent is dead afterwards.

    Under a legal hold (Art. 17(3)(e)) nothing is erased: the request stays open for the
    team, who must answer within the month. Asking twice adds no second request."""
    basis = basis_of(talent)
    if basis.on_legal_hold():
        waiting = talent.data_requests.filter(
            kind=DataSubjectRequest.Kind.ERASURE, status=DataSubjectRequest.Status.OPEN
        ).first()
        if waiting is not None:
            return waiting
        record_event(talent, Event.Kind.ERASURE_REQUESTED, actor=None, actor_label=TALENT_LABEL)
        return _received_request(talent, DataSubjectRequest.Kind.ERASURE)
    request = _answered_request(talent, DataSubjectRequest.Kind.ERASURE)
    erase_talent(talent, actor=None, actor_label=TALENT_LABEL, reason="request")
    request.refresh_from_db()
    return request


def _received_request(talent: Talent, kind: DataSubjectRequest.Kind) -> DataSubjectRequest:
    return open_request(
        kind=kind,
        received_on=timezone.localdate(),
        channel=DataSubjectRequest.Channel.PRIVACY_PAGE,
        talent=talent,
        actor=None,
    )


def _answered_request(talent: Talent, kind: DataSubjectRequest.Kind) -> DataSubjectRequest:
    request = _received_request(talent, kind)
    request.status = DataSubjectRequest.Status.DONE
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request
