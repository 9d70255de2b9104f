"""The privacy panel on the talent profile: the legal basis, the consent proof, and the
recruiter's actions (ask for consent, record consent given by phone or in person, export
the proof).

The panel is a fragment of the talent page (`{% privacy_panel %}` in its `privacy`
partial), so the actions answer like every other change on that page: the panel, the
timeline and the flash messages for htmx, a redirect back to the page without it.
Viewers see the panel; only recruiters and admins act or export.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ...accounts.http import AuthedRequest
from ...accounts.models import User
from ...talents import services as talents
from ...talents.models import Talent
from ...talents.views.detail import done, fragments, is_htmx
from ..forms.consent import RecordedConsentForm
from ..models import ConsentRecord, ConsentRequest, LegalBasis, Purpose
from ..services.basis import ConsentGrant, is_suppressed, record_consent
from ..services.language import mail_language
from ..services.policy import get_policy
from ..services.proof import export_proof, proof_records
from ..services.requests import ConsentRequestRefused, refusal, request_consent

PANEL = "privacy"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def panel_context(
    user: User, talent: Talent, *, form: RecordedConsentForm | None = None
) -> dict[str, Any]:
    """What the panel shows; `form` is a refused "recorded consent" form to show again."""
    basis = LegalBasis.objects.filter(talent=talent).first()
    ask_refusal = None
    if basis is not None and user.can_edit:
        refused = refusal(talent, basis, ConsentRequest.Kind.CONSENT, now=timezone.now())
        ask_refusal = refused.message if refused else None
    shown_in = get_language()
    names = {purpose.key: purpose.name(shown_in) for purpose in Purpose.objects.all()}
    return {
        "talent": talent,
        "basis": basis,
        "policy": get_policy(),
        "can_edit": user.can_edit,
        "basis_purposes": [names.get(key, key) for key in basis.purposes] if basis else [],
        "purpose_names": names,
        "on_legal_hold": basis.on_legal_hold() if basis else False,
        "email_suppressed": is_suppressed(talent.email),
        "last_request": ConsentRequest.objects.filter(talent=talent).first(),
        "records": list(proof_records(talent)),
        "ask_refusal": ask_refusal,
        "recorded_form": form
        or (
            RecordedConsentForm(language=mail_language(talent, actor=user))
            if user.can_edit
            else None
        ),
    }


@login_required
@require_POST
def consent_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    """The "Ask for consent" button: one email with a consent-page link."""
    talent = talents.get_talent_for(request.user, pk, write=True)
    try:
        request_consent(talent, actor=request.user)
    except ConsentRequestRefused as refused:
        messages.error(request, refused.message)
        return done(request, talent, PANEL, status=422)
    messages.success(request, _("Consent request sent to %(email)s.") % {"email": talent.email})
    return done(request, talent, PANEL)


@login_required
@require_POST
def consent_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """Consent the talent gave by phone or in person, with the recruiter's note as proof."""
    talent = talents.get_talent_for(request.user, pk, write=True)
    form = RecordedConsentForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            return fragments(request, talent, PANEL, oob=(), status=422, recorded_form=form)
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return done(request, talent, PANEL)
    grant = ConsentGrant(
        method=ConsentRecord.Method.RECRUITER,
        language=form.cleaned_data["language"],
        given=form.cleaned_data["purposes"],
        note=form.cleaned_data["note"],
        asked_by=request.user,
        recorded_by=request.user,
    )
    record_consent(talent, grant, actor=request.user)
    messages.success(request, _("Consent recorded."))
    return done(request, talent, PANEL)


@never_cache
@login_required
@require_GET
def consent_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The consent proof as a CSV or JSON download; recruiters and admins only."""
    if fmt not in CONTENT_TYPES:
        raise Http404(_("No such format."))
    talent = talents.get_talent_for(request.user, pk, write=True)
    body = export_proof(talent, fmt="csv" if fmt == "csv" else "json", actor=request.user)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    filename = f"consent-proof-talent-{talent.pk}-{stamp}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
