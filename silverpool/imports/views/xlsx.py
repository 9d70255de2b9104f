"""The one way the imports app hands out an xlsx it writes (export, template, report)."""

import tempfile
from collections.abc import Callable
from typing import IO

from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(write: Callable[[IO[bytes]], None], filename: str) -> FileResponse:
    """`write` fills a workbook into a file, sent as `filename`. A zip cannot be streamed
    as it is built: it is written to a temporary file first, which FileResponse closes
    once sent."""
    out = tempfile.TemporaryFile()  # noqa: SIM115
    write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
