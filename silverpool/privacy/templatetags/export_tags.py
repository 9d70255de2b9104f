"""Template helpers of the data copy: the export dict keeps dates as ISO 8601 text and
field values as stored; these make them readable in the reader's language."""

import datetime
from typing import Any

from django import template
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ...talents.templatetags.talent_tags import display_value
from ..services.export import RECRUITER, TALENT

register = template.Library()


@register.filter
def isodate(value: str | None) -> datetime.date | None:
    """`{{ item.date|isodate|date:"DATETIME_FORMAT" }}`: ISO text back to a date or moment."""
    if not value:
        return None
    return parse_datetime(value) if "T" in value else parse_date(value)


@register.filter
def field_text(value: Any, name: str) -> str:
    """A profile value as the profile page shows it (country name, formatted phone…)."""
    return display_value(name, value)


@register.filter
def actor_text(actor: str) -> str:
    """Who acted, in the talent's own copy."""
    if actor == RECRUITER:
        return _("A recruiter")
    if actor == TALENT:
        return _("You")
    return _("Silverpool (automatically)")
