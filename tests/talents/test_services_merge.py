from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import (
    Document,
    DuplicateFlag,
    Event,
    Merge,
    Note,
    Pool,
    PoolMembership,
    Status,
    Talent,
    TalentTag,
)
from silverpool.talents.search import TalentFilters, filter_talents
from silverpool.talents.services.merge import MERGE_FIELDS, Choice

from .factories import make_pool, make_talent

MERGE_KINDS = {Event.Kind.MERGED, Event.Kind.MERGE_UNDONE}


def add_pdf(talent: Talent, actor: User, name: str) -> Document:
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return services.add_document(talent, upload, actor=actor)


def state(talent: Talent) -> dict[str, Any]:
    """Everything a merge may move or change, read back from the database."""
    talent = Talent.objects.get(pk=talent.pk)
    return {
        "fields": {name: getattr(talent, name) for name in MERGE_FIELDS},
        "derived": (talent.merged_into_id, talent.name_key, talent.search_text),
        "notes": set(Note.objects.filter(talent=talent).values_list("pk", "text", "author")),
        "events": set(
            Event.objects.filter(talent=talent)
            .exclude(kind__in=MERGE_KINDS)
            .values_list("pk", "kind")
        ),
        "pools": set(
            PoolMembership.objects.filter(talent=talent).values_list("pk", "pool", "added_by")
        ),
        "tags": set(TalentTag.objects.filter(talent=talent).values_list("pk", "tag", "added_by")),
        "documents": set(Document.objects.filter(talent=talent).values_list("pk", "file")),
    }


def kinds(talent: Talent) -> list[str]:
    return list(Event.objects.filter(talent=talent).values_list("kind", flat=True))


@pytest.fixture
def shared_pool(db: None) -> Pool:
    return make_pool("Runners-up 2026")


@pytest.fixture
def anna(rita: User, shared_pool: Pool) -> Talent:
    talent = make_talent(
        rita,
        first_name="Anna",
        last_name="Schmidt",
        email="anna@example.com",
        phone="030 1234567",
        job_title="Backend developer",
        city="Berlin",
        pools=[make_pool("Engineering"), shared_pool],
        tags=[services.get_or_create_tag("Referral")[0]],
    )
    services.add_note(talent, "Strong in Django", author=rita)
    add_pdf(talent, rita, "anna-cv.pdf")
    return talent


@pytest.fixture
def anna_again(rita: User, alice: User, shared_pool: Pool, statuses: dict[str, Status]) -> Talent:
    talent = make_talent(
        alice,
        first_name="anna",
        last_name="SCHMIDT",
        email="a.schmidt@work.example.com",
        phone="+49 30 1234567",
        job_title="Senior backend engineer",
        city="Köln",
        pools=[make_pool("Sales DACH"), shared_pool],
        tags=[services.get_or_create_tag("Silver medalist")[0]],
        owner=alice,
        status=statuses["engaged"],
    )
    services.add_note(talent, "Wechselbereit ab März", author=alice)
    add_pdf(talent, alice, "anna-lebenslauf.pdf")
    return talent


