"""The public form pages: no login, no cookies needed (they may run in another site's
iframe), guarded by a signed token, the Origin header, a honeypot and rate limits."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ...accounts.throttling import UNKNOWN_ADDRESS, client_address
from ...talents.models import Talent
from .. import services
from ..forms.public import PublicForm
from ..models import Form, offered_languages
from .framing import apply_page_policy, branding_context

CAMPAIGN_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "ref",
)
# In their own language, so that someone who cannot read the page's finds theirs.


def _language(request: HttpRequest, form: Form) -> str:
    """The form's language the visitor asked for (?lang=), else their browser's, else the
    form's first."""
    offered: list[str] = form.languages or ["de", "en"]
    wanted = request.GET.get("lang") or request.POST.get("lang") or ""
    if wanted in offered:
        return str(wanted)
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = accepted.split("-")[0].lower()
        if primary in offered:
            return primary
    return offered[0]


def _campaign(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {
        name: source[name][:200] for name in CAMPAIGN_PARAMETERS if source.get(name, "").strip()
    }


def _is_embedded(request: HttpRequest) -> bool:
    return (request.POST.get("embed") or request.GET.get("embed")) == "1"


def _page(
    request: HttpRequest,
    form: Form,
    public: PublicForm | None,
    *,
    language: str,
    status: int = 200,
    problem: str = "",
    template: str = "webforms/public/form.html",
    preview: bool = False,
) -> HttpResponse:
    context = {
        "form_obj": form,
        "public": public,
        "language": language,
        "languages": offered_languages(form),
        "embed": _is_embedded(request),
        "campaign": _campaign(request),
        "problem": problem,
        "action": request.path,
        "preview": preview,
        **branding_context(),
    }
    response = render(request, template, context, status=status)
    # LocaleMiddleware would name the browser's language, which the page may not be in.
    response["Content-Language"] = language
    return apply_page_policy(response, form, preview=preview)


def _thanks_url(form: Form, request: HttpRequest, language: str) -> str:
    query = {"lang": language}
    if _is_embedded(request):
        query["embed"] = "1"
    return reverse("webforms:thanks", args=[form.public_id]) + "?" + urlencode(query)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, public_id: str) -> HttpResponse:
    form = get_object_or_404(Form, public_id=public_id)
    language = _language(request, form)
    with translation.override(language):
        if not form.is_active:
            return _page(request, form, None, language=language, status=410)
        if form.kind == Form.Kind.FOLLOW_UP:
            # It shows a talent's data: only through the personal link in their email.
            return _page(request, form, None, language=language, status=404)
        if request.method != "POST":
            token = services.form_token(form)
            return _page(request, form, PublicForm(form=form, token=token), language=language)
        return _receive(request, form, language, talent=None)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_up_page(request: HttpRequest, public_id: str, link: str) -> HttpResponse:
    form = get_object_or_404(Form, public_id=public_id)
    language = _language(request, form)
    with translation.override(language):
        try:
            talent = services.talent_for_link(form, link)
        except services.LinkProblem as problem:
            message = (
                _("This link has expired. Please ask us for a new one.")
                if problem.expired
                else _("This link is not valid. Please use the complete link from your email.")
            )
            return _page(
                request,
                form,
                None,
                language=language,
                status=410 if problem.expired else 400,
                problem=message,
                template="webforms/public/problem.html",
            )
        if not form.is_active:
            return _page(request, form, None, language=language, status=410)
        if request.method != "POST":
            token = services.form_token(form)
            public = PublicForm(form=form, talent=talent, token=token)
            return _page(request, form, public, language=language)
        return _receive(request, form, language, talent=talent)


def _receive(
    request: HttpRequest, form: Form, language: str, *, talent: Talent | None
) -> HttpResponse:
    if not services.same_origin(request.headers.get("Origin"), _host_origin(request)):
        return _page(
            request,
            form,
            None,
            language=language,
            status=403,
            problem=_("This form can only be sent from its own page."),
            template="webforms/public/problem.html",
        )
    public = PublicForm(request.POST, request.FILES, form=form, talent=talent)
    if public.is_bot():
        # Looks like success, so a bot learns nothing; nothing is stored.
        return HttpResponseRedirect(_thanks_url(form, request, language), status=303)
    try:
        age = services.token_age(form, request.POST.get("form_token", ""))
    except services.TokenProblem as problem:
        message = (
            _("This page was open for a long time. Please check your entries and send again.")
            if problem.expired
            else _("The form could not be read. Please reload the page and send it again.")
        )
        return _send_again(request, public, language, message)
    if services.too_fast(age):
        message = _("Please take a moment to check your entries, then send the form again.")
        return _send_again(request, public, language, message)
    if not public.is_valid():
        return _page(request, form, public, language=language)
    address = client_address(request)
    # Only complete forms count: a candidate correcting mistakes is not held up.
    try:
        services.count_submission(form, address)
    except services.RateLimited as limited:
        message = _retry_message(limited.retry_after)
        response = _send_again(request, public, language, message, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    entry = public.entry(
        campaign=_campaign(request),
        # The consent proof names no address rather than a made-up one.
        ip_address=None if address == UNKNOWN_ADDRESS else address,
        user_agent=request.headers.get("User-Agent", ""),
    )
    try:
        if talent is None:
            services.submit_form(form, entry)
        else:
            services.submit_follow_up(form, talent, entry)
    except ValidationError as error:
        public.add_service_errors(error)
        return _page(request, form, public, language=language)
    except IntegrityError:
        # The same page sent twice at the same moment: the other request stored it.
        if services.sent_before(entry) is None:
            raise
    if form.redirect_url and not _is_embedded(request):
        return HttpResponseRedirect(form.redirect_url, status=303)
    return HttpResponseRedirect(_thanks_url(form, request, language), status=303)


def _send_again(
    request: HttpRequest, public: PublicForm, language: str, message: str, *, status: int = 400
) -> HttpResponse:
    """The page again with what was typed and a new token, so the next send goes through."""
    # A QueryDict again: unpacking the posted one into a dict would make each value a list.
    data = QueryDict(mutable=True)
    data.update(public.data)
    data["form_token"] = services.form_token(public.form)
    if request.FILES:
        # No browser lets a page fill in a file input.
        message = " ".join([message, _("Please choose your file again.")])
    fresh = PublicForm(data, form=public.form, talent=public.talent)
    return _page(request, public.form, fresh, language=language, status=status, problem=message)


def _retry_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext(
        "Many forms were sent in the last few minutes. Please try again in %(minutes)s minute.",
        "Many forms were sent in the last few minutes. Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def _host_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_http_methods(["GET"])
def thanks_page(request: HttpRequest, public_id: str) -> HttpResponse:
    form = get_object_or_404(Form, public_id=public_id)
    language = _language(request, form)
    with translation.override(language):
        return _page(request, form, None, language=language, template="webforms/public/thanks.html")


def preview(request: HttpRequest, form: Form, language: str) -> HttpResponse:
    """The form as candidates will see it, for the builder's live preview (never sent).

    Builder pages may show it in their own iframe; no other site may."""
    with translation.override(language):
        return _page(
            request, form, PublicForm(form=form, token=""), language=language, preview=True
        )
