"""`{% privacy_panel %}`: the privacy panel on the talent page, so that the talents app
needs one line in its template and nothing in its views."""

from typing import Any

from django import template
from django.template.context import Context

from ..views.talent_panel import panel_context

register = template.Library()


@register.inclusion_tag("privacy/talent_panel.html", takes_context=True)
def privacy_panel(context: Context) -> dict[str, Any]:
    """The panel for the page's `talent` and user; `recorded_form` in the page's context
    is a refused form to show again with its errors."""
    request = context["request"]
    return {
        **panel_context(request.user, context["talent"], form=context.get("recorded_form")),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "oob": context.get("oob", False),
    }
