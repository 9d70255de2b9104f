"""Undoing an import: created talents go unless changed since, overwritten fields and
status and owner get their old values back, added pools and tags come off; twice is once."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportJob
from silverpool.imports.reading import Cell
from silverpool.privacy.models import AuditEntry, ConsentRequest
from silverpool.talents import services as talents
from silverpool.talents.models import Event, Status, Tag, Talent

from ..conftest import logged_in
from ..talents.factories import make_pool, make_tag, make_talent
from ..webforms.factories import make_talent_form
from .workbooks import checked, imported, people, person, started, uploaded, xlsx

IMPORTED_AT = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)
LATER = IMPORTED_AT + datetime.timedelta(hours=2)


def undone(job: ImportJob, actor: User) -> dict[str, int]:
    """What undo_import reports, with every count (zero ones included)."""
    summary = services.undo_import(job, actor=actor)
    return {key: summary.get(key, 0) for key in ("removed", "reverted", "kept")}


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(IMPORTED_AT, tick=False)
    return time_machine


def test_undo_removes_the_talents_the_import_created(
    tmp_path: Path, rita: User, clock: TimeMachineFixture
) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", people(3)), rita)
    ids = set(Talent.objects.values_list("pk", flat=True))
    clock.move_to(LATER)

    summary = undone(job, rita)

    assert summary == {"removed": 3, "reverted": 0, "kept": 0}
    assert not Talent.objects.exists()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETED)
    assert set(deleted.values_list("talent_id", flat=True)) == ids
    assert all(entry.actor == rita for entry in deleted)
    job.refresh_from_db()
    assert job.state == ImportJob.State.UNDONE
    assert (job.undone_at, job.undone_by, job.undo_summary) == (
        LATER,
        rita,
        {"removed": 3, "reverted": 0, "kept": 0},
    )


def test_a_created_talent_someone_changed_since_is_kept(
    tmp_path: Path, rita: User, alice: User, clock: TimeMachineFixture
) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", people(2)), rita)
    clock.move_to(LATER)
    worked_on = Talent.objects.get(email="talent1@example.com")
    talents.update_talent(worked_on, {"city": "Leipzig"}, actor=alice)

    summary = undone(job, rita)

    assert summary == {"removed": 1, "reverted": 0, "kept": 1}
    assert list(Talent.objects.all()) == [worked_on]


def test_the_talents_an_undo_kept_are_listed_from_its_page(
    tmp_path: Path, rita: User, alice: User, clock: TimeMachineFixture
) -> None:
    lena = make_talent(first_name="Lena", email="talent1@example.com", city="Hamburg")
    rows = [person(1, first_name="Lena", city="Berlin"), *people(3, start=2)]
    job = imported(xlsx(tmp_path / "t.xlsx", rows), rita, existing="overwrite")
    clock.move_to(LATER)
    talents.update_talent(lena, {"job_title": "Leiterin"}, actor=alice)
    worked_on = Talent.objects.get(email="talent2@example.com")
    talents.update_talent(worked_on, {"city": "Leipzig"}, actor=alice)

    assert undone(job, rita) == {"removed": 2, "reverted": 0, "kept": 2}

    client = logged_in(rita)
    page = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Show the 2 kept talents in the list" in page
    listed = client.get(reverse("talents:talent-list"), {"import_job": job.pk}).content.decode()
    assert "Only talents the undo of the import of t.xlsx kept" in listed
    assert "Lena" in listed
    assert worked_on.first_name in listed
    # What the undo needed of them (the old values) is gone.
    assert list(job.talents.values_list("kept", "changes")) == [(True, {}), (True, {})]


def test_asking_for_consent_after_the_import_is_not_a_change_that_keeps_a_talent(
    tmp_path: Path, rita: User, clock: TimeMachineFixture
) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", people(2)), rita, consent="ask_now")
    assert ConsentRequest.objects.count() == 2
    clock.move_to(LATER)

    summary = undone(job, rita)

    assert summary == {"removed": 2, "reverted": 0, "kept": 0}
    assert not Talent.objects.exists()


def test_undo_reverts_overwritten_fields_status_owner_pools_and_tags(
    tmp_path: Path, rita: User, alice: User, statuses: dict[str, Status], clock: TimeMachineFixture
) -> None:
    pool, tag, old_pool = make_pool("Vertrieb"), make_tag("Messe"), make_pool("Bestand")
    lena = make_talent(
        first_name="Lena",
        email="talent1@example.com",
        city="Hamburg",
        salary_amount=Decimal(50000),
        status=statuses["contacted"],
        owner=rita,
        pools=[old_pool],
    )
    headers = ["Vorname", "E-Mail", "Ort", "Position", "Gehaltswunsch"]
    rows: list[list[Cell]] = [["Lena", "talent1@example.com", "Berlin", "Teamleiterin", 60000]]
    job = imported(
        xlsx(tmp_path / "t.xlsx", rows, headers),
        rita,
        existing="overwrite",
        status=statuses["new"],
        owner=alice,
        pools=[pool, old_pool],
        tags=[tag],
    )
    lena.refresh_from_db()
    assert (lena.city, lena.job_title, lena.owner) == ("Berlin", "Teamleiterin", alice)
    clock.move_to(LATER)

    summary = undone(job, rita)

    assert summary == {"removed": 0, "reverted": 1, "kept": 0}
    lena.refresh_from_db()
    assert (lena.city, lena.job_title, lena.salary_amount) == ("Hamburg", "", Decimal(50000))
    assert (lena.status, lena.owner) == (statuses["contacted"], rita)
    assert list(lena.pools.all()) == [old_pool]
    assert not lena.tags.exists()
    reverting = lena.events.filter(created_at=LATER).values_list("kind", flat=True)
    assert set(reverting) >= {
        Event.Kind.FIELD_CHANGED,
        Event.Kind.STATUS_CHANGED,
        Event.Kind.OWNER_CHANGED,
        Event.Kind.POOL_REMOVED,
        Event.Kind.TAG_REMOVED,
    }


def test_an_updated_talent_someone_changed_since_keeps_what_the_import_wrote(
    tmp_path: Path, rita: User, alice: User, clock: TimeMachineFixture
) -> None:
    lena = make_talent(first_name="Lena", email="talent1@example.com", city="Hamburg")
    job = imported(
        xlsx(tmp_path / "t.xlsx", [person(1, first_name="Lena", city="Berlin")]),
        rita,
        existing="overwrite",
    )
    clock.move_to(LATER)
    talents.update_talent(lena, {"job_title": "Leiterin"}, actor=alice)

    summary = undone(job, rita)

    assert summary == {"removed": 0, "reverted": 0, "kept": 1}
    lena.refresh_from_db()
    assert (lena.city, lena.job_title) == ("Berlin", "Leiterin")


def test_undoing_twice_does_nothing_the_second_time(
    tmp_path: Path, rita: User, clock: TimeMachineFixture
) -> None:
    job = imported(xlsx(tmp_path / "t.xlsx", people(2)), rita)
    clock.move_to(LATER)
    services.undo_import(job, actor=rita)
    make_talent(email="talent1@example.com")

    assert services.undo_import(job, actor=rita) == {}

    assert Talent.objects.count() == 1
    job.refresh_from_db()
    assert job.undo_summary == {"removed": 2, "reverted": 0, "kept": 0}
    assert not services.can_undo(job)


def test_an_import_that_changed_no_talent_offers_no_undo(
    tmp_path: Path, rita: User, clock: TimeMachineFixture
) -> None:
    path = xlsx(tmp_path / "t.xlsx", people(2))
    imported(path, rita)
    clock.move_to(LATER)
    again = imported(path, rita, existing="skip")

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert not services.can_undo(again)
    assert not services.request_undo(again, actor=rita)
    response = logged_in(rita).get(reverse("imports:import-detail", args=[again.pk]))
    assert "Undo the import" not in response.content.decode()


def test_an_import_that_never_ran_cannot_be_undone(tmp_path: Path, rita: User) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))

    assert not services.can_undo(job)
    assert services.undo_import(job, actor=rita) == {}
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY


def test_undo_gives_each_updated_talent_its_own_old_values_back(
    tmp_path: Path, rita: User, alice: User, statuses: dict[str, Status], clock: TimeMachineFixture
) -> None:
    """Talents are reverted together in a step: each gets what it had, and one whose old
    status was deleted since keeps everything the import gave it."""
    pool, tag = make_pool("Vertrieb"), make_tag("Messe")
    paused = Status.objects.create(key="paused", name_en="Paused", name_de="Pausiert")
    before = {
        "talent1@example.com": (statuses["contacted"], rita, "Hamburg"),
        "talent2@example.com": (statuses["new"], None, "Köln"),
        "talent3@example.com": (paused, alice, "Bonn"),
    }
    for email, (status, owner, city) in before.items():
        make_talent(email=email, status=status, owner=owner, city=city)
    rows: list[list[Cell]] = [
        person(number, city="Berlin", note="Aus der Messe") for number in (1, 2, 3)
    ]
    job = imported(
        xlsx(tmp_path / "t.xlsx", rows),
        rita,
        existing="overwrite",
        status=statuses["hired"],
        owner=alice,
        pools=[pool],
        tags=[tag],
    )
    Status.objects.filter(pk=paused.pk).delete()
    clock.move_to(LATER)

    summary = undone(job, rita)

    assert summary == {"removed": 0, "reverted": 2, "kept": 1}
    now = {t.email: (t.status, t.owner, t.city) for t in Talent.objects.all()}
    assert now == {**before, "talent3@example.com": (statuses["hired"], alice, "Berlin")}
    for email, pools, tags, notes in (
        ("talent1@example.com", [], [], []),
        ("talent2@example.com", [], [], []),
        ("talent3@example.com", [pool], [tag], ["Aus der Messe"]),
    ):
        talent = Talent.objects.get(email=email)
        assert (list(talent.pools.all()), list(talent.tags.all())) == (pools, tags)
        assert list(talent.notes.values_list("text", flat=True)) == notes
        assert ("messe" in talent.search_text.split()) == bool(notes)
    reverted = Talent.objects.get(email="talent1@example.com")
    kinds = reverted.events.filter(created_at=LATER).values_list("kind", flat=True)
    assert set(kinds) == {
        Event.Kind.FIELD_CHANGED,
        Event.Kind.STATUS_CHANGED,
        Event.Kind.OWNER_CHANGED,
        Event.Kind.POOL_REMOVED,
        Event.Kind.TAG_REMOVED,
        Event.Kind.NOTE_DELETED,
    }


@pytest.mark.parametrize(
    ("consent", "existing", "updated", "unchanged", "keeps"),
    [
        ("recorded", "fill", 1, 0, True),
        ("recorded", "overwrite", 0, 2, True),  # known, nothing to change: consent all the same
        ("recorded", "skip", 0, 2, False),  # skipped talents get nothing recorded
        ("recorded", "fill", 0, 0, False),  # only new talents, which the undo removes
        ("weekly", "fill", 3, 0, False),
    ],
)
def test_the_undo_knows_when_consent_recorded_for_known_talents_stays(
    consent: str, existing: str, updated: int, unchanged: int, keeps: bool
) -> None:
    job = ImportJob(
        consent=consent, existing=existing, updated_count=updated, unchanged_count=unchanged
    )

    assert services.keeps_recorded_consent(job) is keeps


def test_undo_deletes_the_tags_the_import_created_unless_something_else_has_them(
    tmp_path: Path, rita: User, alice: User, clock: TimeMachineFixture
) -> None:
    make_tag("Messe")
    names = ["Messe", "Herbst 2026", "Campus", "Karriereseite", "Zweite Datei", "Von Hand"]
    tags = {}
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))
    for name in names:  # as the decisions' "New tags" makes them
        tag, new = talents.get_or_create_tag(name)
        tags[name] = tag
        job.tags.add(tag)
        if new:
            job.created_tags.add(tag)
    started(job)
    talents.save_search(alice, name="Campus", query=f"tag={tags['Campus'].pk}&q=java")
    make_talent_form(tags=[tags["Karriereseite"]])
    uploaded(xlsx(tmp_path / "u.xlsx", people(1, start=5)), rita, tags=[tags["Zweite Datei"]])
    kept = make_talent(email="kept@example.com")
    talents.add_tag(kept, tags["Von Hand"], actor=alice)
    clock.move_to(LATER)

    summary = services.undo_import(job, actor=rita)

    assert summary["deleted_tags"] == ["Herbst 2026"]
    left = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    assert left == set(names) - {"Herbst 2026"}
    job.refresh_from_db()
    assert job.undo_summary["deleted_tags"] == ["Herbst 2026"]
    page = logged_in(rita).get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Created talents removed: 2 ·" in page
    assert "The tag the import created is deleted too, as nothing else has it: Herbst 2026" in page


def test_a_created_tag_a_kept_talent_has_stays_after_the_undo(
    tmp_path: Path, rita: User, alice: User, clock: TimeMachineFixture
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(2)), rita))
    tag, _new = talents.get_or_create_tag("Herbst 2026")
    job.tags.add(tag)
    job.created_tags.add(tag)
    started(job)
    clock.move_to(LATER)
    worked_on = Talent.objects.get(email="talent1@example.com")
    talents.update_talent(worked_on, {"city": "Leipzig"}, actor=alice)

    assert services.undo_import(job, actor=rita) == {"removed": 1, "reverted": 0, "kept": 1}

    assert list(worked_on.tags.values_list("name", flat=True)) == ["Herbst 2026"]
