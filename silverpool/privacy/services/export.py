"""Everything Silverpool holds about a talent, as JSON-ready data: the answer to an access
request (Art. 15 GDPR) and the portable copy (Art. 20). The JSON download, the readable
copy and the privacy page are all made from this one dict.

The talent's own copy (`for_talent=True`) leaves out what is about the organisation
rather than the person: who in the team did what (only "recruiter" or "system"), notes
not marked visible to the talent, the reason of a legal hold, and the raw data of
timeline entries (an edited note's old text, say).
"""

import datetime
from typing import Any

from django.apps import apps
from django.utils import timezone, translation
from django.utils.text import capfirst

from ...accounts.models import User
from ...talents.models import CustomField, Event, Talent
from ...talents.services.access import hide_private_pool_names, pools_visible_to
from ...talents.services.events import jsonable
from ...talents.templatetags.talent_tags import field_label
from ...talents.validation import EDITABLE_FIELDS
from ..models import ConsentRecord, ConsentRequest, LegalBasis, Purpose
from .policy import get_policy

FORMAT = "silverpool-data-export/1"
# Who acted, as the talent's own copy tells it: team members stay anonymous.
RECRUITER = "recruiter"
SYSTEM = "system"
TALENT = "talent"
# The actor label of everything the talent does through their privacy or consent page.
TALENT_LABEL = "Talent"
PROFILE_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "custom_values")


