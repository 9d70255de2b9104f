"""Running an import: batches, what happens to existing talents, what applies to every
talent taken, privacy, stopping and cancelling, and the exact counts at the end."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.checkpoints import Checkpoints
from silverpool.imports import services
from silverpool.imports.models import ImportedTalent, ImportJob
from silverpool.imports.reading import Cell
from silverpool.imports.services import run
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy import services as privacy
from silverpool.privacy.models import (
    AuditEntry,
    ConsentRecord,
    ConsentRequest,
    LegalBasis,
    Purpose,
)
from silverpool.talents import services as talents
from silverpool.talents.models import (
    CustomField,
    DuplicateFlag,
    Event,
    Note,
    PoolMembership,
    Status,
    Tag,
    Talent,
    TalentTag,
)
from silverpool.talents.services import bulk_intake

from ..privacy.factories import give_consent
from ..talents.factories import make_pool, make_tag, make_talent
from .batches import batches_of
from .workbooks import checked, imported, people, person, started, uploaded, xlsx

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    batches_of(monkeypatch, 2)
    return 2


def counts(job: ImportJob) -> dict[str, int]:
    job.refresh_from_db()
    return {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "repeated": job.repeated_count,
        "rejected": job.rejected_count,
        "cursor": job.cursor,
    }


def kinds(talent: Talent) -> list[str]:
    return list(talent.events.order_by("id").values_list("kind", flat=True))


def test_an_import_in_batches_takes_every_row_once_with_exact_counts(
    tmp_path: Path, rita: User, small_batches: int
) -> None:
    rows = [
        *people(3),
        person(1, first_name="Zweitmal"),  # row 5: repeats row 2, from the previous batch
        person(4, email="kaputt"),
        *people(2, start=5),
    ]
    path = xlsx(tmp_path / "talente.xlsx", rows)

    job = imported(path, rita)

    assert job.state == ImportJob.State.DONE
    assert counts(job) == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "repeated": 1,
        "rejected": 1,
        "cursor": 7,
    }
    assert job.total_rows == 7
    assert sorted(Talent.objects.values_list("email", flat=True)) == [
        f"talent{n}@example.com" for n in (1, 2, 3, 5, 6)
    ]
    assert Talent.objects.get(email="talent1@example.com").first_name == "Vorname1"
    assert list(job.rejected_rows.values_list("row_number", "column", "reason")) == [
        (5, "E-Mail", "Repeats row 2 (same email address)."),
        (6, "E-Mail", "“kaputt”: Enter a valid email address."),
    ]
    assert ImportedTalent.objects.filter(job=job, created=True).count() == 5
    assert job.started_at == NOW
    assert job.finished_at == NOW


def test_the_log_is_copied_after_each_batch_and_before_the_next_one_begins(
    tmp_path: Path, rita: User, small_batches: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's log copied beside the run (checkpoints.py): after each batch, and waited
    for before the next one writes, or the log would grow by every batch."""
    steps: list[str] = []

    class Recorded(Checkpoints):
        def start(self) -> None:
            steps.append("copy")

        def wait(self) -> None:
            steps.append("wait")

    @contextmanager
    def recorded() -> Iterator[Checkpoints]:
        yield Recorded(None)

    def batch(*args: Any, **options: Any) -> Any:
        steps.append("batch")
        return intake(*args, **options)

    intake = bulk_intake.intake_talents
    monkeypatch.setattr(run, "checkpoints_beside", recorded)
    monkeypatch.setattr(run, "intake_talents", batch)

    imported(xlsx(tmp_path / "talente.xlsx", people(2 * small_batches)), rita)

    assert steps == ["wait", "batch", "copy"] * 2


