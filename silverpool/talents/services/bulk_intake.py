"""Intake for many talents at once (imports): what `intake_talent` does for one, done
with a handful of statements per batch instead of a dozen per talent.

The rules are intake's: the same email (case ignored) is the same talent, a channel's
empty value never blanks out a field, a user may not update a talent they may not see,
every change is on the timeline, and the privacy app opens each new talent's legal basis.
The caller holds the transaction: a batch is written whole or not at all.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import batched
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple
from django.utils import timezone

from ...accounts.models import User
from ...bulk_insert import insert_rows, lock_keys, reserve_ids, update_rows
from ...lookups import AnyOf
from ...privacy import services as privacy
from ..models import (
    DuplicateFlag,
    Event,
    Note,
    Pool,
    PoolMembership,
    Status,
    Tag,
    Talent,
    TalentTag,
)
from ..search import build_search_text, search_index_deferred, search_index_rewritten
from .derived import extra_search_texts, name_key, refresh_restriction, search_parts
from .events import jsonable
from .intake import (
    DUPLICATE_RELEVANT,
    HIDDEN_TALENT,
    channel_changes,
    default_status,
    find_by_emails,
)

if TYPE_CHECKING:
    from ...privacy.models import Policy
    from ...privacy.services import ConsentGrant


class ExistingTalents(StrEnum):
    """What a channel's values do to a talent that is already there."""

    SKIP = "skip"
    FILL = "fill"
    OVERWRITE = "overwrite"


@dataclass
class Arrival:
    """One talent's cleaned fields (as clean_talent_fields returns them), a note, the
    source label a new talent gets (default: the channel's), and the names of the tags it
    gets besides the channel's (Channel.named_tags has them)."""

    key: int
    fields: dict[str, Any]
    note: str = ""
    source_label: str = ""
    tag_names: Sequence[str] = ()


@dataclass
class Changed:
    """An existing talent the channel brought: the values it brings that would change
    something, and afterwards what changed (field -> [old, new], as events.jsonable keeps
    them; status and owner as ids) and which pools and tags were added."""

    talent: Talent
    new_values: dict[str, Any]
    changes: dict[str, list[Any]] = field(default_factory=dict)
    added_pools: list[int] = field(default_factory=list)
    added_tags: list[int] = field(default_factory=list)
    added_notes: list[int] = field(default_factory=list)


@dataclass
class BulkResult:
    created: dict[int, Talent] = field(default_factory=dict)
    updated: dict[int, Changed] = field(default_factory=dict)
    unchanged: dict[int, Talent] = field(default_factory=dict)
    # Arrival key -> (field, message): talents the actor may not update.
    refused: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Channel:
    """Who brings the talents and what applies to each of them."""

    actor: User | None
    actor_label: str
    source_kind: Talent.SourceKind
    source_label: str
    existing: ExistingTalents = ExistingTalents.FILL
    status: Status | None = None
    owner: User | None = None
    pools: Sequence[Pool] = ()
    tags: Sequence[Tag] = ()
    # The tags that arrivals name (Arrival.tag_names), by their name in lower case.
    named_tags: Mapping[str, Tag] = field(default_factory=dict)
    rejected_applicant: bool = False
    consent: "ConsentGrant | None" = None


EVENT_FIELDS = ("talent_id", "kind", "actor_id", "actor_label", "data", "created_at")


class _Timeline:
    """Events collected for one insert, all at `now`, which is also the last activity of
    every talent they are about (new talents are created with it); and the columns of known
    talents to write with it, so that each such talent's row is written once (on
    PostgreSQL every write of a row is a new version of it in each of its indexes)."""

    def __init__(self, channel: Channel, now: datetime.datetime) -> None:
        self.channel = channel
        self.now = now
        self.actor_id = channel.actor.pk if channel.actor else None
        self.events: list[tuple[Any, ...]] = []
        self.existing: set[int] = set()
        self.columns: dict[int, dict[str, Any]] = defaultdict(dict)

    def add(self, talent_id: int, kind: Event.Kind, **data: Any) -> None:
        payload = {key: jsonable(value) for key, value in data.items()}
        self.events.append(
            (talent_id, kind, self.actor_id, self.channel.actor_label, payload, self.now)
        )

    def insert_events(self) -> None:
        """Write the events collected so far."""
        insert_rows(Event, EVENT_FIELDS, self.events)
        self.events = []

    def save(self) -> None:
        self.insert_events()
        active = {"last_activity_at": self.now}
        rewritten = [pk for pk, columns in self.columns.items() if "search_text" in columns]
        with search_index_rewritten(rewritten):
            update_rows(Talent, [(pk, columns | active) for pk, columns in self.columns.items()])
        if only_active := self.existing - self.columns.keys():
            Talent.objects.filter(AnyOf(F("pk"), only_active)).update(**active)


