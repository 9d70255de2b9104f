"""The talent's privacy page, reached through the signed link in every email (no login):
the data held, downloads, withdrawing or giving consent per purpose, deleting everything.

Every view takes the link's token first; a tampered or revoked link shows one clear page
and changes nothing. The page speaks the browser's language unless the talent picks
German or English (`?lang=`), and every link and form on it keeps that choice.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...talents.models import Talent
from .. import links, services
from ..models import ConsentRecord, DataSubjectRequest, LegalBasis
from ..services import ConsentGrant, ExportFormat, PurposeState
from ..services.export import TALENT_LABEL
from ..services.policy import LANGUAGES
from .data_export import COPY_TEMPLATE, json_download

PAGE = "privacy:privacy-page"
INVALID = "privacy/privacy_link_invalid.html"


@dataclass(frozen=True)
class Visit:
    """A talent on their privacy page: whose data, through which link, in which language."""

    basis: LegalBasis
    token: str
    language: str

    @property
    def talent(self) -> Talent:
        return self.basis.talent

    def url(self, name: str = PAGE, *args: str) -> str:
        return reverse(name, args=[self.token, *args]) + f"?lang={self.language}"


def _use_language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang", "")
    language = chosen if chosen in LANGUAGES else request.LANGUAGE_CODE[:2]
    language = language if language in LANGUAGES else "en"
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def talent_link(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Resolve the link's token to the talent, or answer with the dead-link page."""

    # Django passes the URL's parts by name: `token`, and `document` for a document.
    def wrapper(request: HttpRequest, token: str, **kwargs: str) -> HttpResponseBase:
        language = _use_language(request)
        basis = links.basis_for_privacy_token(token)
        if basis is None:
            response: HttpResponseBase = render(request, INVALID, status=404)
        else:
            response = view(request, Visit(basis, token, language), **kwargs)
        # Personal data: never cached, never indexed, the link never sent on to another site.
        # Not "no-referrer": browsers then send `Origin: null` with forms, and CSRF refuses it.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def _purpose(visit: Visit, key: str) -> PurposeState | None:
    states = services.purpose_states(visit.basis, visit.language)
    return next((state for state in states if state.key == key), None)


def _client(request: HttpRequest) -> tuple[str | None, str]:
    return request.META.get("REMOTE_ADDR") or None, request.headers.get("user-agent", "")


@require_GET
@talent_link
def privacy_page(request: HttpRequest, visit: Visit) -> HttpResponse:
    data = services.export_talent_data(visit.talent, for_talent=True)
    for document in data["documents"]:
        token = services.document_token(visit.basis, document["id"])
        document["url"] = visit.url("privacy:privacy-document", token)
    context = {
        "visit": visit,
        "data": data,
        "purposes": services.purpose_states(visit.basis, visit.language),
        "basis": visit.basis,
    }
    return render(request, "privacy/privacy_page.html", context)


@require_POST
@talent_link
def privacy_withdraw(request: HttpRequest, visit: Visit) -> HttpResponse:
    """One click, effective at once (Art. 7(3)); a second click changes nothing."""
    key = request.POST.get("purpose", "")
    state = _purpose(visit, key)
    if state is not None and state.given:
        ip_address, user_agent = _client(request)
        services.withdraw_consent(
            visit.talent,
            [key],
            method=ConsentRecord.Method.PRIVACY_PAGE,
            ip_address=ip_address,
            user_agent=user_agent,
            actor=None,
            actor_label=TALENT_LABEL,
        )
        messages.success(
            request, _("Your consent to “%(purpose)s” is withdrawn.") % {"purpose": state.name}
        )
    return redirect(visit.url())


@require_POST
@talent_link
def privacy_consent(request: HttpRequest, visit: Visit) -> HttpResponse:
    """Consent given by the talent themself, to the text version shown on the page."""
    key = request.POST.get("purpose", "")
    state = _purpose(visit, key)
    if state is None or state.given or state.text is None:
        return redirect(visit.url())
    if request.POST.get("text") != str(state.text.pk):
        messages.error(request, _("The consent text has just changed. Please read it again."))
        return redirect(visit.url())
    ip_address, user_agent = _client(request)
    grant = ConsentGrant(
        method=ConsentRecord.Method.PRIVACY_PAGE,
        language=visit.language,
        given=[key],
        ip_address=ip_address,
        user_agent=user_agent,
    )
    services.record_consent(visit.talent, grant, actor=None, actor_label=TALENT_LABEL)
    messages.success(
        request,
        _("Thank you: your consent to “%(purpose)s” is recorded.") % {"purpose": state.name},
    )
    return redirect(visit.url())


@require_GET
@talent_link
def privacy_export(request: HttpRequest, visit: Visit) -> HttpResponse:
    data = services.export_talent_data(visit.talent, for_talent=True)
    services.record_self_export(visit.talent, what=ExportFormat.JSON)
    return json_download(data, f"my-data-{timezone.localdate().isoformat()}.json")


@require_GET
@talent_link
def privacy_copy(request: HttpRequest, visit: Visit) -> HttpResponse:
    data = services.export_talent_data(visit.talent, for_talent=True)
    services.record_self_export(visit.talent, what=ExportFormat.HTML)
    return render(request, COPY_TEMPLATE, {"data": data, "visit": visit, "for_talent": True})


@require_GET
@talent_link
def privacy_document(request: HttpRequest, visit: Visit, document: str) -> HttpResponseBase:
    found = services.document_for_token(visit.basis, document)
    if found is None:
        return render(request, INVALID, status=404)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        return render(request, INVALID, status=404)
    services.record_export(
        visit.talent, what=ExportFormat.DOCUMENT, actor=None, actor_label=TALENT_LABEL
    )
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_http_methods(["GET", "POST"])
@talent_link
def privacy_erase(request: HttpRequest, visit: Visit) -> HttpResponse:
    """Ask first; then everything goes at once and the link is dead."""
    if request.method == "GET":
        context = {"visit": visit, "on_hold": visit.basis.on_legal_hold()}
        return render(request, "privacy/privacy_erase.html", context)
    answered = services.erase_at_own_request(visit.talent)
    if answered.status == DataSubjectRequest.Status.DONE:
        return redirect(reverse("privacy:privacy-goodbye") + f"?lang={visit.language}")
    messages.info(
        request,
        _(
            "We have received your request. Part of your data must be kept for legal reasons "
            "for now; we will answer you within one month."
        ),
    )
    return redirect(visit.url())


@never_cache
@require_GET
def privacy_goodbye(request: HttpRequest) -> HttpResponse:
    _use_language(request)
    return render(request, "privacy/privacy_goodbye.html")