def test_new_talents_come_from_the_import_and_the_file(tmp_path: Path, rita: User) -> None:
    headers = ["Vorname", "Nachname", "E-Mail", "Quelle", "Bemerkung"]
    rows: list[list[Cell]] = [
        ["Anna", "Berg", "anna@example.com", "LinkedIn", "Kennt Kubernetes"],
        ["Ben", "Kurz", "ben@example.com", None, None],
    ]

    job = imported(xlsx(tmp_path / "Messe 2026.xlsx", rows, headers), rita)

    anna = Talent.objects.get(email="anna@example.com")
    assert anna.source_kind == Talent.SourceKind.IMPORT
    assert anna.source_label == "Messe 2026.xlsx (LinkedIn)"
    assert Talent.objects.get(email="ben@example.com").source_label == "Messe 2026.xlsx"
    assert anna.status.key == "new"
    assert kinds(anna) == [Event.Kind.CREATED]
    created = anna.events.get()
    assert created.actor == rita
    assert created.data == {"source_kind": "import", "source_label": "Messe 2026.xlsx (LinkedIn)"}
    [note] = Note.objects.filter(talent=anna)
    assert (note.text, note.author) == ("Kennt Kubernetes", rita)
    assert Talent.objects.filter(search_text__contains="kubernetes").get() == anna
    assert job.created_count == 2


def test_existing_talents_are_left_alone_with_skip(tmp_path: Path, rita: User) -> None:
    lena = make_talent(first_name="Lena", email="talent1@example.com", city="Hamburg")
    pool = make_pool("Vertrieb")
    events_before = kinds(lena)

    job = imported(
        xlsx(tmp_path / "t.xlsx", [person(1, note="Neu")]), rita, existing="skip", pools=[pool]
    )

    lena.refresh_from_db()
    assert (lena.first_name, lena.city) == ("Lena", "Hamburg")
    assert kinds(lena) == events_before
    assert not lena.pools.exists()
    assert not Note.objects.filter(talent=lena).exists()
    assert counts(job) | {"cursor": 0} == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "repeated": 0,
        "rejected": 0,
        "cursor": 0,
    }


def test_fill_only_fills_empty_fields_and_adds_missing_custom_values(
    tmp_path: Path, rita: User
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist")
    CustomField.objects.create(key="level", label_en="Level", label_de="Stufe")
    lena = make_talent(
        first_name="Lena",
        email="lena@example.com",
        city="Hamburg",
        custom_values={"notice": "1 Monat"},
    )
    headers = ["Vorname", "E-Mail", "Ort", "Position", "Frist", "Stufe"]
    rows = [["Helene", "LENA@example.com", "Berlin", "Teamleiterin", "3 Monate", "Senior"]]

    job = imported(xlsx(tmp_path / "t.xlsx", rows, headers), rita, existing="fill")

    lena.refresh_from_db()
    assert (lena.first_name, lena.city, lena.job_title) == ("Lena", "Hamburg", "Teamleiterin")
    assert lena.custom_values == {"notice": "1 Monat", "level": "Senior"}
    assert job.updated_count == 1
    changed = lena.events.filter(kind=Event.Kind.FIELD_CHANGED).order_by("id")
    assert [(e.data["field"], e.data["old"], e.data["new"]) for e in changed] == [
        ("job_title", "", "Teamleiterin"),
        ("custom_values", {"notice": "1 Monat"}, {"notice": "1 Monat", "level": "Senior"}),
    ]
    assert ImportedTalent.objects.get(job=job, talent=lena).changes == {
        "job_title": ["", "Teamleiterin"],
        "custom_values": [{"notice": "1 Monat"}, {"notice": "1 Monat", "level": "Senior"}],
    }


def test_overwrite_replaces_values_but_an_empty_cell_never_blanks_a_field(
    tmp_path: Path, rita: User
) -> None:
    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist")
    lena = make_talent(
        first_name="Lena",
        email="lena@example.com",
        phone="+49301234567",
        city="Hamburg",
        salary_amount=Decimal(50000),
        custom_values={"notice": "1 Monat"},
    )
    headers = ["Vorname", "E-Mail", "Telefon", "Ort", "Gehaltswunsch", "Frist"]
    rows = [["Lena", "lena@example.com", None, "Berlin", "60k", "3 Monate"]]

    job = imported(xlsx(tmp_path / "t.xlsx", rows, headers), rita, existing="overwrite")

    lena.refresh_from_db()
    assert lena.phone == "+49301234567"
    assert lena.city == "Berlin"
    assert lena.salary_amount == Decimal(60000)
    assert lena.custom_values == {"notice": "3 Monate"}
    assert ImportedTalent.objects.get(job=job, talent=lena).changes == {
        "city": ["Hamburg", "Berlin"],
        "salary_amount": ["50000.00", "60000.00"],
        "custom_values": [{"notice": "1 Monat"}, {"notice": "3 Monate"}],
    }
    assert kinds(lena)[-4:] == [
        Event.Kind.FIELD_CHANGED,
        Event.Kind.FIELD_CHANGED,
        Event.Kind.FIELD_CHANGED,
        Event.Kind.UPDATED,
    ]
    assert Talent.objects.filter(search_text__contains="berlin").get() == lena
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGED, talent_id=lena.pk).exists()


