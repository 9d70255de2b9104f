"""The public pages' security policy (which sites may frame them, where they may send a
form) and the branding they wear.

Everything of Silverpool is unframeable (X-Frame-Options DENY, frame-ancestors 'none');
a public form page lets exactly the sites listed on its form frame it.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from ..models import Branding, Form

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def apply_page_policy(response: HttpResponse, form: Form, *, preview: bool = False) -> HttpResponse:
    """A public page's Content-Security-Policy: framed only by the form's sites (its preview
    only by the builder), and the form sent only to Silverpool, then on to its redirect."""
    policy = {**settings.SECURE_CSP}
    if form.redirect_url:
        # Browsers hold the redirect that follows a post to form-action as well.
        parts = urlsplit(form.redirect_url)
        host = parts.netloc.rpartition("@")[2]
        policy["form-action"] = [CSP.SELF, f"{parts.scheme}://{host}"]
    if preview:
        policy["frame-ancestors"] = [CSP.SELF]
        response["X-Frame-Options"] = "SAMEORIGIN"
    elif form.allowed_origins:
        policy["frame-ancestors"] = list(form.allowed_origins)
        # frame-ancestors decides; X-Frame-Options cannot name several sites.
        response.xframe_options_exempt = True
    response._csp_config = policy  # type: ignore[attr-defined]
    return response


def branding() -> Branding:
    return Branding.objects.first() or Branding()


def branding_context() -> dict[str, object]:
    brand = branding()
    version = int(brand.updated_at.timestamp()) if brand.updated_at else 0
    return {"brand": brand, "brand_version": version}


@require_GET
def brand_css(request: HttpRequest) -> HttpResponse:
    """The brand colour as a style sheet: the pages' CSP allows no inline styles."""
    colour = branding().colour
    if not COLOUR.fullmatch(colour):
        colour = Branding._meta.get_field("colour").get_default()
    css = f":root {{ --brand: {colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def brand_logo(request: HttpRequest) -> FileResponse:
    brand = branding()
    if not brand.logo:
        raise Http404
    try:
        logo = brand.logo.open("rb")
    except FileNotFoundError as exc:
        # The row outlived its file (a restored database, a lost volume): no logo then.
        raise Http404 from exc
    response = FileResponse(logo, content_type=brand.logo_type)
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Last-Modified"] = http_date(brand.updated_at.timestamp())
    return response
