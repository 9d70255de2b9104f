"""Bulk intake (what every import batch goes through) keeps the rules of intake_talent: the
same arrivals through either path leave the same talents, timelines, memberships, legal
bases, duplicate flags and audit entries; and what only bulk intake does (fill, skip,
notes) on top."""

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from silverpool.accounts.models import User
from silverpool.bulk_insert import writes_beside
from silverpool.privacy.models import AuditEntry, ConsentRecord, LegalBasis, Purpose
from silverpool.privacy.services import ConsentGrant
from silverpool.talents import services
from silverpool.talents.models import (
    DuplicateFlag,
    Event,
    Note,
    Status,
    Talent,
)
from silverpool.talents.search import TalentFilters, filter_talents
from silverpool.talents.services import bulk_intake
from silverpool.talents.services.bulk_intake import (
    Arrival,
    Channel,
    ExistingTalents,
    intake_talents,
)
from silverpool.talents.validation import clean_talent_fields

from .factories import make_pool, make_tag, make_talent

ARRIVALS: list[dict[str, Any]] = [
    {
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna@example.com",
        "phone": "+4915112345678",
        "city": "Köln",
        "country": "DE",
        "job_title": "Data Engineer",
        "skills": ["Python", "SQL"],
        "linkedin_url": "linkedin.com/in/anna-berg",
        "salary_amount": "65000",
        "available_from": "2027-04-01",
    },
    # Lena is known (by email, other capitals): her city and title change, her phone stays.
    {"first_name": "Lena", "email": "LENA@example.com", "city": "Berlin", "job_title": "CTO"},
    # Same name and phone as Max, who is known under another address: a possible duplicate.
    {"first_name": "Max", "last_name": "Muster", "email": "max.neu@example.com",
     "phone": "030 123456"},
    # In a private pool Rita is not a member of: refused, untouched.
    {"first_name": "Eve", "email": "ceo@example.com", "city": "Paris"},
]  # fmt: skip


@pytest.fixture
def world(rita: User, alice: User, statuses: dict[str, Status]) -> dict[str, Any]:
    """Talents and pools both paths meet: Lena in pool A with status contacted, Max, and
    the CEO in a private pool."""
    pool_a, pool_b, secret = make_pool("A"), make_pool("B"), make_pool("Board", is_private=True)
    make_talent(
        alice,
        first_name="Lena",
        email="lena@example.com",
        phone="+4940123456",
        city="Hamburg",
        status=statuses["contacted"],
        owner=rita,
        pools=[pool_a],
    )
    make_talent(
        alice, first_name="Max", last_name="Muster", email="max@example.com", phone="+4930123456"
    )
    make_talent(alice, first_name="Eve", email="ceo@example.com", city="Berlin", pools=[secret])
    return {"pools": [pool_a, pool_b], "tags": [make_tag("Messe")], "status": statuses["new"]}


def snapshot() -> dict[str, Any]:
    """What a user can observe of every talent, keyed by email (ids differ between runs)."""
    email = dict(Talent.objects.values_list("pk", "email"))
    talents = {}
    for talent in Talent.objects.select_related("status", "owner", "legal_basis"):
        basis: LegalBasis = talent.legal_basis
        talents[talent.email] = {
            **{name: getattr(talent, name) for name in FIELDS},
            "status": talent.status.key,
            "owner": talent.owner.username if talent.owner else None,
            "pools": sorted(talent.pools.values_list("name", flat=True)),
            "tags": sorted(talent.tags.values_list("name", flat=True)),
            "basis": (
                basis.state,
                basis.hold_until,
                basis.consent_deadline,
                basis.consent_valid_until,
                basis.due_on,
                basis.notice_due_on,
            ),
            "consents": sorted(
                (r.purpose.key, r.decision, r.method, r.note, r.recorded_by_id)
                for r in talent.consent_records.select_related("purpose")
            ),
            "events": timeline_facts(talent, email),
        }
    flags = sorted(
        (email[f.talent_id], email[f.other_id], f.reason) for f in DuplicateFlag.objects.all()
    )
    audit = Counter(
        (e.action, email.get(e.talent_id or 0), e.actor_id, repr(e.detail))
        for e in AuditEntry.objects.all()
    )
    return {"talents": talents, "flags": flags, "audit": audit}


