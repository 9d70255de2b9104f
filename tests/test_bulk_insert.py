"""insert_rows, reserve_ids and update_rows write what the ORM would read back, on both
databases."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from silverpool.accounts.models import User
from silverpool.bulk_insert import insert_rows, reserve_ids, update_rows
from silverpool.imports.models import ImportedTalent, ImportJob
from silverpool.privacy.models import LegalBasis
from silverpool.talents.models import Note, Talent
from tests.talents.factories import make_talent

BERLIN = ZoneInfo("Europe/Berlin")


def test_rows_read_back_as_written_with_their_reserved_ids(db: None, rita: User) -> None:
    talent = make_talent()
    summer = datetime.datetime(2026, 7, 1, 9, 30, 15, 250_000, tzinfo=BERLIN)
    winter = datetime.datetime(2026, 1, 5, 23, 59, tzinfo=datetime.UTC)
    fields = ["id", "talent_id", "author_id", "text", "visible_to_talent"]
    fields += ["created_at", "updated_at"]

    with transaction.atomic():
        ids = reserve_ids(Note, 3)
        insert_rows(
            Note,
            fields,
            [
                (ids[0], talent.pk, rita.pk, "Gespräch: „sehr gut“", True, summer, summer),
                (ids[1], talent.pk, None, "second", False, winter, summer),
                (ids[2], talent.pk, rita.pk, "third", False, summer, winter),
            ],
        )
        later = Note.objects.create(talent=talent, text="by the ORM")

    notes = {note.pk: note for note in Note.objects.filter(talent=talent)}
    assert later.pk > max(ids)
    assert (notes[ids[0]].text, notes[ids[0]].author, notes[ids[0]].visible_to_talent) == (
        "Gespräch: „sehr gut“",
        rita,
        True,
    )
    assert notes[ids[1]].author is None
    # Every moment as written, whichever zone it came in and however often it repeats.
    assert [(notes[pk].created_at, notes[pk].updated_at) for pk in ids] == [
        (summer, summer),
        (winter, summer),
        (summer, winter),
    ]


def test_json_values_read_back_as_written(db: None, rita: User) -> None:
    changed, created = make_talent(), make_talent()
    changes = {"city": ["Köln", "Berlin"], "remote": [False, True], "salary_amount": [0, None]}
    job, now = make_job(rita), changed.created_at

    with transaction.atomic():
        insert_rows(
            ImportedTalent,
            ("job_id", "talent_id", "row_number", "created", "changes")
            + ("added_pools", "added_tags", "added_notes", "created_at"),
            [
                (job.pk, changed.pk, 7, False, changes, [3], [], [1, 2], now),
                (job.pk, created.pk, 8, True, {}, [], [], [], now),
            ],
        )

    values = ("changes", "added_pools", "added_tags", "added_notes")
    assert list(ImportedTalent.objects.order_by("row_number").values_list(*values)) == [
        (changes, [3], [], [1, 2]),
        ({}, [], [], []),
    ]


def test_update_rows_sets_each_rows_own_fields(db: None) -> None:
    anna, ben = make_talent(city="Köln"), make_talent(city="Bonn")

    with transaction.atomic():
        update_rows(
            Talent,
            [
                (anna.pk, {"salary_amount": Decimal("65000.00"), "city": "Berlin"}),
                (ben.pk, {"available_from": datetime.date(2027, 3, 1)}),
            ],
        )

    anna.refresh_from_db()
    ben.refresh_from_db()
    assert (anna.salary_amount, anna.city, anna.available_from) == (Decimal(65000), "Berlin", None)
    assert (ben.salary_amount, ben.city, ben.available_from) == (
        None,
        "Bonn",
        datetime.date(2027, 3, 1),
    )


def make_job(user: User) -> ImportJob:
    return ImportJob.objects.create(uploaded_by=user, original_name="talente.xlsx", size=1)


def test_dates_read_back_as_written(db: None) -> None:
    talent = make_talent()
    LegalBasis.objects.filter(talent=talent).delete()
    since = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=BERLIN)
    dates = [datetime.date(2027, 1, 1), datetime.date(2029, 2, 28), datetime.date(1999, 12, 31)]

    with transaction.atomic():
        insert_rows(
            LegalBasis,
            ("talent_id", "state", "since", "hold_until", "consent_deadline", "due_on")
            + ("notice_due_on", "legal_hold_reason", "purposes", "reminders_sent")
            + ("link_key", "updated_at"),
            [
                (talent.pk, LegalBasis.State.AWAITING_CONSENT, since, None, *dates)
                + ("", [], [], "k" * 32, since)
            ],
        )

    basis = LegalBasis.objects.get(talent=talent)
    assert (basis.since, basis.hold_until) == (since, None)
    assert [basis.consent_deadline, basis.due_on, basis.notice_due_on] == dates