def test_pools_tags_status_and_owner_go_to_every_talent_taken_with_timeline_events(
    tmp_path: Path, rita: User, alice: User, statuses: dict[str, Status]
) -> None:
    pool, tag = make_pool("Vertrieb"), make_tag("Messe")
    lena = make_talent(first_name="Lena", email="talent1@example.com", pools=[pool])

    imported(
        xlsx(tmp_path / "t.xlsx", people(2)),
        rita,
        pools=[pool],
        tags=[tag],
        status=statuses["contacted"],
        owner=alice,
    )

    new = Talent.objects.get(email="talent2@example.com")
    lena.refresh_from_db()
    for talent in (new, lena):
        assert (talent.status, talent.owner) == (statuses["contacted"], alice)
        assert list(talent.pools.all()) == [pool]
        assert list(talent.tags.all()) == [tag]
    # One entry for a new talent names its pools and tags.
    assert kinds(new) == [Event.Kind.CREATED, Event.Kind.OWNER_CHANGED]
    assert new.events.get(kind=Event.Kind.CREATED).data == {
        "source_kind": "import",
        "source_label": "t.xlsx",
        "pools": ["Vertrieb"],
        "tags": ["Messe"],
    }
    assert set(kinds(lena)[-4:]) == {
        Event.Kind.STATUS_CHANGED,
        Event.Kind.OWNER_CHANGED,
        Event.Kind.TAG_ADDED,
        Event.Kind.UPDATED,
    }
    assert kinds(lena).count(Event.Kind.POOL_ADDED) == 1  # it was in the pool already
    status_event = lena.events.get(kind=Event.Kind.STATUS_CHANGED)
    assert (status_event.data, status_event.actor) == ({"old": "new", "new": "contacted"}, rita)


def test_a_tags_column_gives_each_talent_its_tags_and_makes_the_missing_ones(
    tmp_path: Path,
    rita: User,
    recruiter_client: Client,
    small_batches: int,
    clock: TimeMachineFixture,
) -> None:
    messe = make_tag("Messe")
    lena = make_talent(first_name="Lena", email="lena@example.com")
    headers = ["Vorname", "E-Mail", "Tags"]
    rows: list[list[Cell]] = [
        ["Anna", "anna@example.com", "messe, Java"],  # the job's tag, in other capitals
        ["Ben", "ben@example.com", "Java; Senior"],
        ["Lena", "lena@example.com", "Senior"],
        ["Carl", "carl@example.com", None],
    ]

    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", rows, headers), rita, tags=[messe]))

    # The preview names them, a tag there as it is spelt; the others are made when the
    # import starts.
    assert (job.preview["tags"], job.preview["new_tags"]) == (
        ["Java", "Messe", "Senior"],
        ["Java", "Senior"],
    )
    assert job.preview["first"][0]["tags"] == ["Messe", "Java"]
    named = Tag.objects.filter(name__iregex=r"^(java|messe|senior)$")
    assert list(named.values_list("name", flat=True)) == ["Messe"]
    started(job)
    assert sorted(named.values_list("name", flat=True)) == ["Java", "Messe", "Senior"]
    assert sorted(job.created_tags.values_list("name", flat=True)) == ["Java", "Senior"]

    def tags_of(email: str) -> list[str]:
        return sorted(Talent.objects.get(email=email).tags.values_list("name", flat=True))

    assert tags_of("anna@example.com") == ["Java", "Messe"]
    assert tags_of("ben@example.com") == ["Java", "Messe", "Senior"]
    assert tags_of("lena@example.com") == ["Messe", "Senior"]
    assert tags_of("carl@example.com") == ["Messe"]
    anna = Talent.objects.get(email="anna@example.com")
    assert anna.events.get(kind=Event.Kind.CREATED).data["tags"] == ["Messe", "Java"]
    added = lena.events.filter(kind=Event.Kind.TAG_ADDED).values_list("data__tag", flat=True)
    assert sorted(added) == ["Messe", "Senior"]
    page = recruiter_client.get(reverse("imports:import-detail", args=[job.pk]))
    assert "The import made these 2 tags: Java, Senior" in page.content.decode()

    clock.move_to(NOW + datetime.timedelta(hours=1))
    summary = services.undo_import(job, actor=rita)

    # Lena loses what the import gave her; the tags it made go, as nothing else has them.
    assert tags_of("lena@example.com") == []
    assert sorted(summary["deleted_tags"]) == ["Java", "Senior"]
    assert list(named.values_list("name", flat=True)) == ["Messe"]


