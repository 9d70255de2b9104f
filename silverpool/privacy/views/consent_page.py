"""The consent page: a talent answers a consent request through the signed link in the
email, without an account. One unticked box per purpose, the current text of each in
German or English (`?lang=`), "Save my choice" and "No thanks — delete my data".

A tampered link, an expired one, or one already answered shows a clear page and changes
nothing; submitting twice records once. The form is a plain POST with Django's CSRF
token (the GET sets the cookie), so the page needs no JavaScript and no inline script
under the site's CSP.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import links
from ..models import ConsentRequest, ConsentText, LegalBasis, Purpose
from ..services.policy import LANGUAGES, current_texts, get_policy
from ..services.requests import Answer, RequestState, answer_consent_request, request_state

TEMPLATE = "privacy/consent_page.html"
STATUS = {
    RequestState.OPEN: 200,
    RequestState.ANSWERED: 200,
    RequestState.EXPIRED: 410,
    RequestState.GONE: 404,
}


@dataclass(frozen=True)
class Choice:
    """One purpose on the page: its current text, or what the talent chose."""

    key: str
    name: str
    text: ConsentText | None
    given: bool


def _language(request: HttpRequest, consent_request: ConsentRequest | None) -> str:
    """`?lang=` if the talent switched, else the request's language, else the browser's."""
    chosen = request.GET.get("lang") or request.POST.get("lang", "")
    if chosen not in LANGUAGES:
        chosen = consent_request.language if consent_request else request.LANGUAGE_CODE[:2]
    return chosen if chosen in LANGUAGES else "en"


def _choices(basis: LegalBasis, language: str) -> list[Choice]:
    texts = current_texts(language)
    return [
        Choice(
            purpose.key,
            purpose.name(language),
            texts.get(purpose.key),
            purpose.key in basis.purposes,
        )
        for purpose in Purpose.objects.all()
        if purpose.key in texts
    ]


def _page(
    request: HttpRequest,
    consent_request: ConsentRequest | None,
    state: RequestState,
    language: str,
    *,
    texts_changed: bool = False,
) -> HttpResponse:
    context = {
        "state": state,
        "language": language,
        "policy": get_policy(),
        "consent_request": consent_request,
        "texts_changed": texts_changed,
    }
    if consent_request is not None and state != RequestState.GONE:
        basis = consent_request.talent.legal_basis
        context |= {"basis": basis, "choices": _choices(basis, language)}
    status = 409 if texts_changed else STATUS[state]
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, token: str) -> HttpResponse:
    consent_request = links.request_for_consent_token(token)
    language = _language(request, consent_request)
    with translation.override(language):
        if consent_request is None:
            response = _page(request, None, RequestState.GONE, language)
        elif request.method == "POST":
            response = _answer(request, consent_request, token, language)
        else:
            state = request_state(consent_request, now=timezone.now())
            response = _page(request, consent_request, state, language)
    response["Content-Language"] = language
    # The link is the talent's key: never sent on to another site, never indexed. Not
    # "no-referrer": browsers then send `Origin: null` with the form, and CSRF refuses it.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(
    request: HttpRequest, consent_request: ConsentRequest, token: str, language: str
) -> HttpResponse:
    answer = answer_consent_request(
        consent_request,
        given=[] if "decline" in request.POST else request.POST.getlist("given"),
        language=language,
        shown_texts=[int(pk) for pk in request.POST.getlist("text") if pk.isdigit()],
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("user-agent", ""),
    )
    if answer == Answer.TEXTS_CHANGED:
        state = request_state(consent_request, now=timezone.now())
        return _page(request, consent_request, state, language, texts_changed=True)
    if answer == Answer.SAVED:
        messages.success(request, _("Thank you. Your choice is saved."))
    # Saved, or not open (answered before, expired): the page shows where things stand.
    return redirect(reverse("privacy:consent-page", args=[token]) + f"?lang={language}")
