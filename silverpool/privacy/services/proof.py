"""A talent's consent proof (Art. 7(1) GDPR): every consent record with what it proves,
as the profile shows it and as a CSV or JSON file for whoever asks to see the proof."""

import csv
import io
import json
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ...accounts.models import User
from ...talents.models import Event, Talent
from ...talents.services.events import record_event
from ..models import AuditEntry, ConsentRecord
from .audit import neutralise
from .basis import audit

ProofFormat = Literal["csv", "json"]
COLUMNS = (
    "recorded_at",
    "purpose",
    "decision",
    "method",
    "text_version",
    "text_language",
    "text_sha256",
    "text",
    "language",
    "request",
    "ip_address",
    "user_agent",
    "asked_by",
    "recorded_by",
    "note",
    "valid_until",
)


def proof_records(talent: Talent) -> QuerySet[ConsentRecord]:
    """The talent's consent records, newest first, with everything they point at."""
    return ConsentRecord.objects.filter(talent=talent).select_related(
        "purpose", "text", "request", "asked_by", "recorded_by"
    )


def _user(user: User | None) -> str:
    return user.with_username if user is not None else ""


def proof_row(record: ConsentRecord) -> dict[str, str]:
    """One record as the export holds it: stable keys, values as text."""
    text = record.text
    return {
        "recorded_at": timezone.localtime(record.created_at).isoformat(timespec="seconds"),
        "purpose": record.purpose.key,
        "decision": record.decision,
        "method": record.method,
        "text_version": str(text.version) if text else "",
        "text_language": text.language if text else "",
        "text_sha256": text.sha256 if text else "",
        "text": text.text if text else "",
        "language": record.language,
        "request": f"{record.request.kind} {record.request_id}" if record.request else "",
        "ip_address": record.ip_address or "",
        "user_agent": record.user_agent,
        "asked_by": _user(record.asked_by),
        "recorded_by": _user(record.recorded_by),
        "note": record.note,
        "valid_until": record.valid_until.isoformat() if record.valid_until else "",
    }


@transaction.atomic
def export_proof(talent: Talent, *, fmt: ProofFormat, actor: User) -> str:
    """The proof as CSV or JSON text; the download is on the timeline and in the audit log."""
    rows = [proof_row(record) for record in proof_records(talent)]
    record_event(talent, Event.Kind.DATA_EXPORTED, actor=actor, what=f"consent_proof_{fmt}")
    audit(
        actor=actor,
        talent_id=talent.pk,
        action=AuditEntry.Action.EXPORTED,
        what="consent_proof",
        format=fmt,
        records=len(rows),
    )
    if fmt == "json":
        document = {
            "talent": {"id": talent.pk, "name": talent.full_name, "email": talent.email},
            "exported_at": timezone.localtime().isoformat(timespec="seconds"),
            "consent_records": rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return out.getvalue()
