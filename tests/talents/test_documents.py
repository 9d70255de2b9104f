"""Documents on the detail page: upload, text for search, refusals, download, deletion."""

import io
import os
import time
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from odf.opendocument import OpenDocumentText
from odf.text import P

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Document, Event, Talent
from silverpool.talents.search import TalentFilters, filter_talents

from ..conftest import logged_in
from .factories import make_pool, make_talent
from .test_detail_page import HTMX, detail, text_of

Callbacks = Callable[..., AbstractContextManager[Any]]


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text pypdf can read, written by hand."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(text: str) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def upload(client: Client, talent: Talent, name: str, data: bytes, **extra: Any) -> Any:
    return client.post(
        reverse("talents:document-add", args=[talent.pk]),
        {"file": SimpleUploadedFile(name, data)},
        **extra,
    )


def found_by(text: str) -> list[int]:
    return list(
        filter_talents(Talent.objects.all(), TalentFilters(q=text)).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("cv.pdf", minimal_pdf("Kubernetes expert"), "kubernetes"),
        ("cv.docx", docx_bytes("Terraform specialist with Ansible"), "terraform"),
        ("cv.odt", odt_bytes("Haskell enthusiast"), "haskell"),
    ],
)
def test_an_uploaded_cv_makes_the_talent_findable_by_its_text(
    recruiter_client: Client,
    rita: User,
    django_capture_on_commit_callbacks: Callbacks,
    name: str,
    data: bytes,
    word: str,
) -> None:
    talent = make_talent(rita)
    assert found_by(word) == []

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(recruiter_client, talent, name, data, headers=HTMX)

    assert response.status_code == 200
    assert name in response.content.decode()
    document = Document.objects.get(talent=talent)
    assert document.extraction == Document.Extraction.DONE
    assert found_by(word) == [talent.pk]
    page = text_of(detail(recruiter_client, talent))
    assert "Text extracted" in page
    assert f"Rita uploaded {name}" in page


def zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def macro_docx() -> bytes:
    buffer = io.BytesIO(docx_bytes("Nice CV"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small .docx that claims to unpack to more than 100 MB."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as entry,
    ):
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(101):
            entry.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "Only PDF, Word"),
        ("cv.pdf", b"<html><script>alert(1)</script></html>", "Only PDF, Word"),
        ("cv.pdf", b"", "The file is empty."),
        ("cv.docx", b"PK\x03\x04 this is no zip at all", "The file is damaged"),
        ("cv.docx", zip_with({"hello.txt": b"hi"}), "Only PDF, Word"),
        ("cv.docx", macro_docx(), "Documents with macros are not accepted."),
        ("cv.docx", zip_bomb(), "The document unpacks to too much data."),
    ],
    ids=["exe", "html", "empty", "damaged", "other-zip", "macro", "zip-bomb"],
)
def test_a_file_that_is_not_a_plain_document_is_refused_with_a_clear_message(
    recruiter_client: Client, rita: User, name: str, data: bytes, message: str
) -> None:
    talent = make_talent(rita)

    response = upload(recruiter_client, talent, name, data, headers=HTMX)
    plain = upload(recruiter_client, talent, name, data, follow=True)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert message in plain.content.decode()
    assert not Document.objects.exists()
    assert not talent.events.filter(kind=Event.Kind.DOCUMENT_ADDED).exists()


def test_a_file_over_the_size_limit_is_refused(
    recruiter_client: Client, rita: User, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 2048
    talent = make_talent(rita)

    response = upload(recruiter_client, talent, "big.pdf", minimal_pdf("x" * 4000), headers=HTMX)

    assert response.status_code == 422
    assert "are allowed" in response.content.decode()
    assert not Document.objects.exists()


def test_uploading_without_a_file_says_so(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:document-add", args=[talent.pk]), headers=HTMX
    )

    assert response.status_code == 422
    assert "Choose a file to upload." in response.content.decode()


def stored_document(talent: Talent, user: User, name: str = "Lebenslauf Müller.pdf") -> Document:
    return services.add_document(
        talent, SimpleUploadedFile(name, minimal_pdf("Kubernetes expert")), actor=user
    )


def test_a_download_is_an_attachment_the_browser_never_renders(
    viewer_client: Client, rita: User
) -> None:
    talent = make_talent(rita)
    document = stored_document(talent, rita)

    response = viewer_client.get(reverse("talents:document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Lebenslauf_M_ller.pdf"; '
        "filename*=UTF-8''Lebenslauf_M%C3%BCller.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == minimal_pdf("Kubernetes expert")  # type: ignore[attr-defined]


def test_a_quote_in_a_file_name_cannot_break_the_header(
    recruiter_client: Client, rita: User
) -> None:
    document = stored_document(make_talent(rita), rita, name='a";b.pdf')

    response = recruiter_client.get(reverse("talents:document-download", args=[document.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.count('"') == 2


def test_a_document_of_a_hidden_talent_is_not_found(alice: User, rita: User) -> None:
    secret = make_pool("Secret", is_private=True)
    document = stored_document(make_talent(alice, pools=[secret]), alice)
    client = logged_in(rita)

    download = client.get(reverse("talents:document-download", args=[document.pk]))
    delete = client.post(reverse("talents:document-delete", args=[document.pk]))

    assert (download.status_code, delete.status_code) == (404, 404)
    assert Document.objects.filter(pk=document.pk).exists()


def test_deleting_a_document_asks_first_and_removes_the_file(
    recruiter_client: Client, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    talent = make_talent(rita)
    document = stored_document(talent, rita, name="cv.pdf")
    path = Path(document.file.path)

    confirm = recruiter_client.get(reverse("talents:document-delete", args=[document.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            reverse("talents:document-delete", args=[document.pk]), headers=HTMX
        )

    assert "Delete cv.pdf from" in confirm.content.decode()
    assert response.status_code == 200
    assert "No documents yet." in response.content.decode()
    assert "Rita deleted document cv.pdf" in text_of(response.content.decode())
    assert not Document.objects.exists()
    assert not path.exists()


def test_a_viewer_can_download_but_not_upload_or_delete(viewer_client: Client, rita: User) -> None:
    talent = make_talent(rita)
    document = stored_document(talent, rita)

    html = detail(viewer_client, talent)
    add = upload(viewer_client, talent, "cv.pdf", minimal_pdf("Hello"))
    delete = viewer_client.post(reverse("talents:document-delete", args=[document.pk]))

    assert reverse("talents:document-download", args=[document.pk]) in html
    assert 'type="file"' not in html
    assert (add.status_code, delete.status_code) == (403, 403)
    assert Document.objects.count() == 1


def test_the_file_of_an_upload_that_rolled_back_is_swept_away_the_next_night(
    rita: User,
) -> None:
    talent = make_talent()
    kept = services.add_document(
        talent, SimpleUploadedFile("cv.pdf", minimal_pdf("kept")), actor=rita
    )
    written: list[Path] = []

    def upload_then_fail() -> None:
        with transaction.atomic():
            lost = services.add_document(
                talent, SimpleUploadedFile("cv.pdf", minimal_pdf("lost")), actor=rita
            )
            written.append(Path(lost.file.path))
            raise RuntimeError("the form was refused after the file was written")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    [lost_path] = written
    assert lost_path.exists()

    assert services.sweep_orphan_files() == 0  # too young: it may still be committing
    day_old = time.time() - 2 * 24 * 3600
    for path in (lost_path, Path(kept.file.path)):
        os.utime(path, (day_old, day_old))

    assert services.sweep_orphan_files() == 1
    assert not lost_path.exists()
    assert Path(kept.file.path).exists()
