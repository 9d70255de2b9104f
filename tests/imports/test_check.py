"""The check before an import (the preview): counts for the whole file, the first rows as
they will be imported, the problems; nothing written."""

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportJob, RejectedRow
from silverpool.imports.reading import TooManyRows
from silverpool.imports.services import check, rowstream
from silverpool.imports.services.check import check_file
from silverpool.imports.services.rowstream import Batch
from silverpool.imports.services.spool import SpoolWriter
from silverpool.talents.models import Talent
from silverpool.talents.services import find_by_emails

from ..talents.factories import make_pool, make_talent
from .workbooks import checked, people, person, uploaded, xlsx


def test_the_check_counts_new_existing_repeated_and_invalid_rows(
    tmp_path: Path, rita: User
) -> None:
    make_talent(email="Talent2@Example.com")
    rows = [
        *people(3),
        person(1, first_name="Erika"),  # row 5 repeats row 2
        person(4, email="keine Angabe"),  # no value, as "-" or "n/a"
        person(5, email=None),
        person(2, email="TALENT2@example.com"),  # row 8 repeats row 3 in other capitals
    ]
    job = uploaded(xlsx(tmp_path / "talente.xlsx", rows), rita)

    job = checked(job)

    assert job.state == ImportJob.State.READY
    assert job.total_rows == 7
    preview = job.preview
    assert {key: preview[key] for key in ("rows", "new", "existing", "repeated", "invalid")} == {
        "rows": 7,
        "new": 2,
        "existing": 1,
        "repeated": 2,
        "invalid": 2,
    }
    assert preview["problems"] == [
        {"row": 5, "column": "E-Mail", "reason": "Repeats row 2 (same email address)."},
        {
            "row": 6,
            "column": "E-Mail",
            "reason": "No email address: without one the talent could not be recognised again.",
        },
        {
            "row": 7,
            "column": "E-Mail",
            "reason": "No email address: without one the talent could not be recognised again.",
        },
        {"row": 8, "column": "E-Mail", "reason": "Repeats row 3 (same email address)."},
    ]


def test_a_row_sharing_any_address_of_its_email_cell_with_an_earlier_row_repeats_it(
    tmp_path: Path, rita: User
) -> None:
    """A person whose cell lists several addresses is recognised by each of them, both
    ways: a second profile of them would need merging later."""
    rows = [
        person(1),
        person(2, email="talent2@example.com; Privat2@Web.de"),
        person(1, email="privat1@web.de / TALENT1@example.com"),  # row 4: row 2's further
        person(2, email="privat2@web.de"),  # row 5: row 3's further address
        person(3, email="talent3@example.com, privat1@web.de"),  # row 6: row 4's further
    ]

    preview = checked(uploaded(xlsx(tmp_path / "talente.xlsx", rows), rita)).preview

    assert {key: preview[key] for key in ("new", "repeated", "invalid")} == {
        "new": 2,
        "repeated": 3,
        "invalid": 0,
    }
    assert [(p["row"], p["reason"]) for p in preview["problems"]] == [
        (4, "Repeats row 2 (same email address)."),
        (5, "Repeats row 3 (same email address)."),
        (6, "Repeats row 2 (same email address)."),
    ]


def test_a_talent_the_uploader_may_not_see_is_an_invalid_row_as_the_run_will_find(
    tmp_path: Path, rita: User, alice: User
) -> None:
    secret = make_pool("Vorstand", is_private=True)
    make_talent(alice, first_name="Heike", email="talent1@example.com", pools=[secret])
    make_talent(alice, first_name="Paul", email="talent2@example.com")

    preview = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(3)), rita)).preview

    assert {key: preview[key] for key in ("new", "existing", "invalid")} == {
        "new": 1,
        "existing": 1,
        "invalid": 1,
    }
    assert preview["problems"] == [
        {
            "row": 2,
            "column": "E-Mail",
            "reason": "A talent with this email address already exists in a private pool you "
            "are not a member of.",
        }
    ]
    assert [row["row"] for row in preview["first"]] == [3, 4]
    # An admin sees every talent: for her it is a known one.
    admins = checked(uploaded(xlsx(tmp_path / "a.xlsx", people(3)), alice)).preview
    assert (admins["existing"], admins["invalid"]) == (2, 0)


def test_the_check_shows_the_first_rows_as_they_will_be_imported(
    tmp_path: Path, rita: User
) -> None:
    make_talent(email="talent1@example.com")
    rows = [person(1, phone="030 1234567", note="Rückruf"), *people(12, start=2)]
    job = uploaded(xlsx(tmp_path / "talente.xlsx", rows), rita)

    first = checked(job).preview["first"]

    assert len(first) == 10
    assert first[0] == {
        "row": 2,
        "exists": True,
        "fields": {
            "first_name": "Vorname1",
            "last_name": "Nachname1",
            "email": "talent1@example.com",
            "phone": "+49301234567",
            "city": "Berlin",
            "job_title": "Entwicklerin",
        },
        "note": "Rückruf",
    }
    assert [row["row"] for row in first] == list(range(2, 12))
    assert not any(row["exists"] for row in first[1:])


def test_the_check_keeps_the_first_200_problems_and_counts_them_all(
    tmp_path: Path, rita: User
) -> None:
    rows = [person(n, email=f"kaputt{n}") for n in range(250)]
    job = uploaded(xlsx(tmp_path / "talente.xlsx", rows), rita)

    preview = checked(job).preview

    assert preview["invalid"] == 250
    assert len(preview["problems"]) == 200
    assert preview["problems"][-1]["row"] == 201


