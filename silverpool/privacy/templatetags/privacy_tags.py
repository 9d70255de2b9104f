"""Template helpers of the privacy app used on every page: the menu's overdue warning."""

from django import template

from ..services.dsr import overdue_count

register = template.Library()


@register.simple_tag
def overdue_request_count() -> int:
    """Open data-subject requests past their due date, for the badge on the menu link."""
    return overdue_count()
