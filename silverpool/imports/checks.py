"""System checks (`manage.py check`) for what importing uploaded files needs."""

from typing import Any

import openpyxl
from django.core.checks import CheckMessage, Error


def check_defusedxml(**kwargs: Any) -> list[CheckMessage]:
    # Workbooks are XML inside a zip. calamine expands no entities, but openpyxl parses with
    # the standard library (open to billion-laughs and external entities) unless defusedxml
    # is installed and OPENPYXL_DEFUSEDXML is not "False"; rather not start than risk it.
    if openpyxl.DEFUSEDXML:
        return []
    return [
        Error(
            "openpyxl does not parse XML through defusedxml: uploaded spreadsheets could "
            "carry XML entity attacks.",
            hint=(
                "Install the locked dependencies (uv sync), which include defusedxml, and "
                "unset OPENPYXL_DEFUSEDXML."
            ),
            id="imports.E001",
        )
    ]