@dataclass
class _Held:
    """What the known talents of a batch have already: their pools and tags, by talent,
    and the texts their search words hold besides their fields (notes, documents)."""

    pools: set[tuple[int, int]]
    tags: set[tuple[int, int]]
    texts: dict[int, list[str]]

    @classmethod
    def read(cls, known: list[int]) -> "_Held":
        # All pools and tags of the known talents, by talent: a filter on the channel's
        # pool too lets PostgreSQL, whose statistics lag behind an import that fills that
        # pool, read the whole pool instead.
        return cls(
            pools=set(
                PoolMembership.objects.filter(AnyOf(F("talent_id"), known)).values_list(
                    "talent_id", "pool_id"
                )
            ),
            tags=set(
                TalentTag.objects.filter(AnyOf(F("talent_id"), known)).values_list(
                    "talent_id", "tag_id"
                )
            ),
            texts=extra_search_texts(known),
        )


def intake_talents(
    arrivals: Sequence[Arrival],
    channel: Channel,
    *,
    before_updates: Callable[[BulkResult], object] | None = None,
) -> BulkResult:
    """Create the new talents among `arrivals` and update the existing ones (found by
    email) as `channel.existing` says; apply status, owner, pools and tags to every talent
    taken. Arrivals must have distinct emails. Must run inside a transaction.

    `before_updates` is called with the result, complete by then, before the first write
    to a row that was already there (a known talent's fields and last activity, the likely
    duplicates' flags and timelines). Until then a batch only inserts rows and changes
    rows it inserted, which no other transaction sees or locks. A caller writing several
    batches at once, each in a transaction of its own, writes its own rows of the batch
    there and then waits for the batch before this one to end: two batches never wait for
    each other's row locks, and this batch's likely duplicates include the earlier
    batches' talents."""
    assert transaction.get_connection().in_atomic_block, "intake_talents needs a transaction"
    now = timezone.now()
    timeline = _Timeline(channel, now)
    result = BulkResult()
    existing = _existing_by_email(arrivals)
    known = [talent.pk for talent in existing.values()]
    status = channel.status or default_status()
    _lock_references(channel, status, known)
    visible = visible_ids(channel.actor, known)
    new: list[Arrival] = []
    for arrival in arrivals:
        talent = existing.get(arrival.fields.get("email", "").lower())
        if talent is None:
            new.append(arrival)
        elif talent.pk not in visible:
            result.refused[arrival.key] = ("email", str(HIDDEN_TALENT))
        elif channel.existing == ExistingTalents.SKIP:
            result.unchanged[arrival.key] = talent
        else:
            fill = channel.existing == ExistingTalents.FILL
            new_values = channel_changes(talent, arrival.fields, fill=fill)
            result.updated[arrival.key] = Changed(talent, new_values)
    # Everything the batch reads of what was there comes before its first write: on SQLite
    # the writes go in beside the building of the rest, up to the next read
    # (bulk_insert.writes_beside).
    held = _Held.read([changed.talent.pk for changed in result.updated.values()])
    notes, note_ids = _notes_to_add(arrivals, {arrival.key for arrival in new}, result)
    policy = privacy.get_policy()
    tags = {arrival.key: _tags_of(arrival, channel) for arrival in arrivals if arrival.tag_names}
    result.created = _create(new, channel, status, timeline, tags)
    _write_updates(result.updated, channel, timeline, held.texts)
    touched = {**result.created, **{key: c.talent for key, c in result.updated.items()}}
    _apply_memberships(touched, result, channel, timeline, held, tags)
    noted = _add_notes(notes, note_ids, touched, result, timeline)
    # Consent and the application hold apply to every known talent taken, changed or not.
    taken = [changed.talent for changed in result.updated.values()]
    for key, changed in list(result.updated.items()):
        if changed.changes or changed.added_pools or changed.added_tags or key in noted:
            timeline.add(
                changed.talent.pk,
                Event.Kind.UPDATED,
                source_kind=channel.source_kind,
                source_label=channel.source_label,
            )
        else:
            result.unchanged[key] = result.updated.pop(key).talent
            timeline.existing.discard(changed.talent.pk)  # nothing happened to it
    _open_legal_bases(result.created, channel, policy)
    timeline.insert_events()
    if before_updates is not None:
        before_updates(result)
    _flag_duplicates(
        list(result.created.values()),
        [c.talent for c in result.updated.values() if DUPLICATE_RELEVANT & c.changes.keys()],
        timeline,
    )
    timeline.save()
    if any(pool.is_private for pool in channel.pools):
        refresh_restriction([talent.pk for talent in touched.values()])
    _apply_intake_to_known(taken, channel)
    return result


