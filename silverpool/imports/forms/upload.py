"""The upload form of the imports page."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# What the file picker offers; the file's content decides how it is read, never its name.
ACCEPT = (
    ".xlsx,.xlsm,.xls,.ods,.csv,.tsv,.txt,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.ms-excel.sheet.macroEnabled.12,application/vnd.ms-excel,"
    "application/vnd.oasis.opendocument.spreadsheet,text/csv,text/tab-separated-values"
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV/TSV."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # The upload handler stops writing past this size: what arrived is cut short.
        if (upload.size or 0) > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB; split it into smaller files.")
                % {"max": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
