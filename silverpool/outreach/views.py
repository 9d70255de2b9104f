"""The "Email templates" pages: admins word the emails Silverpool sends. Admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts.http import AuthedRequest
from ..talents.services import require_admin
from . import services
from .defaults import PLACEHOLDERS, TEMPLATES, Text
from .forms import EmailTemplateForm
from .models import Language


def _row(key: str, language: str) -> services.TemplateRow:
    if key not in TEMPLATES or language not in Language.values:
        raise Http404(_("No such email template."))
    return services.template_row(key, language)


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    return render(request, "outreach/template_list.html", {"rows": services.template_rows()})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, key: str, language: str) -> HttpResponse:
    """Edit one template; a POST with `preview` (the htmx live preview, or the Preview
    button without JavaScript) renders it with sample values instead of saving."""
    require_admin(request.user)
    row = _row(key, language)
    text = row.text
    form = EmailTemplateForm(
        request.POST or None, initial={"subject": text.subject, "body": text.body}
    )
    previewing = "preview" in request.POST
    if request.method == "POST":
        # The preview shows what was typed, even while the form has errors.
        text = Text(subject=request.POST.get("subject", ""), body=request.POST.get("body", ""))
        if not previewing and form.is_valid():
            try:
                services.save_template(key, language, **form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Email template saved."))
                return redirect("outreach:template-list")
    context = {
        "row": row,
        "form": form,
        "language_name": Language(language).label,
        "placeholders": {name: PLACEHOLDERS[name] for name in row.template.placeholders},
        "preview": None,
        "preview_errors": [],
    }
    try:
        context["preview"] = services.preview_email(key, text.subject, text.body, language)
    except ValidationError as exc:
        context["preview_errors"] = exc.messages
    if previewing and request.htmx and not request.htmx.boosted:
        return render(request, "outreach/template_form.html#preview", context)
    return render(request, "outreach/template_form.html", context)


@login_required
@require_POST
def template_reset(request: AuthedRequest, key: str, language: str) -> HttpResponse:
    require_admin(request.user)
    _row(key, language)
    if services.reset_template(key, language):
        messages.success(request, _("The email template is back to the shipped text."))
    return redirect("outreach:template-edit", key, language)
