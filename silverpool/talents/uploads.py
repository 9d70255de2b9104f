"""Upload size limit. Django has none, and neither gunicorn nor granian enforce one."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import Resolver404, resolve


def upload_limit(path: str) -> int:
    """The most bytes an upload to `path` may have: spreadsheets for the import (a
    100,000-row CSV is about 20 MB) may be larger than documents."""
    try:
        namespace = resolve(path).namespace
    except Resolver404:
        namespace = ""
    return (
        settings.IMPORT_MAX_UPLOAD_BYTES if namespace == "imports" else settings.DOCUMENT_MAX_BYTES
    )


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams uploads to a temporary file but stops writing past the limit of the page
    (upload_limit; it is chosen here because CSRF checking reads the body before a view).

    The parser still reports the full size, so validation can say how large the file was
    while disk and memory stay bounded.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        path = self.request.path_info if self.request is not None else ""
        if start + len(raw_data) > upload_limit(path):
            return None
        return super().receive_data_chunk(raw_data, start)
