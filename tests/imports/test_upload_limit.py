"""Spreadsheets have their own upload limit, larger than documents'."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from silverpool.imports.models import ImportJob
from silverpool.talents.uploads import upload_limit

pytestmark = pytest.mark.django_db


def csv_file(size: int) -> SimpleUploadedFile:
    header = b"Vorname;Nachname;E-Mail\n"
    row = b"Anna;Berg;anna@example.com\n"
    body = header + row * ((size - len(header)) // len(row) + 1)
    return SimpleUploadedFile("kandidaten.csv", body, content_type="text/csv")


def test_the_import_page_takes_spreadsheets_larger_than_documents(
    recruiter_client: Client, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 2048
    settings.IMPORT_MAX_UPLOAD_BYTES = 50_000

    response = recruiter_client.post(reverse("imports:import-upload"), {"file": csv_file(10_000)})

    assert response.status_code == 302
    assert ImportJob.objects.count() == 1


def test_a_spreadsheet_over_the_import_limit_is_refused_with_the_limit(
    recruiter_client: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    too_large = csv_file(5 * 1024 * 1024 + 1)

    response = recruiter_client.post(reverse("imports:import-upload"), {"file": too_large})

    assert "The file is larger than 5 MB; split it into smaller files." in response.text
    assert not ImportJob.objects.exists()


def test_documents_keep_their_own_limit(settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 2048
    settings.IMPORT_MAX_UPLOAD_BYTES = 50_000

    assert upload_limit(reverse("imports:import-upload")) == 50_000
    assert upload_limit("/talents/1/documents/") == 2048
    assert upload_limit("/no/such/page/") == 2048