def test_the_timeline_of_an_imported_talent_does_not_name_a_private_pool_to_outsiders(
    tmp_path: Path, alice: User, rita: User, recruiter_client: Client
) -> None:
    board, sales = make_pool("Vorstandssuche", is_private=True), make_pool("Vertrieb")
    imported(xlsx(tmp_path / "t.xlsx", people(1)), alice, pools=[board, sales])
    talent = Talent.objects.get()
    # Out of the confidential pool, the talent is everyone's to see again.
    talents.remove_from_pool(talent, board, actor=alice)

    page = recruiter_client.get(reverse("talents:talent-detail", args=[talent.pk]))

    assert page.status_code == 200
    assert "Vertrieb" in page.content.decode()
    assert "Vorstandssuche" not in page.content.decode()


def test_existing_talents_get_the_files_note_once(tmp_path: Path, rita: User) -> None:
    lena = make_talent(first_name="Lena", email="talent1@example.com")
    path = xlsx(tmp_path / "t.xlsx", [person(1, note="Wechselwillig ab Sommer")])

    imported(path, rita)
    imported(path, rita)

    assert list(Note.objects.filter(talent=lena).values_list("text", flat=True)) == [
        "Wechselwillig ab Sommer"
    ]
    lena.refresh_from_db()
    assert "wechselwillig" in lena.search_text
    # On her timeline as any added note, once.
    [added] = lena.events.filter(kind=Event.Kind.NOTE_ADDED)
    assert (added.actor, added.data["text"]) == (rita, "Wechselwillig ab Sommer")


def test_new_talents_await_consent_and_get_the_art_14_notice_due(
    tmp_path: Path, rita: User
) -> None:
    imported(xlsx(tmp_path / "t.xlsx", people(1)), rita)

    basis = LegalBasis.objects.get(talent__email="talent1@example.com")
    assert basis.state == LegalBasis.State.AWAITING_CONSENT
    assert basis.consent_deadline is not None
    assert basis.notice_due_on == datetime.date(2027, 4, 2)
    assert not ConsentRequest.objects.exists()


def test_rejected_applicants_start_under_the_application_hold(tmp_path: Path, rita: User) -> None:
    imported(xlsx(tmp_path / "t.xlsx", people(1)), rita, rejected_applicants=True)

    basis = LegalBasis.objects.get(talent__email="talent1@example.com")
    assert basis.state == LegalBasis.State.APPLICATION_HOLD
    assert basis.hold_until == basis.due_on
    assert basis.hold_until is not None


def test_consent_obtained_elsewhere_is_recorded_with_the_note_as_proof(
    tmp_path: Path, alice: User
) -> None:
    imported(
        xlsx(tmp_path / "t.xlsx", people(1)),
        alice,
        consent="recorded",
        consent_note="Einwilligung per Formular auf der Messe, Ordner 3",
    )

    talent = Talent.objects.get(email="talent1@example.com")
    [record] = ConsentRecord.objects.filter(talent=talent)
    assert record.method == ConsentRecord.Method.IMPORT
    assert record.note == "Einwilligung per Formular auf der Messe, Ordner 3"
    assert record.recorded_by == alice
    assert record.purpose.key == Purpose.TALENT_POOL
    assert record.decision == ConsentRecord.Decision.GIVEN
    assert talent.legal_basis.state == LegalBasis.State.CONSENT_VALID


