"""The import template: an empty workbook whose headers the column mapping recognises, in
the language of whoever downloads it, with a column for each custom field."""

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..talents.models import CustomField
from .headers import Target, TargetField


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
        (_("Notes"), TargetField.NOTE),
    ]
    columns = [(header, Target(field)) for header, field in builtin]
    columns += [
        (field.label, Target(TargetField.CUSTOM, field.key)) for field in CustomField.objects.all()
    ]
    return columns


def write_template(out: IO[bytes]) -> None:
    """The template as xlsx: one sheet, a bold header row, nothing else."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Talents"))
    headers = [header for header, _target in template_columns()]
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    workbook.save(out)
