"""The import template: an empty workbook whose headers the column mapping recognises, in
the language of whoever downloads it, with a column for each custom field."""

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..talents.models import CustomField
from .headers import Target, TargetField
from .sheets import write_header


def template_columns() -> list[tuple[str, Target]]:
    """Each header of the template with the target the mapping suggests for it."""
    builtin = [
        (_("First name"), TargetField.FIRST_NAME),
        (_("Last name"), TargetField.LAST_NAME),
        (_("Email"), TargetField.EMAIL),
        (_("Phone"), TargetField.PHONE),
        (_("Postcode"), TargetField.POSTCODE),
        (_("City"), TargetField.CITY),
        (_("Country"), TargetField.COUNTRY),
        (_("Job title"), TargetField.JOB_TITLE),
        (_("Skills"), TargetField.SKILLS),
        (_("LinkedIn"), TargetField.LINKEDIN_URL),
        (_("Website"), TargetField.PROFILE_URLS),
        (_("Salary expectation"), TargetField.SALARY),
        (_("Available from"), TargetField.AVAILABLE_FROM),
        (_("Source"), TargetField.SOURCE_LABEL),
        (_("Tags"), TargetField.TAGS),
        (_("Notes"), TargetField.NOTE),
    ]
    columns = [(header, Target(field)) for header, field in builtin]
    columns += [
        (field.label, Target(TargetField.CUSTOM, field.key)) for field in CustomField.objects.all()
    ]
    return columns


def write_template(out: IO[bytes]) -> None:
    """The template as xlsx: one sheet, a header row, nothing else; postcodes and phone
    numbers formatted as text, so that a 0 in front stays (01069, 0151 …)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Talents"))
    columns = template_columns()
    headers = [header for header, _target in columns]
    text = [
        index
        for index, (_header, target) in enumerate(columns)
        if target.field in (TargetField.POSTCODE, TargetField.PHONE)
    ]
    widths = [max(14, len(header) + 4) for header in headers]
    write_header(sheet, headers, widths, text_columns=text)
    workbook.save(out)