def test_consent_obtained_elsewhere_does_not_overturn_a_talents_own_refusal(
    tmp_path: Path, alice: User
) -> None:
    declined = make_talent(first_name="Thea", email="talent1@example.com")
    withdrawn = make_talent(first_name="Sherri", email="talent2@example.com")
    waiting = make_talent(first_name="Albert", email="talent3@example.com")
    pool = [Purpose.TALENT_POOL]
    privacy.record_consent(
        declined,
        privacy.ConsentGrant(
            method=ConsentRecord.Method.CONSENT_PAGE, language="de", declined=pool
        ),
        actor=None,
        actor_label="Talent",
    )
    give_consent(withdrawn)
    privacy.withdraw_consent(
        withdrawn, pool, method=ConsentRecord.Method.PRIVACY_PAGE, actor=None, actor_label="Talent"
    )

    imported(
        xlsx(tmp_path / "t.xlsx", people(4)),
        alice,
        consent="recorded",
        consent_note="Messe-Liste 2026",
    )

    states = dict(LegalBasis.objects.values_list("talent__email", "state"))
    assert states == {
        "talent1@example.com": LegalBasis.State.DECLINED,
        "talent2@example.com": LegalBasis.State.WITHDRAWN,
        "talent3@example.com": LegalBasis.State.CONSENT_VALID,
        "talent4@example.com": LegalBasis.State.CONSENT_VALID,
    }
    by_import = ConsentRecord.objects.filter(method=ConsentRecord.Method.IMPORT)
    assert set(by_import.values_list("talent__email", flat=True)) == {
        waiting.email,
        "talent4@example.com",
    }


def test_ask_now_asks_the_new_talents_for_consent_right_after_the_import(
    tmp_path: Path, rita: User
) -> None:
    make_talent(first_name="Lena", email="talent1@example.com")

    job = imported(xlsx(tmp_path / "t.xlsx", people(3)), rita, consent="ask_now")

    asked = ConsentRequest.objects.order_by("talent__email")
    assert [r.talent.email for r in asked] == ["talent2@example.com", "talent3@example.com"]
    assert all(r.asked_by == rita for r in asked)
    assert set(OutboundEmail.objects.values_list("to_email", flat=True)) == {
        "talent2@example.com",
        "talent3@example.com",
    }
    assert job.state == ImportJob.State.DONE


def test_the_weekly_batch_leaves_the_asking_for_later(tmp_path: Path, rita: User) -> None:
    imported(xlsx(tmp_path / "t.xlsx", people(2)), rita, consent="weekly")

    assert not ConsentRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_cancelling_stops_after_the_batch_being_written(
    tmp_path: Path, rita: User, small_batches: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(5)), rita))
    real_run = run.run_import

    def cancel_after_the_first_batch(job_id: int, **options: Any) -> None:
        real_run(job_id, on_batch=lambda cursor: services.cancel_import(job))

    monkeypatch.setattr(run, "run_import", cancel_after_the_first_batch)

    job = started(job)

    assert job.state == ImportJob.State.CANCELLED
    assert counts(job)["cursor"] == 2
    assert Talent.objects.count() == 2
    assert job.finished_at == NOW
    assert not job.file


def test_cancelling_a_queued_import_means_it_never_runs(tmp_path: Path, rita: User) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))
    new_tag, _new = talents.get_or_create_tag("Herbst 2026")
    job.created_tags.add(new_tag)
    services.start_import(job, enqueue=False)

    services.cancel_import(job)
    run.run_import(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED
    assert Talent.objects.count() == 0
    assert not job.file
    assert not Tag.objects.filter(name="Herbst 2026").exists()  # made for it alone


def test_a_recruiter_cannot_reach_a_talent_in_a_private_pool_through_an_import(
    tmp_path: Path, rita: User, alice: User
) -> None:
    secret = make_pool("Vorstand", is_private=True)
    hidden = make_talent(
        alice, first_name="Heike", email="talent1@example.com", city="Bonn", pools=[secret]
    )
    events_before = kinds(hidden)

    job = imported(xlsx(tmp_path / "t.xlsx", people(2)), rita, existing="overwrite")

    hidden.refresh_from_db()
    assert (hidden.first_name, hidden.city) == ("Heike", "Bonn")
    assert kinds(hidden) == events_before
    [rejected] = job.rejected_rows.all()
    assert (rejected.row_number, rejected.column) == (2, "E-Mail")
    assert rejected.reason == (
        "A talent with this email address already exists in a private pool you are not a member of."
    )
    assert rejected.cells == [
        "Vorname1",
        "Nachname1",
        "talent1@example.com",
        "",
        "Berlin",
        "Entwicklerin",
        "",
    ]
    assert counts(job) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "repeated": 0,
        "rejected": 1,
        "cursor": 2,
    }


