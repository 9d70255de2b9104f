"""The one exception type a recruiter sees when an upload cannot be read."""

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnreadableFile(Exception):
    """The file cannot be imported; `str()` of it says why, in the active language.

    Like Django's ValidationError it keeps the lazy message and its parameters apart, so that
    a page renders it in the language (and number format) of whoever reads it, not of the
    worker that opened the file.
    """

    def __init__(self, message: str | Promise, **params: int) -> None:
        super().__init__(message, params)
        self.message = message
        self.params = params

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in the reading process of a large import and handed to the writer: pickled
        # by its attributes (its args do not fit __init__).
        return (self.__class__.__new__, (self.__class__,), self.__dict__)

    def __str__(self) -> str:
        if not self.params:
            return str(self.message)
        return str(self.message) % {
            name: number_format(value, force_grouping=True) for name, value in self.params.items()
        }


class TooManyRows(UnreadableFile):
    """The sheet holds more non-blank rows than the configured limit (IMPORT_MAX_ROWS)."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_MANY_ROWS, limit=limit)
        self.limit = limit


NOT_A_SPREADSHEET = _("This is not a spreadsheet (Excel, OpenDocument or CSV).")
PASSWORD_PROTECTED = _(
    "This workbook is password-protected; save it without a password and upload it again."
)
EMPTY = _("The file is empty.")
CORRUPT = _("The file is damaged and cannot be read; open it, save it again and upload it again.")
TOO_LARGE_UNPACKED = _(
    "The workbook unpacks to more than %(limit)s MB; split it into smaller files."
)
SUSPICIOUS_COMPRESSION = _(
    "The workbook is compressed far more than a spreadsheet can be (a possible zip bomb), "
    "so it was not opened."
)
MIXED_ENCODING = _(
    "The text encoding changes partway through the file; save it again as “CSV UTF-8” and "
    "upload it again."
)
NOT_IN_ENCODING = _(
    "The file holds characters the chosen text encoding does not have; choose another one."
)
NOT_OPENED = _(
    "The file could not be opened; it may be too large for this server. Split it into "
    "smaller files and upload them one by one."
)
TOO_MANY_ROWS = _("The file has more than %(limit)s rows; split it into smaller files.")
