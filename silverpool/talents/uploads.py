"""Upload size limit. Django has none, and neither gunicorn nor granian enforce one."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams uploads to a temporary file but stops writing past DOCUMENT_MAX_BYTES.

    The parser still reports the full size, so validation can say how large the file was
    while disk and memory stay bounded.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            return None
        return super().receive_data_chunk(raw_data, start)