def test_a_talent_with_the_name_and_phone_of_another_is_flagged_as_a_duplicate(
    tmp_path: Path, rita: User
) -> None:
    known = make_talent(
        first_name="Vorname1", last_name="Nachname1", email="alt@example.com", phone="+4930123456"
    )

    imported(xlsx(tmp_path / "t.xlsx", [person(1, phone="030 123456")]), rita)

    new = Talent.objects.get(email="talent1@example.com")
    [flag] = DuplicateFlag.objects.all()
    assert {flag.talent_id, flag.other_id} == {known.pk, new.pk}
    assert flag.reason == DuplicateFlag.Reason.NAME_AND_PHONE
    assert Event.Kind.DUPLICATE_FLAGGED in kinds(new)
    assert Event.Kind.DUPLICATE_FLAGGED in kinds(known)


def test_the_import_is_on_the_audit_log_once_and_its_upload_is_deleted(
    tmp_path: Path, rita: User
) -> None:
    make_talent(email="talent1@example.com")
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", [*people(3), person(9, email="x")]), rita))
    upload = Path(job.file.path)

    job = started(job)

    assert not upload.exists()
    assert not job.file
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED)
    assert entry.actor == rita
    assert entry.detail == {
        "job": job.pk,
        "state": "done",
        "created": 2,
        "updated": 1,
        "rejected": 1,
    }


def test_a_second_click_on_import_starts_nothing(tmp_path: Path, rita: User) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))

    started(job)

    assert services.start_import(job) is False
    job.refresh_from_db()
    assert job.attempts == 1
    assert Talent.objects.count() == 2


def test_a_finished_import_is_not_run_again(tmp_path: Path, rita: User) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", people(2)), rita)

    run.run_import(job.pk)

    assert counts(job)["created"] == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED).count() == 1


def test_an_import_that_keeps_failing_is_given_up(tmp_path: Path, rita: User) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))
    services.start_import(job, enqueue=False)
    ImportJob.objects.filter(pk=job.pk).update(attempts=run.MAX_ATTEMPTS)

    run.run_import(job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.error == "The import failed repeatedly and was stopped."
    assert Talent.objects.count() == 0
    assert not job.file


def test_rejected_rows_are_explained_in_the_uploaders_language(tmp_path: Path, rita: User) -> None:
    rita.language = "de"
    rita.save()

    job = imported(xlsx(tmp_path / "t.xlsx", [person(1, email="x")]), rita)

    assert job.rejected_rows.get().reason == "„x“: Bitte gültige E-Mail-Adresse eingeben."


def test_start_refuses_stop_when_the_check_found_invalid_rows(tmp_path: Path, rita: User) -> None:
    rows = [*people(2), person(3, email="kaputt")]
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", rows), rita, invalid="stop"))

    assert not services.start_import(job)

    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    assert services.stop_refusal(job.preview, job.invalid) == (
        "The file has 1 invalid row, so “stop” would stop the import there. Fix it in the "
        "file and upload it again, or skip it."
    )
    assert not Talent.objects.exists()


def planner_rows(*models: type[Model]) -> list[float]:
    """The row counts PostgreSQL's planner knows for the models' tables."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = ANY(%s) ORDER BY relname", [tables]
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_large_import_tells_postgresqls_planner_about_its_talents(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its talents' list, by the import or by its pool, is then planned for what is there
    (counted "about 10,001" for 78,000 before, see run.ANALYZE_FROM)."""
    pool, tag = make_pool("Messe"), make_tag("Messe")
    imported(xlsx(tmp_path / "small.xlsx", people(2)), rita, pools=[pool], tags=[tag])
    links = (ImportedTalent, PoolMembership, TalentTag)
    small = planner_rows(*links)
    monkeypatch.setattr(run, "ANALYZE_FROM", 3)

    imported(xlsx(tmp_path / "large.xlsx", people(3, start=3)), rita, pools=[pool], tags=[tag])

    assert small != [2, 2, 2]  # a small import leaves the statistics to autovacuum
    assert planner_rows(*links) == [5, 5, 5]