def _when(value: datetime.date | None) -> str | None:
    """A date or a moment as ISO 8601; moments in the local time zone."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.isoformat()


def _profile(talent: Talent) -> list[dict[str, Any]]:
    return [
        {
            "field": name,
            "label": capfirst(field_label(name)),
            "value": jsonable(getattr(talent, name)),
        }
        for name in PROFILE_FIELDS
    ]


def _custom_fields(talent: Talent) -> list[dict[str, Any]]:
    return [
        {"field": field.key, "label": field.label, "value": talent.custom_values[field.key]}
        for field in CustomField.objects.all()
        if talent.custom_values.get(field.key) not in (None, "")
    ]


def _source(talent: Talent, *, for_talent: bool) -> dict[str, str]:
    detail = talent.source_label
    # A manual entry's detail is the recruiter who typed it in: a team member, not a source.
    if for_talent and talent.source_kind == Talent.SourceKind.MANUAL:
        detail = ""
    return {
        "kind": talent.source_kind,
        "kind_label": str(talent.get_source_kind_display()),
        "detail": detail,
    }


def _legal_basis(talent: Talent, *, for_talent: bool) -> dict[str, Any] | None:
    basis = LegalBasis.objects.filter(talent=talent).first()
    if basis is None:
        return None
    data = {
        "state": basis.state,
        "state_label": str(basis.get_state_display()),
        "since": _when(basis.since),
        "purposes": list(basis.purposes),
        "consent_deadline": _when(basis.consent_deadline),
        "consent_valid_until": _when(basis.consent_valid_until),
        "hold_until": _when(basis.hold_until),
        # The day the data is deleted unless something changes (consent, a legal hold).
        "delete_on": _when(basis.due_on),
        "legal_hold_until": _when(basis.legal_hold_until),
        "privacy_notice_sent_at": _when(basis.notice_sent_at),
    }
    if not for_talent:
        data["legal_hold_reason"] = basis.legal_hold_reason
        data["consent_asked_at"] = _when(basis.asked_at)
    return data


def _consents(talent: Talent, language: str, *, for_talent: bool) -> list[dict[str, Any]]:
    records = ConsentRecord.objects.filter(talent=talent).select_related(
        "purpose", "text", "asked_by", "recorded_by"
    )
    consents = []
    for record in records:
        text = record.text
        item: dict[str, Any] = {
            "purpose": record.purpose.key,
            "purpose_name": record.purpose.name(language),
            "decision": record.decision,
            "decision_label": str(record.get_decision_display()),
            "date": _when(record.created_at),
            "method": record.method,
            "method_label": str(record.get_method_display()),
            "valid_until": _when(record.valid_until),
            # The words the talent saw when deciding, exactly as they were then.
            "text": None
            if text is None
            else {
                "version": text.version,
                "language": text.language,
                "text": text.text,
                "sha256": text.sha256,
            },
            "language": record.language,
            "ip_address": record.ip_address,
            "user_agent": record.user_agent,
        }
        if not for_talent:
            item["asked_by"] = str(record.asked_by) if record.asked_by else None
            item["recorded_by"] = str(record.recorded_by) if record.recorded_by else None
            item["note"] = record.note
        consents.append(item)
    return consents


def _consent_requests(talent: Talent, *, for_talent: bool) -> list[dict[str, Any]]:
    requests = []
    for request in ConsentRequest.objects.filter(talent=talent).select_related("asked_by"):
        item: dict[str, Any] = {
            "kind": request.kind,
            "kind_label": str(request.get_kind_display()),
            "date": _when(request.created_at),
            "language": request.language,
            "expires_at": _when(request.expires_at),
            "answered_at": _when(request.answered_at),
        }
        if not for_talent:
            item["asked_by"] = str(request.asked_by) if request.asked_by else None
        requests.append(item)
    return requests


def _documents(talent: Talent, *, for_talent: bool) -> list[dict[str, Any]]:
    documents = []
    for document in talent.documents.select_related("uploaded_by"):
        item: dict[str, Any] = {
            "id": document.pk,
            "name": document.original_name,
            "type": document.content_type,
            "size": document.size,
            "date": _when(document.created_at),
        }
        if not for_talent:
            item["uploaded_by"] = str(document.uploaded_by) if document.uploaded_by else None
        documents.append(item)
    return documents


def _messages(talent: Talent) -> list[dict[str, Any]]:
    # The outreach app builds on this one, so its model is looked up, not imported.
    outbound = apps.get_model("outreach", "OutboundEmail")
    return [
        {
            "to": email.to_email,
            "subject": email.subject,
            "body": email.body_text,
            "kind": email.kind,
            "queued_at": _when(email.created_at),
            "sent_at": _when(email.sent_at),
            "state": email.state,
            "state_label": str(email.get_state_display()),
        }
        for email in outbound.objects.filter(talent=talent)
    ]


def _forms(talent: Talent) -> list[dict[str, Any]]:
    # Like the outreach app, the webforms app builds on this one.
    submission = apps.get_model("webforms", "Submission")
    return [
        {
            "form": sent.form.title,
            "sent_at": _when(sent.created_at),
            "language": sent.language,
            "answers": sent.answers,
            "campaign": sent.campaign,
        }
        for sent in submission.objects.filter(talent=talent).select_related("form")
    ]


def _notes(talent: Talent, *, for_talent: bool) -> list[dict[str, Any]]:
    notes = talent.notes.select_related("author")
    if for_talent:
        return [
            {"text": note.text, "date": _when(note.created_at), "updated": _when(note.updated_at)}
            for note in notes.filter(visible_to_talent=True)
        ]
    return [
        {
            "text": note.text,
            "date": _when(note.created_at),
            "updated": _when(note.updated_at),
            "author": str(note.author) if note.author else None,
            "visible_to_talent": note.visible_to_talent,
        }
        for note in notes
    ]


def _actor_kind(event: Event) -> str:
    if event.actor_id is not None:
        return RECRUITER
    return TALENT if event.actor_label == TALENT_LABEL else SYSTEM


def _timeline(talent: Talent, *, for_talent: bool, viewer: User | None) -> list[dict[str, Any]]:
    events = list(talent.events.select_related("actor"))
    if viewer is not None:
        events = hide_private_pool_names(viewer, events)
    timeline = []
    for event in events:
        label = str(Event.Kind(event.kind).label) if event.kind in Event.Kind else event.kind
        item: dict[str, Any] = {"kind": event.kind, "label": label, "date": _when(event.created_at)}
        if for_talent:
            item["actor"] = _actor_kind(event)
        else:
            item["actor"] = str(event.actor) if event.actor else event.actor_label
            item["data"] = event.data
        timeline.append(item)
    return timeline


def _pools(talent: Talent, viewer: User | None) -> list[str]:
    pools = talent.pools.all()
    if viewer is None:
        return [pool.name for pool in pools]
    visible = set(pools_visible_to(viewer).values_list("pk", flat=True))
    return [pool.name for pool in pools if pool.pk in visible]


def _requests(talent: Talent) -> list[dict[str, Any]]:
    return [
        {
            "kind": request.kind,
            "kind_label": str(request.get_kind_display()),
            "channel": request.channel,
            "status": request.status,
            "status_label": str(request.get_status_display()),
            "received_on": _when(request.received_on),
            "closed_at": _when(request.closed_at),
        }
        for request in talent.data_requests.all()
    ]


def export_talent_data(
    talent: Talent, *, for_talent: bool, viewer: User | None = None
) -> dict[str, Any]:
    """Everything held about `talent`, with labels in the active language.

    `for_talent`: the talent's own copy (see the module docstring); otherwise the full
    record for a recruiter or admin. `viewer`, for a recruiter's copy, hides pools the
    viewer may not see, as the profile page does; the talent's copy has them all.
    """
    language = translation.get_language() or "en"
    policy = get_policy()
    if for_talent:
        viewer = None
    data: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": _when(timezone.now()),
        "language": language,
        "controller": {
            "name": policy.controller_name,
            "contact": policy.controller_contact,
            "data_protection_officer": policy.dpo_contact,
        },
        "talent_id": talent.pk,
        "profile": _profile(talent),
        "custom_fields": _custom_fields(talent),
        "status": {"key": talent.status.key, "name": talent.status.name},
        "source": _source(talent, for_talent=for_talent),
        "created_at": _when(talent.created_at),
        "updated_at": _when(talent.updated_at),
        "last_activity_at": _when(talent.last_activity_at),
        "pools": _pools(talent, viewer),
        "tags": [tag.name for tag in talent.tags.all()],
        "legal_basis": _legal_basis(talent, for_talent=for_talent),
        "purposes": {p.key: p.name(language) for p in Purpose.objects.all()},
        "consents": _consents(talent, language, for_talent=for_talent),
        "consent_requests": _consent_requests(talent, for_talent=for_talent),
        "documents": _documents(talent, for_talent=for_talent),
        "messages": _messages(talent),
        "forms": _forms(talent),
        "data_confirmed_at": _when(talent.data_confirmed_at),
        "notes": _notes(talent, for_talent=for_talent),
        "timeline": _timeline(talent, for_talent=for_talent, viewer=viewer),
        "requests": _requests(talent),
    }
    if not for_talent:
        data["owner"] = str(talent.owner) if talent.owner else None
    return data