def _tags_of(arrival: Arrival, channel: Channel) -> list[Tag]:
    """The channel's tags and those the arrival names, each once."""
    tags = {tag.pk: tag for tag in channel.tags}
    for name in arrival.tag_names:
        tag = channel.named_tags[name.lower()]
        tags.setdefault(tag.pk, tag)
    return list(tags.values())


def _lock_references(channel: Channel, status: Status, known: list[int]) -> None:
    """The rows that the batch's rows refer to besides its own (see insert_rows): its
    users, status, pools and tags, and the talents it found by email."""
    lock_keys(User, {user.pk for user in (channel.actor, channel.owner) if user is not None})
    lock_keys(Status, [status.pk])
    lock_keys(Pool, [pool.pk for pool in channel.pools])
    lock_keys(Tag, [tag.pk for tag in (*channel.tags, *channel.named_tags.values())])
    lock_keys(Talent, known)


def _existing_by_email(arrivals: Sequence[Arrival]) -> dict[str, Talent]:
    emails = [a.fields["email"].lower() for a in arrivals if a.fields.get("email")]
    if not emails:
        return {}
    found = find_by_emails(emails).select_related("status", "owner")
    return {talent.email.lower(): talent for talent in found}


def visible_ids(actor: User | None, ids: list[int]) -> set[int]:
    """Those of the talents with `ids` that `actor` may see (and so update)."""
    if actor is None or actor.is_admin:
        return set(ids)
    visible = Talent.objects.visible_to(actor).filter(AnyOf(F("pk"), ids))
    return set(visible.values_list("pk", flat=True))


TALENT_DEFAULTS = {
    field.attname: field.get_default()
    for field in Talent._meta.concrete_fields
    if field.attname != "id"
}


# A row of ["id", *TALENT_DEFAULTS] is a talent's concrete fields in order (see _create).
assert Talent._meta.concrete_fields[0].attname == "id"
# A field's place in such a row.
POSITION = {name: 1 + index for index, name in enumerate(TALENT_DEFAULTS)}
DEFAULT_ROW = [None, *TALENT_DEFAULTS.values()]
# The defaults that are lists or dicts: each row needs its own.
MUTABLE_DEFAULTS = [
    (POSITION[name], type(value))
    for name, value in TALENT_DEFAULTS.items()
    if isinstance(value, list | dict)
]


# New talents are built and written in steps of this many: on SQLite each step goes into
# the table's indexes beside the building of the next (bulk_insert.writes_beside; with it
# a 100k-row import took 6 % less time, docs/benchmarks.md "Session 14"). Each step is
# one statement, whose journal copies every page of the indexes it changes: steps of
# 3,000 instead of 1,000 went in in a quarter less time (session 26).
CREATE_STEP = 3_000