def test_the_check_writes_nothing(tmp_path: Path, rita: User) -> None:
    job = uploaded(xlsx(tmp_path / "talente.xlsx", [*people(3), person(9, email="x")]), rita)

    checked(job)

    assert Talent.objects.count() == 0
    assert RejectedRow.objects.count() == 0
    job.refresh_from_db()
    assert (job.cursor, job.created_count, job.rejected_count) == (0, 0, 0)


def test_on_sqlite_the_check_keeps_a_small_page_cache_and_restores_the_size_after(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(3)), rita)
    during: list[int] = []

    def looked_up(emails: list[str]) -> Any:
        during.append(_page_cache())
        return find_by_emails(emails)

    monkeypatch.setattr(check, "find_by_emails", looked_up)
    before = _page_cache()

    checked(job)

    assert during == [-check.CHECK_PAGE_CACHE_KIB]
    assert _page_cache() == before != during[0]


def _page_cache() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_the_check_speaks_the_uploaders_language(tmp_path: Path, rita: User) -> None:
    rita.language = "de"
    rita.save()
    job = uploaded(xlsx(tmp_path / "talente.xlsx", [person(1, email="max(at)example.com")]), rita)

    problems = checked(job).preview["problems"]

    assert problems[0]["reason"] == "„max(at)example.com“: Bitte gültige E-Mail-Adresse eingeben."


def test_a_file_that_cannot_be_read_any_more_sends_the_job_back_with_the_reason(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(5)), rita)
    settings.IMPORT_MAX_ROWS = 4

    job = checked(job)

    assert job.state == ImportJob.State.MAPPING
    assert job.preview == {"error": str(TooManyRows(4))}


def test_a_file_with_nothing_below_its_header_goes_back_to_the_mapping_with_the_reason(
    tmp_path: Path, rita: User
) -> None:
    """Not an import of nothing that reports success: more often than not the header row
    or the sheet is the wrong one, which the mapping page lets the recruiter change."""
    path = tmp_path / "talente.csv"
    path.write_text("Vorname;Nachname;E-Mail\n;;\n\n", encoding="utf-8")
    job = uploaded(path, rita)

    job = checked(job)

    assert job.state == ImportJob.State.MAPPING
    assert job.preview == {"error": "Below the header (row 1) there is no row to import."}
    assert not services.start_import(job, enqueue=False)


def test_a_damaged_upload_sends_the_job_back_with_the_reason(tmp_path: Path, rita: User) -> None:
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(5)), rita)
    Path(job.file.path).write_bytes(b"PK\x03\x04 not a zip any more")

    job = checked(job)

    assert job.state == ImportJob.State.MAPPING
    assert "error" in job.preview
    assert job.preview["error"]


def test_a_mapping_changed_during_the_check_leaves_it_to_the_newer_check(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(2)), rita)
    job.state = ImportJob.State.CHECKING
    job.save()
    from silverpool.imports.services import check

    real_check = check._check

    def check_while_the_mapping_changes(
        job: ImportJob, spool: SpoolWriter, *args: Any
    ) -> dict[str, object]:
        preview = real_check(job, spool, *args)
        ImportJob.objects.filter(pk=job.pk).update(mapping=[*job.mapping[:-1], ["ignore", ""]])
        return preview

    monkeypatch.setattr(check, "_check", check_while_the_mapping_changes)

    check_file(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKING
    # Its progress, written before the mapping changed on a slow machine, but not its result.
    assert job.preview.keys() <= {"checked", "seconds"}
    # the rows read with the old mapping are not kept for the run
    upload = Path(job.file.path)
    assert list(upload.parent.glob(f"{upload.name}.*")) == []


def test_the_check_reports_the_rows_it_has_read_while_it_reads(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 3)
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(8)), rita)
    reported: list[object] = []
    add_chunk = SpoolWriter.add

    def add_and_look(self: SpoolWriter, chunk: Batch) -> None:
        # What the page would read while this chunk is being checked.
        reported.append(ImportJob.objects.get(pk=job.pk).preview.get("checked"))
        add_chunk(self, chunk)

    monkeypatch.setattr(SpoolWriter, "add", add_and_look)

    checked(job)

    assert reported == [None, 3, 6]
    assert job.last_row == 9  # the header and eight people
    job.refresh_from_db()
    assert (job.state, job.preview["rows"], job.total_rows) == (ImportJob.State.READY, 8, 8)
    assert "checked" not in job.preview


def test_a_job_that_is_not_being_checked_is_left_alone(tmp_path: Path, rita: User) -> None:
    job = uploaded(xlsx(tmp_path / "talente.xlsx", people(2)), rita)

    check_file(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.MAPPING
    assert job.preview == {}


def test_a_check_whose_task_was_lost_is_run_again_by_the_reaper(
    tmp_path: Path, rita: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita)
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        assert services.request_check(job)
    assert check.due_checks() == []

    later = timezone.now() + datetime.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        due = check.due_checks()
        assert check.due_checks() == []  # renewed: not enqueued again the next minute
    assert due == [job.pk]
    check_file(job.pk)

    job.refresh_from_db()
    assert (job.state, job.preview["new"], job.lease_until) == (ImportJob.State.READY, 2, None)
