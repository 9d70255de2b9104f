"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from pydantic.json_schema import models_json_schema

from .accounts.api import SessionAuth, TokenAuth, docs_login_required

logger = logging.getLogger(__name__)

# Where ninja puts a request value that failed validation; the first part of `loc`.
PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "throttled",
}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """Every error the API answers: `fields` names each invalid input field."""

    error: ErrorDetail


class SilverpoolAPI(NinjaAPI):
    """NinjaAPI with short operation ids, documented errors, JSON 404s and no caching."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _, defs = models_json_schema(
            [(ErrorOut, "serialization")], ref_template="#/components/schemas/{model}"
        )
        schema["components"].setdefault("schemas", {}).update(defs["$defs"])
        for path, methods in schema["paths"].items():
            for operation in methods.values():
                _document_errors(operation, has_path_params="{" in path)
        return schema

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # Answers hold candidates' personal data: no cache may keep them (ASVS 14.3.2).
        response["Cache-Control"] = "no-store"
        return response

    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        response = super().create_temporal_response(request)
        response["Cache-Control"] = "no-store"
        return response

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                # ninja's root view only tells Django where the API lives; it raises an HTML 404.
                view = unknown_path if url.name == "api-root" else _json_405(url.callback)
                url = URLPattern(url.pattern, view, url.default_args, url.name)
            urls.append(url)
        # Unknown paths under /api/v1/ answer in the error shape too, not Django's HTML 404.
        return [*urls, re_path(r"^.*$", unknown_path)]


def _json_405(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The view, but a wrong method gets the error shape instead of ninja's plain-text 405."""

    # Our endpoints are all sync, and so is ninja's view for a path of sync operations.
    @functools.wraps(view)
    def view_with_json_405(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",")))
        message = gettext("%(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        answer = error(request, 405, message)
        answer["Allow"] = allowed
        return answer

    return view_with_json_405


def _document_errors(operation: dict[str, Any], *, has_path_params: bool) -> None:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    codes = {
        401: "Missing, invalid or revoked API token, and no session.",
        403: "Your role may not do this, or a session request lacks the CSRF token.",
        422: "Invalid input; `error.fields` names each invalid field.",
    }
    if has_path_params:
        codes[404] = "No such object, or you may not see it."
    if "requestBody" in operation:
        codes[400] = "The body is not valid JSON."
    for code, description in codes.items():
        operation["responses"].setdefault(code, {"description": description, **error})


api = SilverpoolAPI(
    title="Silverpool API",
    version="1",
    description=(
        "Talents, pools, tags, notes and timelines. Authenticate with a personal API token "
        "(`Authorization: Bearer sp_…`, created under *API tokens*) or, from the browser, "
        "the session cookie plus the CSRF token (`X-CSRFToken` header). Every error has the "
        'shape `{"error": {"code": …, "message": …, "fields": {…}}}`; on a 422 `fields` '
        "names each invalid input field. Lists are paginated (`page`, `page_size` ≤ 200) and "
        "give the `total`. Talent statuses are referred to by their `key` (see `/statuses`)."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=docs_login_required,
)


def error(
    request: HttpRequest,
    status: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = {
        "error": {
            "code": ERROR_CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }
    return api.create_response(request, body, status=status)


def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error(request, 404, gettext("There is no such API endpoint."))


def _field_name(loc: tuple[Any, ...] | list[Any]) -> tuple[str, str]:
    """The input field an error belongs to, and where inside it (for lists and objects)."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in PARAM_SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts:
            parts = parts[1:]  # the name of the view's body parameter, not a field
    if not parts:
        return "request", ""
    return parts[0], ".".join(parts[1:])


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        name, inner = _field_name(item.get("loc", ()))
        message = str(item.get("msg", gettext("Invalid value."))).removeprefix("Value error, ")
        fields.setdefault(name, []).append(f"{inner}: {message}" if inner else message)
    return error(request, 422, gettext("Some fields are invalid."), fields)


@api.exception_handler(ValidationError)
def on_domain_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
    return error(request, 422, gettext("Some fields are invalid."), fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, str(exc) or gettext("Not found."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, str(exc) or gettext("You may not do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, gettext("Send a valid API token or log in."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by ninja itself: an unreadable body (400) or a failed CSRF check (403).
    message = str(exc)
    if exc.status_code == 403 and "CSRF" in message:
        message = gettext("CSRF check failed: send the X-CSRFToken header with the session cookie.")
    return error(request, exc.status_code, message)


@api.exception_handler(Exception)
def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("api_error path=%s", request.path)
    return error(request, 500, gettext("Something went wrong on our side."))


api.add_router("/", "silverpool.talents.api.router")
api.add_router("/", "silverpool.privacy.api.router")
