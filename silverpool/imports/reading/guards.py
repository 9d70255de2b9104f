"""What a file is, judged by its content, and the checks a workbook passes before any parser
sees it."""

import enum
import zipfile
import zlib
from pathlib import Path

from django.conf import settings

from .errors import (
    CORRUPT,
    EMPTY,
    NOT_A_SPREADSHEET,
    PASSWORD_PROTECTED,
    SUSPICIOUS_COMPRESSION,
    TOO_LARGE_UNPACKED,
    UnreadableFile,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_ENTRY_BYTES = 128
# The streams that tell what an OLE2 container holds, as its directory names them.
OLE2_STREAMS = {
    name: f"{name}\0".encode("utf-16-le")
    for name in ("Root Entry", "Workbook", "Book", "EncryptedPackage")
}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Formats that are plainly not spreadsheets, even though some of them look like text.
OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"\x1f\x8b", b"Rar!", b"7z")
# Compression ratios are only judged for parts this big: tiny parts compress oddly well.
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 1024 * 1024


class Kind(enum.Enum):
    WORKBOOK = "workbook"  # xlsx, xlsm, ods (a zip) or xls (an OLE2 container) for calamine
    TEXT = "text"  # csv, tsv or anything else that may be delimited text


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(8)


def is_workbook(path: Path) -> bool:
    """Whether the file is a workbook (a zip or OLE2 container), judged by its first bytes
    alone: calamine loads a workbook's sheet whole, and a small one can unpack into far
    more memory than its size (one long shared string in many cells), so a workbook is
    opened in a process of its own with a memory limit (imports/apart.py); a text file is
    read a record at a time."""
    return _head(path).startswith((OLE2_MAGIC, b"PK"))


def detect_kind(path: Path) -> Kind:
    """Sort the file by its first bytes; refuses empty and non-spreadsheet files."""
    head = _head(path)
    if not head.strip():
        # Blank lines only are as empty as zero bytes; checked precisely once the rows are read.
        if path.stat().st_size <= len(head):
            raise UnreadableFile(EMPTY)
        return Kind.TEXT
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind(path)
    if head.startswith(b"PK"):
        check_workbook_zip(path)
        return Kind.WORKBOOK
    if head.startswith(OTHER_MAGIC):
        raise UnreadableFile(NOT_A_SPREADSHEET)
    return Kind.TEXT


def _ole2_kind(path: Path) -> Kind:
    """An OLE2 container, the format of Office files before 2007 and the envelope of an
    encrypted xlsx, sorted by the streams its directory lists: a workbook ("Workbook",
    "Book" in Excel 5), an encrypted Office file ("EncryptedPackage", which calamine cannot
    open), or another Office file (a Word .doc, an Outlook .msg); without a directory
    ("Root Entry", its first entry), a damaged one. A directory entry starts at a multiple
    of 128 bytes with its name in UTF-16."""
    found: set[str] = set()
    with path.open("rb") as file:
        offset = 0
        # Chunks of a multiple of 128 bytes: no entry's name is split between two.
        while chunk := file.read(CHUNK_BYTES):
            for name, pattern in OLE2_STREAMS.items():
                start = chunk.find(pattern)
                while start != -1 and (offset + start) % OLE2_ENTRY_BYTES:
                    start = chunk.find(pattern, start + 1)
                if start != -1:
                    found.add(name)
            offset += len(chunk)
    if "EncryptedPackage" in found:
        raise UnreadableFile(PASSWORD_PROTECTED)
    if found & {"Workbook", "Book"}:
        return Kind.WORKBOOK
    raise UnreadableFile(NOT_A_SPREADSHEET if "Root Entry" in found else CORRUPT)


def check_workbook_zip(path: Path) -> None:
    """Refuse a zip that is no xlsx/ods, is damaged, or unpacks to too much (a zip bomb).

    The declared sizes are checked first, then every part is unpacked once in chunks: zipfile
    stops at the declared size and checks the CRC, so a part that lies about its size is
    caught here rather than inside the parser, and memory stays at one chunk.
    """
    limit_mb: int = settings.IMPORT_MAX_UNCOMPRESSED_MB
    max_ratio: int = settings.IMPORT_MAX_COMPRESSION_RATIO
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            is_xlsx = "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
            if not (is_xlsx or "mimetype" in names):
                raise UnreadableFile(NOT_A_SPREADSHEET)
            if sum(member.file_size for member in members) > limit_mb * 1024 * 1024:
                raise UnreadableFile(TOO_LARGE_UNPACKED, limit=limit_mb)
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
                    raise UnreadableFile(SUSPICIOUS_COMPRESSION)
            # Read only now that it is known to be small; an .odt or .odp is no spreadsheet.
            if not is_xlsx and archive.read("mimetype").strip() != ODS_MIMETYPE:
                raise UnreadableFile(NOT_A_SPREADSHEET)
            for member in members:
                with archive.open(member) as part:
                    while part.read(CHUNK_BYTES):
                        pass
    except RuntimeError as error:
        # zipfile's way of saying a part is encrypted (a zip password, not Office's).
        raise UnreadableFile(PASSWORD_PROTECTED) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        # NotImplementedError: a compression method zipfile lacks, which no spreadsheet uses.
        raise UnreadableFile(CORRUPT) from error
