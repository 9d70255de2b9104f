"""What a document is: its type by content (never by name) and its text, read safely.

Text is read in a child process with memory and CPU limits, because PDF and office
parsers keep shipping fixes for inputs that exhaust them (reliability-security.md §1.3).
"""

import json
import resource
import subprocess
import sys
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", ODT: "odt"}

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_TEXT_CHARS = 200_000
CHILD_MEMORY_BYTES = 512 * 1024 * 1024
CHILD_CPU_SECONDS = 20


def detect_type(stream: IO[bytes], size: int) -> str:
    """Return the document's MIME type by its content, or raise a ValidationError."""
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB are allowed.")
            % {
                "size": f"{size / 1048576:.1f}",
                "max": settings.DOCUMENT_MAX_BYTES // 1048576,
            }
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(stream)
    raise ValidationError(_("Only PDF, Word (.docx) and OpenDocument (.odt) files are accepted."))


def _office_type(stream: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            # Budget by declared sizes before any parser unpacks (zip bombs).
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The document unpacks to too much data."))
            names = {i.filename for i in infos}
            if "word/document.xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise ValidationError(_("Documents with macros are not accepted."))
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("The file is damaged and cannot be opened.")) from exc
    finally:
        stream.seek(0)
    raise ValidationError(_("Only PDF, Word (.docx) and OpenDocument (.odt) files are accepted."))


def _limit_child() -> None:  # pragma: no cover - runs in the child process
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))


def extract_text(path: str, content_type: str) -> str | None:
    """The document's text, or None when it could not be read within the limits."""
    try:
        completed = subprocess.run(  # noqa: S603 - fixed interpreter and module
            [sys.executable, "-m", "silverpool.talents.textextract", content_type, path],
            capture_output=True,
            timeout=CHILD_CPU_SECONDS * 2,
            preexec_fn=_limit_child,  # noqa: PLW1509
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if completed.returncode != 0:
        return None
    text: str = json.loads(completed.stdout)["text"]
    return text[:MAX_TEXT_CHARS]