def test_merge_keeps_every_note_event_pool_tag_and_document_of_both(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    before, other = state(anna), state(anna_again)

    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    after = state(anna)
    assert after["notes"] == before["notes"] | other["notes"]
    assert after["events"] == before["events"] | other["events"]
    assert after["documents"] == before["documents"] | other["documents"]
    assert {pool for _pk, pool, _by in after["pools"]} == {
        pool for _pk, pool, _by in before["pools"] | other["pools"]
    }
    assert {tag for _pk, tag, _by in after["tags"]} == {
        tag for _pk, tag, _by in before["tags"] | other["tags"]
    }


def test_merge_hides_the_secondary_talent(
    rita: User, alice: User, anna: Talent, anna_again: Talent
) -> None:
    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    anna_again.refresh_from_db()
    assert anna_again.merged_into_id == anna.pk
    assert anna_again.email == ""
    assert list(Talent.objects.visible_to(alice)) == [anna]
    assert list(filter_talents(Talent.objects.visible_to(rita), TalentFilters(q="schmidt"))) == [
        anna
    ]


def test_merge_takes_the_chosen_fields_from_the_secondary_and_keeps_the_rest(
    rita: User, alice: User, anna: Talent, anna_again: Talent, statuses: dict[str, Status]
) -> None:
    choices: dict[str, Choice] = {
        "email": "secondary",
        "job_title": "secondary",
        "status_id": "secondary",
        "owner_id": "secondary",
        "city": "primary",
    }

    services.merge_talents(anna, anna_again, choices=choices, actor=rita)

    anna.refresh_from_db()
    assert anna.email == "a.schmidt@work.example.com"
    assert anna.job_title == "Senior backend engineer"
    assert anna.status == statuses["engaged"]
    assert anna.owner == alice
    assert (anna.city, anna.first_name, anna.last_name) == ("Berlin", "Anna", "Schmidt")


def test_merge_makes_the_primary_findable_by_what_the_secondary_brought(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    found = filter_talents(Talent.objects.active(), TalentFilters(q="wechselbereit"))
    assert list(found) == [anna]


def test_merge_resolves_the_duplicate_flag_of_the_pair(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    assert services.open_duplicate_flags(anna).exists()

    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    assert not services.open_duplicate_flags(anna).exists()


def test_merge_records_one_merged_event_on_the_primary_timeline(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    merge = services.merge_talents(anna, anna_again, choices={"job_title": "secondary"}, actor=rita)

    event = Event.objects.get(kind=Event.Kind.MERGED)
    assert event.talent_id == anna.pk
    assert event.actor == rita
    assert event.data == {
        "merge_id": merge.pk,
        "other_id": anna_again.pk,
        "other_name": "anna SCHMIDT",
        "fields_taken": ["job_title"],
    }
    assert kinds(anna)[0] == Event.Kind.MERGED
    assert kinds(anna).count(Event.Kind.CREATED) == 2


def test_undo_merge_restores_fields_notes_pools_tags_documents_and_emails_exactly(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    before, other = state(anna), state(anna_again)
    taken = ("email", "job_title", "city", "phone", "owner_id")
    choices: dict[str, Choice] = dict.fromkeys(taken, "secondary")
    merge = services.merge_talents(anna, anna_again, choices=choices, actor=rita)

    services.undo_merge(merge, actor=rita)

    assert state(anna) == before
    assert state(anna_again) == other
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_undo_merge_records_merge_undone_on_both_timelines(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    merge = services.merge_talents(anna, anna_again, choices={}, actor=rita)

    services.undo_merge(merge, actor=rita)

    assert kinds(anna)[:2] == [Event.Kind.MERGE_UNDONE, Event.Kind.MERGED]
    assert kinds(anna_again)[0] == Event.Kind.MERGE_UNDONE
    assert Event.objects.get(talent=anna_again, kind=Event.Kind.MERGE_UNDONE).data["other_id"] == (
        anna.pk
    )


def test_undo_merge_brings_back_the_duplicate_banner(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    merge = services.merge_talents(anna, anna_again, choices={}, actor=rita)

    services.undo_merge(merge, actor=rita)

    assert services.open_duplicate_flags(anna).get().reason == DuplicateFlag.Reason.NAME_AND_PHONE


def test_undo_merge_keeps_what_was_added_to_the_primary_since(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    merge = services.merge_talents(anna, anna_again, choices={}, actor=rita)
    note = services.add_note(anna, "Called after the merge", author=rita)

    services.undo_merge(merge, actor=rita)

    assert Note.objects.get(pk=note.pk).talent_id == anna.pk


def test_undoing_a_merge_twice_is_refused(rita: User, anna: Talent, anna_again: Talent) -> None:
    merge = services.merge_talents(anna, anna_again, choices={}, actor=rita)
    services.undo_merge(merge, actor=rita)

    with pytest.raises(ValidationError):
        services.undo_merge(merge, actor=rita)

    assert Event.objects.filter(kind=Event.Kind.MERGE_UNDONE).count() == 2


def test_merging_an_already_merged_talent_is_refused(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    third = make_talent(rita, first_name="Anne")
    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    with pytest.raises(ValidationError):
        services.merge_talents(third, anna_again, choices={}, actor=rita)
    with pytest.raises(ValidationError):
        services.merge_talents(anna_again, third, choices={}, actor=rita)

    assert Merge.objects.count() == 1
    assert Talent.objects.get(pk=third.pk).merged_into_id is None


def test_a_stale_copy_of_a_merged_talent_cannot_be_merged_again(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    stale = Talent.objects.get(pk=anna_again.pk)
    third = make_talent(rita, first_name="Anne")
    services.merge_talents(anna, anna_again, choices={}, actor=rita)

    with pytest.raises(ValidationError):
        services.merge_talents(third, stale, choices={}, actor=rita)

    assert Talent.objects.get(pk=anna_again.pk).merged_into_id == anna.pk


def test_a_talent_cannot_be_merged_with_itself(rita: User, anna: Talent) -> None:
    with pytest.raises(ValidationError):
        services.merge_talents(anna, anna, choices={}, actor=rita)


def test_a_merge_choice_for_an_unknown_field_is_refused(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    with pytest.raises(ValidationError):
        services.merge_talents(anna, anna_again, choices={"search_text": "secondary"}, actor=rita)

    assert Talent.objects.get(pk=anna_again.pk).merged_into_id is None


def test_an_earlier_merge_is_undone_only_after_a_later_merge_into_the_same_talent(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    third = make_talent(rita, first_name="Anna", last_name="Schmidt", email="as@example.org")
    first = services.merge_talents(anna, anna_again, choices={"email": "secondary"}, actor=rita)
    second = services.merge_talents(anna, third, choices={"email": "secondary"}, actor=rita)

    with pytest.raises(ValidationError):
        services.undo_merge(first, actor=rita)
    services.undo_merge(second, actor=rita)
    services.undo_merge(first, actor=rita)

    emails = {t.pk: t.email for t in Talent.objects.active()}
    assert emails == {
        anna.pk: "anna@example.com",
        anna_again.pk: "a.schmidt@work.example.com",
        third.pk: "as@example.org",
    }


def test_undo_is_refused_when_another_talent_has_taken_the_email_meanwhile(
    rita: User, anna: Talent, anna_again: Talent
) -> None:
    merge = services.merge_talents(anna, anna_again, choices={}, actor=rita)
    newcomer = make_talent(rita, email="a.schmidt@work.example.com")

    with pytest.raises(ValidationError) as caught:
        services.undo_merge(merge, actor=rita)

    assert newcomer.full_name in caught.value.messages[0]
    assert Talent.objects.get(pk=anna_again.pk).merged_into_id == anna.pk


def test_merging_a_talent_from_a_private_pool_makes_the_primary_private_until_undone(
    rita: User, alice: User, anna: Talent, anna_again: Talent
) -> None:
    private = make_pool("Executive search", is_private=True)
    services.add_to_pool(anna_again, private, actor=alice)

    merge = services.merge_talents(anna, anna_again, choices={}, actor=alice)

    assert not Talent.objects.visible_to(rita).filter(pk=anna.pk).exists()
    services.undo_merge(merge, actor=alice)
    assert Talent.objects.visible_to(rita).filter(pk=anna.pk).exists()
    assert not Talent.objects.visible_to(rita).filter(pk=anna_again.pk).exists()