def timeline_facts(talent: Talent, email: dict[int, str]) -> Counter[tuple[Any, ...]]:
    """The talent's timeline as facts: bulk intake names a new talent's pools and tags in
    its CREATED entry, intake_talent writes an entry for each; talents by email."""
    facts: Counter[tuple[Any, ...]] = Counter()
    for event in talent.events.all():
        data, who = dict(event.data), (event.actor_id, event.actor_label)
        if event.kind == Event.Kind.CREATED:
            facts.update((Event.Kind.POOL_ADDED, pool, *who) for pool in data.pop("pools", []))
            facts.update((Event.Kind.TAG_ADDED, tag, *who) for tag in data.pop("tags", []))
        if event.kind == Event.Kind.POOL_ADDED:
            facts[(event.kind, data["pool"], *who)] += 1
            continue
        if event.kind == Event.Kind.TAG_ADDED:
            facts[(event.kind, data["tag"], *who)] += 1
            continue
        if "other_id" in data:
            data["other_id"] = email[data["other_id"]]
        facts[(event.kind, repr(sorted(data.items())), *who)] += 1
    return facts


FIELDS = [
    "first_name",
    "last_name",
    "phone",
    "city",
    "country",
    "job_title",
    "skills",
    "linkedin_url",
    "salary_amount",
    "salary_currency",
    "salary_period",
    "available_from",
    "custom_values",
    "source_kind",
    "source_label",
    "name_key",
    "search_text",
    "is_restricted",
]


def one_by_one(channel: Channel) -> list[str]:
    """The arrivals through intake_talent, as the API or a form brings them; the emails
    it refused."""
    refused = []
    for raw in ARRIVALS:
        try:
            services.intake_talent(
                raw,
                actor=channel.actor,
                actor_label=channel.actor_label,
                source_kind=channel.source_kind,
                source_label=channel.source_label,
                status=channel.status,
                owner=channel.owner,
                pools=channel.pools,
                tags=channel.tags,
                rejected_applicant=channel.rejected_applicant,
                consent=channel.consent,
            )
        except ValidationError:
            refused.append(raw["email"])
    return refused


def in_bulk(channel: Channel) -> list[str]:
    arrivals = [
        Arrival(key, clean_talent_fields(raw, partial=False)) for key, raw in enumerate(ARRIVALS)
    ]
    with transaction.atomic(), writes_beside():
        result = intake_talents(arrivals, channel)
    return [ARRIVALS[key]["email"] for key in result.refused]


def outcome(intake: Callable[[Channel], list[str]], channel: Channel) -> dict[str, Any]:
    """What `intake` leaves behind; rolled back afterwards, so both paths start alike."""
    with transaction.atomic():
        refused = intake(channel)
        seen = {**snapshot(), "refused": refused}
        transaction.set_rollback(True)
    return seen


@pytest.fixture
def compare(world: dict[str, Any]) -> Callable[..., None]:
    def compare_paths(**options: Any) -> None:
        channel = Channel(
            source_kind=Talent.SourceKind.IMPORT,
            source_label="bewerber.xlsx",
            existing=ExistingTalents.OVERWRITE,
            **options,
        )
        single, bulk = outcome(one_by_one, channel), outcome(in_bulk, channel)
        assert bulk["refused"] == single["refused"] == ["ceo@example.com"]
        assert bulk["flags"] == single["flags"]
        assert bulk["audit"] == single["audit"]
        assert bulk["talents"].keys() == single["talents"].keys()
        for email, seen in single["talents"].items():
            assert bulk["talents"][email] == seen, email

    return compare_paths


