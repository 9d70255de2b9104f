"""Documents (CVs and the like) on the talent detail page: upload, download and delete."""

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from ...privacy.services import audit_view
from .. import services
from .detail import confirm, done, fragments, is_htmx


@login_required
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to upload."))
        document = services.add_document(talent, upload, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if is_htmx(request):
            return fragments(request, talent, "documents", status=422, document_error=error)
        messages.error(request, error)
        return done(request, talent, "documents")
    messages.success(request, _("%(name)s uploaded.") % {"name": document.original_name})
    return done(request, talent, "documents")


def attachment_disposition(name: str) -> str:
    """Content-Disposition for a download (RFC 6266): an ASCII fallback plus filename*."""
    fallback = re.sub(r'[^\x20-\x7e]|["\\%]', "_", name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
def document_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Serve a document as a download that the browser never renders or runs."""
    document = services.get_document_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    audit_view(request.user, document.talent_id, what="document")
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = attachment_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    document = services.get_document_for(request.user, pk, write=True)
    talent = document.talent
    if request.method == "GET":
        return confirm(
            request,
            title=_("Delete document"),
            question=_("Delete %(file)s from %(name)s?")
            % {"file": document.original_name, "name": talent.full_name},
            action=reverse("talents:document-delete", args=[pk]),
            back=reverse("talents:talent-detail", args=[talent.pk]) + "#documents",
        )
    services.delete_document(document, actor=request.user)
    messages.success(request, _("%(file)s deleted.") % {"file": document.original_name})
    return done(request, talent, "documents")