def _create(
    arrivals: list[Arrival],
    channel: Channel,
    status: Status,
    timeline: _Timeline,
    tags: Mapping[int, list[Tag]],
) -> dict[int, Talent]:
    """`tags`: the tags of the arrivals that name some of their own (_tags_of)."""
    if not arrivals:
        return {}
    now = timeline.now
    common = {
        "status_id": status.pk,
        "owner_id": channel.owner.pk if channel.owner else None,
        "source_kind": channel.source_kind,
        "created_at": now,
        "updated_at": now,
        "last_activity_at": now,
    }
    set_for_all = [(POSITION[name], value) for name, value in common.items()]
    first, last, label, key, text = (
        POSITION[name]
        for name in ("first_name", "last_name", "source_label", "name_key", "search_text")
    )
    created = {}
    extra: dict[str, Any] = {}
    # Private pools get entries of their own, whose names hide_private_pool_names hides.
    if public := [pool.name for pool in channel.pools if not pool.is_private]:
        extra["pools"] = public
    if channel.tags:
        extra["tags"] = [tag.name for tag in channel.tags]
    ids = reserve_ids(Talent, len(arrivals))
    with search_index_deferred(ids):
        for step in batched(zip(arrivals, ids, strict=True), CREATE_STEP):
            rows = []
            for arrival, pk in step:
                # Set by position: merging dicts of all fields per row cost six times as much.
                row = DEFAULT_ROW.copy()
                row[0] = pk
                for position, make in MUTABLE_DEFAULTS:
                    row[position] = make()
                for name, value in arrival.fields.items():
                    row[POSITION[name]] = value
                for position, value in set_for_all:
                    row[position] = value
                row[label] = arrival.source_label or channel.source_label
                row[key] = name_key(row[first], row[last])
                # By position, in the order of the concrete fields: Model.__init__'s fast
                # path (keyword arguments cost three times as much).
                talent = Talent(*row)
                text_parts = [*search_parts(talent), arrival.note]
                talent.search_text = row[text] = build_search_text(text_parts)
                talent._state.adding = False
                created_data = {"source_kind": talent.source_kind, "source_label": row[label]}
                rows.append(row)
                created[arrival.key] = talent
                # One entry for the new talent, naming its pools and tags (see
                # _apply_memberships).
                if (own := tags.get(arrival.key)) is None:
                    timeline.add(pk, Event.Kind.CREATED, **created_data, **extra)
                else:
                    named = extra | {"tags": [tag.name for tag in own]}
                    timeline.add(pk, Event.Kind.CREATED, **created_data, **named)
                if channel.owner is not None:
                    timeline.add(pk, Event.Kind.OWNER_CHANGED, old="", new=str(channel.owner))
            insert_rows(Talent, ["id", *TALENT_DEFAULTS], rows)
    return created


def _write_updates(
    updated: dict[int, Changed], channel: Channel, timeline: _Timeline, texts: dict[int, list[str]]
) -> None:
    """Change the fields and the status and owner of existing talents (written by
    timeline.save); keep the old values in `changes` for undo. `texts`: their search words
    besides their fields (see _Held)."""
    status, owner = channel.status, channel.owner
    for item in updated.values():
        talent = item.talent
        timeline.existing.add(talent.pk)
        for name, value in item.new_values.items():
            old = getattr(talent, name)
            setattr(talent, name, value)
            item.changes[name] = [jsonable(old), jsonable(value)]
            timeline.add(
                talent.pk, Event.Kind.FIELD_CHANGED, field=name, old=old, new=jsonable(value)
            )
        if status is not None and talent.status_id != status.pk:
            timeline.add(
                talent.pk, Event.Kind.STATUS_CHANGED, old=talent.status.key, new=status.key
            )
            item.changes["status"] = [talent.status_id, status.pk]
            talent.status = status
        if owner is not None and talent.owner_id != owner.pk:
            timeline.add(
                talent.pk,
                Event.Kind.OWNER_CHANGED,
                old=str(talent.owner) if talent.owner else "",
                new=str(owner),
            )
            item.changes["owner"] = [talent.owner_id, owner.pk]
            talent.owner = owner
        if item.changes:
            talent.name_key = name_key(talent.first_name, talent.last_name)
            talent.search_text = build_search_text([*search_parts(talent), *texts[talent.pk]])
            talent.updated_at = timeline.now
            # Status and owner by their column (the id), like every other field.
            names = [{"status": "status_id", "owner": "owner_id"}.get(n, n) for n in item.changes]
            names += ["name_key", "search_text", "updated_at"]
            timeline.columns[talent.pk].update({name: getattr(talent, name) for name in names})
    audited = {
        c.talent.pk: [name for name in c.changes if name not in ("status", "owner")]
        for c in updated.values()
        if set(c.changes) - {"status", "owner"}
    }
    if audited:
        privacy.audit_changes(audited, actor=channel.actor, actor_label=channel.actor_label)


