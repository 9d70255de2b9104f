"""Uploads nobody imported are deleted after a week, with their file."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.imports.models import ImportJob
from silverpool.imports.services.cleanup import delete_abandoned_uploads, delete_old_rejected_rows
from silverpool.privacy.services import erase_talent
from silverpool.talents.models import Talent

from .workbooks import imported, people, person, uploaded, xlsx

pytestmark = pytest.mark.django_db


def test_an_upload_left_at_the_mapping_for_a_week_is_deleted_with_its_file(
    tmp_path: Path, rita: User
) -> None:
    job = uploaded(xlsx(tmp_path / "kandidaten.xlsx", people(3)), rita)
    stored = Path(job.file.path)
    assert stored.exists()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6), tick=False):
        assert delete_abandoned_uploads() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=False):
        assert delete_abandoned_uploads() == 1

    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not stored.exists()


def test_a_finished_import_stays_in_the_history(tmp_path: Path, rita: User) -> None:
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", people(3)), rita)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=30), tick=False):
        assert delete_abandoned_uploads() == 0

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.created_count == 3


def test_the_rejected_rows_go_a_month_after_the_import(tmp_path: Path, rita: User) -> None:
    rows = [*people(2), person(3, email="kaputt")]
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", rows), rita)
    assert job.rejected_rows.count() == 1
    assert "problems" not in job.preview  # the example rows and problems quote the file
    assert job.preview["invalid"] == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(days=29), tick=False):
        assert delete_old_rejected_rows() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        assert delete_old_rejected_rows() == 1

    assert not job.rejected_rows.exists()
    assert Talent.objects.count() == 2


def test_erasing_a_talent_erases_their_rows_in_import_reports(tmp_path: Path, rita: User) -> None:
    rows = [
        person(1, email="max@example.com"),
        person(2, email="MAX@example.com"),  # a repeat: in the report
        person(3, email="kaputt"),  # someone else's bad row
    ]
    job = imported(xlsx(tmp_path / "kandidaten.xlsx", rows), rita)
    assert job.rejected_rows.count() == 2

    erase_talent(Talent.objects.get(email="max@example.com"), actor=rita, reason="request")

    assert list(job.rejected_rows.values_list("row_number", flat=True)) == [4]