@pytest.mark.parametrize("step", [bulk_intake.CREATE_STEP, 1])
def test_bulk_intake_does_what_intake_talent_does_for_each_arrival(
    compare: Callable[..., None],
    world: dict[str, Any],
    rita: User,
    alice: User,
    step: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As an import writes: in steps (one talent each here, as in a batch of thousands),
    each step's rows going into their tables beside the next one's building on SQLite."""
    monkeypatch.setattr(bulk_intake, "CREATE_STEP", step)
    compare(
        actor=rita,
        actor_label="",
        status=world["status"],
        owner=alice,
        pools=world["pools"],
        tags=world["tags"],
    )


def test_bulk_intake_opens_the_same_legal_basis_for_rejected_applicants(
    compare: Callable[..., None], world: dict[str, Any], rita: User
) -> None:
    compare(actor=rita, actor_label="", rejected_applicant=True)


def test_bulk_intake_records_consent_obtained_elsewhere_as_intake_talent_does(
    compare: Callable[..., None], alice: User, rita: User
) -> None:
    grant = ConsentGrant(
        method=ConsentRecord.Method.IMPORT,
        language="de",
        given=[Purpose.TALENT_POOL],
        note="Formular Messe 2026",
        recorded_by=alice,
    )
    # Alice sees the private pool: the CEO is refused only to Rita. Compare as Rita.
    compare(actor=rita, actor_label="", consent=grant)


def channel(**options: Any) -> Channel:
    return Channel(
        actor=options.pop("actor", None),
        actor_label="Import",
        source_kind=Talent.SourceKind.IMPORT,
        source_label="bewerber.xlsx",
        **options,
    )


def take(*arrivals: Arrival, **options: Any) -> Any:
    with transaction.atomic(), writes_beside():
        return intake_talents(list(arrivals), channel(**options))


def test_fill_only_fills_empty_fields(db: None) -> None:
    lena = make_talent(first_name="Lena", email="lena@example.com", city="Hamburg")

    fields = {"first_name": "Helene", "email": "lena@example.com", "city": "Berlin"}

    result = take(Arrival(1, fields | {"job_title": "CTO"}), existing=ExistingTalents.FILL)

    lena.refresh_from_db()
    assert (lena.first_name, lena.city, lena.job_title) == ("Lena", "Hamburg", "CTO")
    assert result.updated[1].changes == {"job_title": ["", "CTO"]}


def test_skip_leaves_known_talents_unchanged_and_says_so(db: None, new_status: Status) -> None:
    lena = make_talent(first_name="Lena", email="lena@example.com", city="Hamburg")
    pool = make_pool("A")

    result = take(
        Arrival(1, {"first_name": "Lena", "email": "lena@example.com", "city": "Berlin"}),
        existing=ExistingTalents.SKIP,
        pools=[pool],
    )

    assert list(result.unchanged) == [1]
    lena.refresh_from_db()
    assert lena.city == "Hamburg"
    assert not lena.pools.exists()


def test_only_the_same_name_with_the_same_phone_is_a_likely_duplicate(db: None) -> None:
    max_ = make_talent(first_name="Max", last_name="Muster", phone="+4930123456")
    make_talent(first_name="Max", last_name="Muster", phone="+4940999999")
    make_talent(first_name="Erika", last_name="Muster", phone="+4930555555")

    # Each arrival shares its name with one known talent and its phone with another.
    result = take(
        Arrival(1, {"first_name": "max", "last_name": "MUSTER", "email": "m@example.com",
                    "phone": "+4930123456"}),
        Arrival(2, {"first_name": "Max", "last_name": "Muster", "email": "x@example.com",
                    "phone": "+4930555555"}),
        Arrival(3, {"first_name": "Erika", "last_name": "Muster", "email": "e@example.com",
                    "phone": "+4940999999"}),
    )  # fmt: skip

    flags = {(f.talent_id, f.other_id) for f in DuplicateFlag.objects.all()}
    assert flags == {(max_.pk, result.created[1].pk)}


def test_new_talents_of_one_batch_are_likely_duplicates_of_each_other(db: None) -> None:
    linkedin = "https://www.linkedin.com/in/eva-berg"

    result = take(
        Arrival(1, {"first_name": "Max", "last_name": "Muster", "email": "m@example.com",
                    "phone": "+4930123456"}),
        Arrival(2, {"first_name": "MAX", "last_name": "muster", "email": "max@firma.de",
                    "phone": "+4930123456"}),
        Arrival(3, {"first_name": "Eva", "last_name": "Berg", "email": "eva@example.com",
                    "linkedin_url": linkedin}),
        Arrival(4, {"first_name": "Eva-Maria", "last_name": "Berg", "email": "eb@firma.de",
                    "linkedin_url": linkedin}),
    )  # fmt: skip

    pk = {key: talent.pk for key, talent in result.created.items()}
    flags = {(f.talent_id, f.other_id, f.reason) for f in DuplicateFlag.objects.all()}
    assert flags == {
        (pk[1], pk[2], DuplicateFlag.Reason.NAME_AND_PHONE),
        (pk[3], pk[4], DuplicateFlag.Reason.LINKEDIN),
    }
    flagged = Event.objects.filter(kind=Event.Kind.DUPLICATE_FLAGGED, talent_id=pk[4]).get()
    assert (flagged.data["other_id"], flagged.data["other_name"]) == (pk[3], "Eva Berg")


def test_a_merged_talent_is_no_likely_duplicate(db: None) -> None:
    kept = make_talent(first_name="Max", last_name="Muster", phone="+4930123456")
    merged = make_talent(
        first_name="Max", last_name="Muster", phone="+4930123456",
        linkedin_url="https://www.linkedin.com/in/max-muster",
    )  # fmt: skip
    Talent.objects.filter(pk=merged.pk).update(merged_into=kept)

    result = take(
        Arrival(1, {"first_name": "Max", "last_name": "Muster", "email": "m@example.com",
                    "phone": "+4930123456",
                    "linkedin_url": "https://www.linkedin.com/in/max-muster"}),
    )  # fmt: skip

    new = result.created[1]
    flags = DuplicateFlag.objects.filter(Q(talent=new) | Q(other=new))
    assert {(f.talent_id, f.other_id) for f in flags} == {(kept.pk, new.pk)}


def test_a_talent_brought_again_unchanged_gets_no_event(db: None) -> None:
    lena = make_talent(first_name="Lena", email="lena@example.com", city="Hamburg")
    events = lena.events.count()

    result = take(
        Arrival(1, {"first_name": "Lena", "email": "lena@example.com", "city": "Hamburg"}),
        existing=ExistingTalents.OVERWRITE,
    )

    assert list(result.unchanged) == [1]
    assert lena.events.count() == events


def test_empty_values_never_blank_a_field(db: None) -> None:
    lena = make_talent(
        first_name="Lena", email="lena@example.com", phone="+4930123456", salary_amount=Decimal(1)
    )
    fields = clean_talent_fields(
        {"first_name": "Lena", "email": "lena@example.com", "phone": "", "skills": ""},
        partial=False,
    )

    take(Arrival(1, fields), existing=ExistingTalents.OVERWRITE)

    lena.refresh_from_db()
    assert lena.phone == "+4930123456"
    assert lena.salary_amount == Decimal(1)


def test_overwriting_custom_values_keeps_the_keys_the_arrival_does_not_bring(db: None) -> None:
    from silverpool.talents.models import CustomField

    CustomField.objects.create(key="notice", label_en="Notice", label_de="Frist")
    CustomField.objects.create(key="level", label_en="Level", label_de="Stufe")
    lena = make_talent(
        first_name="Lena", email="lena@example.com", custom_values={"notice": "1", "level": "A"}
    )

    fields = {"first_name": "Lena", "email": "lena@example.com", "custom_values": {"level": "B"}}

    take(Arrival(1, fields), existing=ExistingTalents.OVERWRITE)

    lena.refresh_from_db()
    assert lena.custom_values == {"notice": "1", "level": "B"}


def test_notes_are_added_once_by_the_actor(db: None, rita: User) -> None:
    arrival = Arrival(1, {"first_name": "Anna", "email": "anna@example.com"}, note="Rückruf")

    take(arrival, actor=rita)
    take(arrival, actor=rita, existing=ExistingTalents.OVERWRITE)

    [note] = Note.objects.all()
    assert (note.text, note.author, note.talent.email) == ("Rückruf", rita, "anna@example.com")


def test_a_private_pool_marks_the_new_talents_restricted(db: None, rita: User) -> None:
    secret = make_pool("Board", is_private=True)
    secret.members.add(rita)

    take(
        Arrival(1, {"first_name": "Anna", "email": "anna@example.com"}), actor=rita, pools=[secret]
    )

    anna = Talent.objects.get()
    assert anna.is_restricted
    assert list(Talent.objects.visible_to(rita)) == [anna]


def found_by_search(query: str) -> list[str]:
    talents = filter_talents(Talent.objects.all(), TalentFilters(q=query))
    return sorted(talents.values_list("email", flat=True))


@pytest.mark.parametrize("step", [bulk_intake.CREATE_STEP, 2])
def test_talents_taken_in_bulk_are_found_by_the_search_and_the_next_one_alone_too(
    db: None, step: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the batch is indexed in one statement, the trigger dropped meanwhile
    (migration 0015), however many steps its talents were written in; afterwards it
    indexes each new talent again."""
    monkeypatch.setattr(bulk_intake, "CREATE_STEP", step)
    people = [
        {"first_name": "Jördis", "email": "j@example.com"},
        {"first_name": "Jörn", "email": "jo@example.com", "city": "Würzburg"},
        {"first_name": "Kai", "email": "kai@example.com"},
    ]
    notes = ["", "", "Spricht Dänisch"]
    take(
        *(
            Arrival(key, clean_talent_fields(fields, partial=False), note=note)
            for key, (fields, note) in enumerate(zip(people, notes, strict=True))
        )
    )
    make_talent(first_name="Jördan", email="solo@example.com")

    assert found_by_search("jör") == ["j@example.com", "jo@example.com", "solo@example.com"]
    assert found_by_search("wurzburg") == ["jo@example.com"]
    assert found_by_search("dänisch") == ["kai@example.com"]


def test_a_known_talent_changed_and_noted_is_found_by_both_and_marked_active(db: None) -> None:
    lena = make_talent(first_name="Lena", email="lena@example.com", city="Hamburg")
    make_talent(first_name="Max", email="max@example.com", city="Hamburg")

    take(
        Arrival(
            1, {"first_name": "Lena", "email": "lena@example.com", "city": "Berlin"}, "Kennt K8s"
        ),
        Arrival(2, {"first_name": "Max", "email": "max@example.com"}, note="Spricht Dänisch"),
        existing=ExistingTalents.OVERWRITE,
    )

    assert found_by_search("berlin k8s") == ["lena@example.com"]
    assert found_by_search("hamburg") == ["max@example.com"]
    assert found_by_search("dänisch") == ["max@example.com"]
    moments = Talent.objects.values_list("last_activity_at", "updated_at", "notes__created_at")
    [(lena_active, lena_updated, lena_noted)] = moments.filter(pk=lena.pk)
    assert lena_active == lena_updated == lena_noted > lena.last_activity_at