def _apply_memberships(
    touched: dict[int, Talent],
    result: BulkResult,
    channel: Channel,
    timeline: _Timeline,
    held: _Held,
    tags: Mapping[int, list[Tag]],
) -> None:
    """`tags`: the tags of the talents whose arrivals name some of their own (_tags_of);
    the others get the channel's."""
    # New talents have no pools and tags yet.
    have_pools, have_tags = held.pools, held.tags
    actor_id, now = timeline.actor_id, timeline.now
    memberships, links = [], []
    # Ids read once: .pk is a property, and this loop runs for each talent of the batch.
    pools = [(pool, pool.pk) for pool in channel.pools]
    for key, talent in touched.items():
        changed = result.updated.get(key)
        talent_id = talent.pk
        for pool, pool_id in pools:
            if (talent_id, pool_id) in have_pools:
                continue
            memberships.append((talent_id, pool_id, actor_id, now))
            # A new talent's CREATED entry names its pools, except private ones (see _create).
            if changed is not None or pool.is_private:
                timeline.add(
                    talent_id,
                    Event.Kind.POOL_ADDED,
                    pool_id=pool_id,
                    pool=pool.name,
                    private=pool.is_private,
                )
            if changed is not None:
                changed.added_pools.append(pool_id)
        for tag in tags.get(key, channel.tags):
            tag_id = tag.pk
            if (talent_id, tag_id) in have_tags:
                continue
            links.append((talent_id, tag_id, actor_id, now))
            if changed is not None:
                timeline.add(talent_id, Event.Kind.TAG_ADDED, tag=tag.name)
                changed.added_tags.append(tag_id)
    insert_rows(PoolMembership, ("talent_id", "pool_id", "added_by_id", "added_at"), memberships)
    insert_rows(TalentTag, ("talent_id", "tag_id", "added_by_id", "added_at"), links)


def _notes_to_add(
    arrivals: Sequence[Arrival], new: set[int], result: BulkResult
) -> tuple[list[Arrival], list[int]]:
    """The arrivals whose note column's text becomes a note on their talent, new (keys in
    `new`) or updated, written by the uploader, unless the talent has that note already
    (the same file imported twice adds it once); and the ids reserved for those notes,
    known so that undo can take a note off again."""
    updated = result.updated
    with_note = [a for a in arrivals if a.note and (a.key in new or a.key in updated)]
    of_known = [updated[a.key].talent.pk for a in with_note if a.key in updated]
    known = set(
        Note.objects.filter(AnyOf(F("talent_id"), of_known)).values_list("talent_id", "text")
    )
    fresh = [
        a for a in with_note if a.key in new or (updated[a.key].talent.pk, a.note) not in known
    ]
    return fresh, reserve_ids(Note, len(fresh))


def _add_notes(
    notes: list[Arrival],
    ids: list[int],
    touched: dict[int, Talent],
    result: BulkResult,
    timeline: _Timeline,
) -> set[int]:
    """The notes of _notes_to_add, with their ids. A new talent's note needs no entry of
    its own (its CREATED entry says where it came from); a known talent's is on its
    timeline as any added note. New talents have its words already (see _create); existing
    ones get them added (written by timeline.save). Returns the keys of the arrivals that
    got a note."""
    now, author = timeline.now, timeline.actor_id
    insert_rows(
        Note,
        ("id", "talent_id", "author_id", "text", "visible_to_talent", "created_at", "updated_at"),
        [
            (pk, touched[a.key].pk, author, a.note, False, now, now)
            for pk, a in zip(ids, notes, strict=True)
        ],
    )
    for note_id, arrival in zip(ids, notes, strict=True):
        if arrival.key not in result.created:
            talent = touched[arrival.key]
            talent.search_text = build_search_text([talent.search_text, arrival.note])
            timeline.columns[talent.pk]["search_text"] = talent.search_text
            result.updated[arrival.key].added_notes.append(note_id)
            timeline.add(talent.pk, Event.Kind.NOTE_ADDED, note_id=note_id, text=arrival.note)
    return {arrival.key for arrival in notes}


