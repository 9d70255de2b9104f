"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from .accounts.api import TokenAuth, SessionAuth

api = NinjaAPI(
    title="Silverpool API",
    version="1",
    description=(
        "Talents, pools, tags, notes and timelines. Authenticate with a personal API token "
        "(`Authorization: Bearer sp_…`, created under *API tokens*) or, from the browser, "
        "the session cookie plus the CSRF token. Every error has the shape "
        '`{"error": {"code": …, "message": …, "fields": {…}}}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path")]
        fields.setdefault(".".join(loc) or "request", []).append(item.get("msg", "invalid"))
    return error(request, 422, "validation_error", "Some fields are invalid.", fields)


@api.exception_handler(ValidationError)
def on_domain_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
    return error(request, 422, "validation_error", "Some fields are invalid.", fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", "Send a valid API token or log in.")


api.add_router("/", "silverpool.talents.api.router")
