"""The privacy API: a talent's legal basis, consent requests and records, legal holds,
the data export (Art. 15) and erasure (Art. 17).

Talents are found through the talents app's access helper, so a talent the user may not
see answers 404 and a viewer's write 403, as everywhere in the API.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status as Reply

from ..accounts.api import api_user
from ..talents import services as talents
from ..talents.schemas import PageQuery
from . import services
from .models import ConsentRecord, ConsentRequest, DataSubjectRequest, LegalBasis
from .schemas import (
    ConsentIn,
    ConsentRecordOut,
    ConsentRecordPage,
    ConsentRequestOut,
    ConsentRequestPage,
    LegalBasisOut,
    LegalHoldIn,
)

router = Router(tags=["privacy"])


def _page(items: Any, query: PageQuery) -> dict[str, Any]:
    total = items.count()
    start = (query.page - 1) * query.page_size
    return {
        "items": list(items[start : start + query.page_size]),
        "total": total,
        "total_is_exact": True,
        "page": query.page,
        "page_size": query.page_size,
    }


def _basis(request: HttpRequest, talent_id: int, *, write: bool = False) -> LegalBasis:
    talent = talents.get_talent_for(api_user(request), talent_id, write=write)
    return LegalBasis.objects.select_related("talent").get(talent=talent)


@router.get("/talents/{talent_id}/legal-basis", response=LegalBasisOut)
def get_legal_basis(request: HttpRequest, talent_id: int) -> LegalBasis:
    """Why the talent may be kept, until when, and when it will be deleted."""
    return _basis(request, talent_id)


@router.get("/talents/{talent_id}/consent-requests", response=ConsentRequestPage)
def list_consent_requests(
    request: HttpRequest, talent_id: int, query: Query[PageQuery]
) -> dict[str, Any]:
    talent = talents.get_talent_for(api_user(request), talent_id)
    return _page(ConsentRequest.objects.filter(talent=talent).select_related("asked_by"), query)


@router.post("/talents/{talent_id}/consent-requests", response={201: ConsentRequestOut, 409: None})
def create_consent_request(request: HttpRequest, talent_id: int) -> Reply[ConsentRequest]:
    """Email the talent a link to the consent page. 409 when it cannot be sent: the GDPR
    function is off, the talent has no email, is suppressed or already consented."""
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    try:
        consent_request = services.request_consent(talent, actor=user)
    except services.ConsentRequestRefused as exc:
        raise HttpError(409, exc.message) from None
    return Reply(201, consent_request)


@router.get("/talents/{talent_id}/consent-records", response=ConsentRecordPage)
def list_consent_records(
    request: HttpRequest, talent_id: int, query: Query[PageQuery]
) -> dict[str, Any]:
    """The proof of every consent decision, newest first (append-only)."""
    talent = talents.get_talent_for(api_user(request), talent_id)
    records = ConsentRecord.objects.filter(talent=talent).select_related(
        "purpose", "text", "asked_by", "recorded_by"
    )
    return _page(records, query)


@router.post("/talents/{talent_id}/consent-records", response={201: list[ConsentRecordOut]})
def record_consent(
    request: HttpRequest, talent_id: int, payload: ConsentIn
) -> Reply[list[ConsentRecord]]:
    """Record consent the talent gave outside Silverpool, with a note as proof."""
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    known = {purpose.key for purpose in services.purposes()}
    unknown = [key for key in payload.given if key not in known]
    if unknown:
        raise ValidationError({"given": [_("Unknown purpose: %s") % ", ".join(unknown)]})
    grant = services.ConsentGrant(
        method=ConsentRecord.Method.RECRUITER,
        language=payload.language,
        given=payload.given,
        note=payload.note,
        recorded_by=user,
    )
    records = services.record_consent(talent, grant, actor=user)
    ids = [record.pk for record in records]
    reloaded = ConsentRecord.objects.filter(pk__in=ids).select_related(
        "purpose", "text", "asked_by", "recorded_by"
    )
    return Reply(201, list(reloaded))


@router.put("/talents/{talent_id}/legal-hold", response=LegalBasisOut)
def set_legal_hold(request: HttpRequest, talent_id: int, payload: LegalHoldIn) -> LegalBasis:
    """Block deletion until a date (admins)."""
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    talents.require_admin(user)
    try:
        services.set_legal_hold(talent, reason=payload.reason, until=payload.until, actor=user)
    except ValueError as exc:
        raise ValidationError({"until": [str(exc)]}) from None
    return _basis(request, talent_id)


@router.delete("/talents/{talent_id}/legal-hold", response=LegalBasisOut)
def lift_legal_hold(request: HttpRequest, talent_id: int) -> LegalBasis:
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    talents.require_admin(user)
    services.lift_legal_hold(talent, actor=user)
    return _basis(request, talent_id)


@router.get("/talents/{talent_id}/export", response=dict[str, Any])
def export_talent(request: HttpRequest, talent_id: int) -> dict[str, Any]:
    """Everything held about the talent (Art. 15 GDPR). Recruiters and admins; audited."""
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    data = services.export_talent_data(talent, for_talent=False, viewer=user)
    services.record_export(talent, what=services.ExportFormat.JSON, actor=user, actor_label="API")
    return data


@router.post("/talents/{talent_id}/erase", response={204: None, 409: None})
def erase_talent(request: HttpRequest, talent_id: int) -> Reply[None]:
    """Erase the talent and everything attached at once (Art. 17 GDPR), recorded as a
    done erasure request. Cannot be undone. 409 while the talent is on legal hold."""
    user = api_user(request)
    talent = talents.get_talent_for(user, talent_id, write=True)
    try:
        services.erase_on_request(talent, actor=user, channel=DataSubjectRequest.Channel.OTHER)
    except services.LegalHoldActive:
        raise HttpError(409, _("The talent is on legal hold and cannot be erased.")) from None
    return Reply(204, None)