def _flag_duplicates(created: list[Talent], changed: list[Talent], timeline: _Timeline) -> None:
    """flag_duplicates for many talents, new ones and `changed` known ones: two index
    scans find the candidates of all of them (one query with OR would read the whole
    table)."""
    talents = created + changed
    by_name_phone = {(t.name_key, t.phone): t for t in talents if t.name_key and t.phone}
    by_linkedin = {t.linkedin_url: t for t in talents if t.linkedin_url}
    # Their ids first, which the two indexes hold: most of them are the new talents, each
    # of which finds itself, and whose values are here as written. Only the others' rows
    # are read (every found row read took three times as long on SQLite, session 26), the
    # known talents' as they were before this batch.
    ids = Talent.objects.order_by().values_list("pk", flat=True)
    matched = {
        pk
        for condition in (
            AnyOf(Tuple(F("name_key"), F("phone")), by_name_phone),
            AnyOf(F("linkedin_url"), by_linkedin),
        )
        for pk in ids.filter(condition)
    }
    columns = ("pk", "first_name", "last_name", "name_key", "phone", "linkedin_url")
    found = {t.pk: tuple(getattr(t, name) for name in columns) for t in created if t.pk in matched}
    others = Talent.objects.active().order_by().filter(AnyOf(F("pk"), matched - found.keys()))
    found.update((row[0], row) for row in others.values_list(*columns))
    pairs: dict[tuple[int, int], DuplicateFlag.Reason] = {}
    names = {}
    for pk, first_name, last_name, key, phone, linkedin_url in found.values():
        names[pk] = f"{first_name} {last_name}".strip()
        matches = []
        if linkedin_url and linkedin_url in by_linkedin:
            matches.append((by_linkedin[linkedin_url], DuplicateFlag.Reason.LINKEDIN))
        twin = by_name_phone.get((key, phone))
        if twin is not None:
            matches.append((twin, DuplicateFlag.Reason.NAME_AND_PHONE))
        for talent, reason in matches:
            if talent.pk != pk:
                pairs.setdefault((min(talent.pk, pk), max(talent.pk, pk)), reason)
    if not pairs:
        return
    known = set(
        DuplicateFlag.objects.filter(
            AnyOf(Tuple(F("talent_id"), F("other_id")), pairs)
        ).values_list("talent_id", "other_id")
    )
    new = {pair: reason for pair, reason in pairs.items() if pair not in known}
    # Their flags and timelines refer to the talents found here, not only to the batch's.
    lock_keys(Talent, {pk for pair in new for pk in pair} - {talent.pk for talent in talents})
    insert_rows(
        DuplicateFlag,
        ("talent_id", "other_id", "reason", "created_at"),
        [(a, b, reason, timeline.now) for (a, b), reason in new.items()],
    )
    for (a, b), reason in new.items():
        for one, two in ((a, b), (b, a)):
            timeline.add(
                one,
                Event.Kind.DUPLICATE_FLAGGED,
                other_id=two,
                other_name=names.get(two, ""),
                reason=reason.value,
            )
            timeline.existing.add(one)


def _open_legal_bases(created: dict[int, Talent], channel: Channel, policy: "Policy") -> None:
    privacy.open_legal_bases(
        list(created.values()), rejected_applicant=channel.rejected_applicant, policy=policy
    )
    if channel.consent is not None:
        for talent in created.values():
            privacy.record_consent(
                talent, channel.consent, actor=channel.actor, actor_label=channel.actor_label
            )


def _apply_intake_to_known(taken: list[Talent], channel: Channel) -> None:
    if channel.rejected_applicant or channel.consent is not None:
        for talent in taken:
            privacy.apply_intake(
                talent,
                created=False,
                rejected_applicant=channel.rejected_applicant,
                consent=channel.consent,
                actor=channel.actor,
                actor_label=channel.actor_label,
            )
