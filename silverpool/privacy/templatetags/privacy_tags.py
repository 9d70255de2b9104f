"""Template helpers of the privacy app: the menu's overdue warning, audit details."""

from typing import Any

from django import template

from ..services.dsr import overdue_count

register = template.Library()


@register.simple_tag
def overdue_request_count() -> int:
    """Open data-subject requests past their due date, for the badge on the menu link."""
    return overdue_count()


@register.filter
def audit_value(value: Any) -> str:
    """An audit detail as a person reads it: lists comma-separated, not Python's repr."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)
