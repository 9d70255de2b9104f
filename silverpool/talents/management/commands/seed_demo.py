"""Fill the database with realistic German and English demo talents, pools, tags and users.

Every talent, note, pool and status change goes through the talents services, so the
timeline, the search words, the duplicate flags and private-pool visibility are exactly
what a real installation would have. Only the timestamps are moved into the past
afterwards, so that sorting by date and the date filters have something to show.
"""

import contextlib
import datetime
import random
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import Max, Model
from django.db.models.functions import Lower
from django.utils import timezone
from faker import Faker

from ....accounts import services as accounts
from ....accounts.models import User
from ....privacy import services as privacy
from ....privacy.models import ConsentRecord, Purpose
from ... import services
from ...models import (
    CustomField,
    Event,
    Note,
    Pool,
    PoolMembership,
    Status,
    Tag,
    Talent,
    TalentTag,
)
from ...validation import normalize_phone
from .. import demo_data as data

URL = "http://127.0.0.1:8000"
STATUS_WEIGHTS = {
    "new": 30,
    "contacted": 25,
    "engaged": 15,
    "not-interested": 10,
    "hired": 5,
    "archived": 15,
}
HISTORY_DAYS = 540
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@dataclass(eq=False)
class Person:
    """One talent to be: the fields a channel would send, and what it says about them."""

    country: str
    family: data.Family
    fields: dict[str, Any]
    slug: str
    # Set for a deliberate likely duplicate: the channel that sends the second record.
    duplicate_of: "Person | None" = None


def ascii_slug(text: str) -> str:
    """Müller -> mueller, as people write their names in email addresses."""
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


class Seeder:
    """Creates the demo data with one random generator, so a --seed gives the same data."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fakers = {country: Faker(locale) for country, locale in data.FAKER_LOCALES.items()}
        for faker in self.fakers.values():
            faker.seed_instance(rng.getrandbits(32))
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.used_emails = set(Talent.objects.values_list(Lower("email"), flat=True))
        self.used_phones = set(Talent.objects.values_list("phone", flat=True))
        self.first_event_id = Event.objects.aggregate(m=Max("id"))["m"] or 0
        self.first_talent_id = Talent.objects.aggregate(m=Max("id"))["m"] or 0
        # (id of the last event written, when it should have happened), in order.
        self.moments: list[tuple[int, datetime.datetime]] = []
        self.created_ids: list[int] = []
        self.new_users: set[str] = set()

    # -- users, pools, tags, custom fields -------------------------------------------

    def ensure_users(self) -> dict[str, User]:
        users = {}
        for username, role, first, last, language, password in data.DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                self.new_users.add(username)
                user = accounts.create_user(
                    username=username,
                    password=password,
                    role=role,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.com",
                    language=language,
                )
            users[username] = user
        return users

    def ensure_catalog(self) -> None:
        admin, rita = self.users["admin"], self.users["rita"]
        policy = privacy.get_policy()
        if not policy.controller_name:
            # The company the demo's consent and privacy pages speak for.
            policy.controller_name = data.COMPANY
            policy.controller_contact = data.COMPANY_CONTACT
            policy.dpo_contact = data.COMPANY_DPO
            policy.save()
        for name, description in data.PUBLIC_POOLS.items():
            if not Pool.objects.filter(name__iexact=name).exists():
                services.save_pool(None, name=name, description=description, actor=admin)
        if not Pool.objects.filter(name__iexact=data.PRIVATE_POOL).exists():
            services.save_pool(
                None,
                name=data.PRIVATE_POOL,
                description=data.PRIVATE_POOL_DESCRIPTION,
                is_private=True,
                members=[rita],
                actor=admin,
            )
        self.pools = {pool.name: pool for pool in Pool.objects.all()}
        for name in data.TAGS:
            services.get_or_create_tag(name)
        self.tags = {tag.name: tag for tag in Tag.objects.all()}
        for key, label_en, label_de, kind, choices in data.CUSTOM_FIELDS:
            if not CustomField.objects.filter(key=key).exists():
                services.save_custom_field(
                    None, key=key, label_en=label_en, label_de=label_de, kind=kind, choices=choices
                )
        self.custom_fields = {f.key: f for f in CustomField.objects.all()}
        self.statuses = {status.key: status for status in Status.objects.all()}

    # -- people --------------------------------------------------------------------

    def person(self) -> Person:
        rng = self.rng
        country = rng.choices([data.DE, data.GB, data.US], weights=[60, 25, 15])[0]
        faker = self.fakers[country]
        first, last = faker.first_name(), faker.last_name()
        family = rng.choice(data.FAMILIES)
        place = rng.choice(data.PLACES[country])
        german_title = country == data.DE and rng.random() < 0.65
        slug = f"{ascii_slug(first)}-{ascii_slug(last)}"
        fields: dict[str, Any] = {
            "first_name": first,
            "last_name": last,
            "email": self.email(first, last),
            "city": place.city,
            "postcode": place.postcode,
            "country": country,
            "job_title": rng.choice(family.titles_de if german_title else family.titles_en),
            "skills": rng.sample(family.skills, k=rng.randint(3, 7)),
        }
        if rng.random() < 0.85:
            fields["phone"] = self.phone(place)
        if rng.random() < 0.7:
            host = (
                "de.linkedin.com" if country == data.DE and rng.random() < 0.3 else "linkedin.com"
            )
            fields["linkedin_url"] = f"https://{host}/in/{slug}-{rng.getrandbits(32):08x}"
        if family.key == "tech" and rng.random() < 0.25:
            fields["profile_urls"] = [f"https://github.com/{slug}{rng.randint(1, 99)}"]
        fields |= self.salary(country, family)
        if rng.random() < 0.7:
            fields["available_from"] = self.availability()
        custom = {}
        if "notice_period_weeks" in self.custom_fields and rng.random() < 0.5:
            custom["notice_period_weeks"] = rng.choice([2, 4, 6, 8, 12, 13])
        if "work_model" in self.custom_fields and rng.random() < 0.5:
            custom["work_model"] = rng.choice(self.custom_fields["work_model"].choices)
        if custom:
            fields["custom_values"] = custom
        return Person(country, family, fields, slug)

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        f, la = ascii_slug(first).replace("-", ""), ascii_slug(last).replace("-", "")
        local = rng.choice([f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la}", f"{la}.{f}", f"{f}_{la}"])
        for attempt in range(100):
            suffix = str(rng.randint(1, 99)) if attempt or rng.random() < 0.2 else ""
            email = f"{local}{suffix}@{rng.choice(data.EMAIL_DOMAINS)}"
            if email.lower() not in self.used_emails:
                break
        self.used_emails.add(email.lower())
        return email

    def phone(self, place: data.Place) -> str:
        """A number from a fiction range that no other talent has (so no accidental flags)."""
        for _attempt in range(20):
            raw = place.phone.format(
                n=str(self.rng.randrange(10**place.digits)).zfill(place.digits)
            )
            number = normalize_phone(raw)
            if number not in self.used_phones:
                self.used_phones.add(number)
                return raw
        return ""

    def salary(self, country: str, family: data.Family) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.1:
            return {}
        scale = {data.DE: 1.0, data.GB: 0.85, data.US: 1.6}[country]
        yearly = round(rng.uniform(*family.salary) * scale * 2) * 500
        if country == data.DE and rng.random() < 0.2:
            # Monthly figures are common in German job ads: 13 salaries a year.
            return {"salary_amount": round(yearly / 13, -2), "salary_period": "month"}
        return {
            "salary_amount": yearly,
            "salary_currency": data.CURRENCIES[country],
            "salary_period": "year",
        }

    def availability(self) -> datetime.date:
        rng = self.rng
        if rng.random() < 0.25:
            return self.today - datetime.timedelta(days=rng.randint(0, 30))  # right away
        months = rng.randint(1, 7)
        year, month = divmod(self.today.month - 1 + months, 12)
        return datetime.date(self.today.year + year, month + 1, rng.choice([1, 1, 1, 15]))

    def duplicate(self, base: Person, *, by_linkedin: bool) -> Person:
        """The same person arriving again through another channel, with a different email."""
        fields = dict(base.fields)
        fields["email"] = self.email(fields["first_name"], fields["last_name"])
        if by_linkedin:
            fields.pop("phone", None)
            fields["linkedin_url"] = fields["linkedin_url"].replace("https://", "") + "/?trk=pp"
        else:
            # Same number, written another way: the phone is compared in E.164.
            fields["phone"] = normalize_phone(fields["phone"])
            fields["last_name"] = fields["last_name"].upper()
            fields.pop("linkedin_url", None)
        return Person(base.country, base.family, fields, base.slug, duplicate_of=base)

    def people(self, count: int) -> list[Person]:
        """`count` people in the order they arrive, a few of them twice (likely duplicates)."""
        rng = self.rng
        name_pairs = max(1, count // 100) if count >= 4 else 0
        linkedin_pairs = max(1, count // 250) if count >= 10 else 0
        people = [self.person() for _ in range(count - name_pairs - linkedin_pairs)]
        with_phone = [p for p in people if p.fields.get("phone")]
        by_name = rng.sample(with_phone, min(name_pairs, len(with_phone)))
        with_linkedin = [p for p in people if p.fields.get("linkedin_url") and p not in by_name]
        by_linkedin = rng.sample(with_linkedin, min(linkedin_pairs, len(with_linkedin)))
        for base in [*by_name, *by_linkedin]:
            again = self.duplicate(base, by_linkedin=base in by_linkedin)
            people.insert(rng.randint(people.index(base) + 1, len(people)), again)
        return people

    # -- talents through the services ------------------------------------------------

    def mark(self, when: datetime.datetime) -> None:
        """Remember that the events written since the last mark happened at `when`."""
        last = Event.objects.aggregate(m=Max("id"))["m"] or 0
        self.moments.append((last, min(when, self.now - datetime.timedelta(minutes=5))))

    def source(self, person: Person) -> tuple[Talent.SourceKind, str, User | None, str]:
        """(kind, label, acting user, actor label) of the channel that brings the person."""
        rng = self.rng
        recruiter = rng.choice([self.users["rita"], self.users["robert"]])
        kind = rng.choices(list(Talent.SourceKind), weights=[30, 25, 20, 20, 5])[0]
        if person.duplicate_of is not None:
            kind = rng.choice([Talent.SourceKind.FORM, Talent.SourceKind.IMPORT])
        match kind:
            case Talent.SourceKind.MANUAL:
                return kind, str(recruiter), recruiter, ""
            case Talent.SourceKind.IMPORT:
                name = "Bewerber_Export_2026-03.xlsx" if person.country == data.DE else None
                return kind, name or "UK_candidates_Q1_2026.csv", recruiter, ""
            case Talent.SourceKind.FORM:
                return kind, "Talent Community", None, "Talent Community"
            case Talent.SourceKind.ATS:
                ats = (
                    "Personio" if person.country == data.DE and rng.random() < 0.7 else "Greenhouse"
                )
                return kind, ats, None, ats
        return kind, "HR data sync", None, "API"

    def pools_and_tags(self, person: Person, kind: str) -> tuple[list[Pool], list[Tag]]:
        rng, fields = self.rng, person.fields
        wanted: list[str] = []
        tags: list[str] = []
        if rng.random() < 0.25:
            wanted.append("Runners-up")
            if rng.random() < 0.7:
                tags.append("Silver medalist")
        if rng.random() < 0.1:
            wanted.append("High potentials")
            tags.append("High potential")
        if kind == Talent.SourceKind.IMPORT and rng.random() < 0.5:
            wanted.append("SuccessFactors_2ndBestCandidates")
        if person.family.key == "sales" and person.country == data.DE and rng.random() < 0.6:
            wanted.append("Sales DACH")
        if person.family.key == "tech" and fields["city"] == "Berlin" and rng.random() < 0.7:
            wanted.append("Engineering Berlin")
        if person.country == data.GB and rng.random() < 0.15:
            wanted.append("UK Graduates 2026")
        if kind == Talent.SourceKind.ATS and rng.random() < 0.3:
            tags.append("Rejected by ATS")
        if rng.random() < 0.08:
            tags.append("Referral")
        tags += [name for name in data.OCCASIONAL_TAGS if rng.random() < 0.06]
        pools = [self.pools[name] for name in wanted if name in self.pools]
        return pools, [self.tags[name] for name in tags if name in self.tags]

    def note_text(self, person: Person) -> str:
        rng, fields = self.rng, person.fields
        german = person.country == data.DE and rng.random() < 0.85
        template = rng.choice(data.NOTES_DE if german else data.NOTES_EN)
        amount = fields.get("salary_amount")
        salary = f"{amount:,.0f} {fields.get('salary_currency', 'EUR')}" if amount else "?"
        if amount and fields.get("salary_period") == "month":
            salary += " pro Monat" if german else " a month"
        return template.format(
            month=rng.choice(data.MONTHS_DE if german else data.MONTHS_EN),
            salary=salary.replace(",", ".") if german else salary,
            city=fields["city"],
            title=fields["job_title"],
            skill=rng.choice(fields["skills"]),
        )

    def seed_talent(self, person: Person, when: datetime.datetime) -> None:
        rng = self.rng
        rita, robert = self.users["rita"], self.users["robert"]
        kind, label, actor, actor_label = self.source(person)
        owner: User | None = actor
        if owner is None:
            owner = rng.choices([rita, robert, self.users["admin"], None], [35, 30, 5, 30])[0]
        pools, tags = self.pools_and_tags(person, kind)
        language = "de" if person.country == data.DE else "en"
        consent = None
        if kind == Talent.SourceKind.FORM:
            consent = self.consent(ConsentRecord.Method.FORM, language)
        talent = services.intake_talent(
            person.fields,
            actor=actor,
            actor_label=actor_label,
            source_kind=kind,
            source_label=label,
            owner=owner,
            pools=pools,
            tags=tags,
            rejected_applicant=self.tags.get("Rejected by ATS") in tags,
            consent=consent,
        ).talent
        self.created_ids.append(talent.pk)
        self.mark(when)

        # What happened to the talent in the days and weeks after it came in.
        recruiter = owner if owner is not None and owner.can_edit else rng.choice([rita, robert])
        key = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        status = self.statuses.get(key)
        if status is not None:
            services.set_status(talent, status, actor=recruiter)
        for _ in range(rng.choices([0, 1, 2, 3], [35, 45, 15, 5])[0]):
            services.add_note(talent, self.note_text(person), author=recruiter)
        if rng.random() < 0.08 and not person.fields["job_title"].startswith("Senior"):
            new_title = "Senior " + person.fields["job_title"]
            services.update_talent(talent, {"job_title": new_title[:200]}, actor=recruiter)
        if data.PRIVATE_POOL in self.pools and rng.random() < 0.03:
            services.add_to_pool(talent, self.pools[data.PRIVATE_POOL], actor=rita)
        if consent is None:
            self.answer_consent(talent, language, recruiter)
        self.mark(when + datetime.timedelta(days=rng.uniform(0.2, 45)))

    def consent(
        self, method: ConsentRecord.Method, language: str, asked_by: User | None = None
    ) -> privacy.ConsentGrant:
        given = [Purpose.TALENT_POOL]
        if self.rng.random() < 0.6:
            given.append(Purpose.EMAIL_CAMPAIGNS)
        return privacy.ConsentGrant(
            method=method,
            language=language,
            given=given,
            ip_address=f"198.51.100.{self.rng.randint(1, 254)}",
            user_agent=BROWSER,
            asked_by=asked_by,
        )

    def answer_consent(self, talent: Talent, language: str, recruiter: User) -> None:
        """What the talents who were asked answered on the consent page (no email is sent:
        the demo addresses are not real)."""
        roll = self.rng.random()
        if roll < 0.35:
            grant = self.consent(ConsentRecord.Method.CONSENT_PAGE, language, recruiter)
            privacy.record_consent(talent, grant, actor=None, actor_label="Talent")
            if roll < 0.03 and Purpose.EMAIL_CAMPAIGNS in grant.given:
                privacy.withdraw_consent(
                    talent,
                    [Purpose.EMAIL_CAMPAIGNS],
                    method=ConsentRecord.Method.PRIVACY_PAGE,
                    actor=None,
                    actor_label="Talent",
                )
        elif roll < 0.38:
            grant = privacy.ConsentGrant(
                method=ConsentRecord.Method.CONSENT_PAGE,
                language=language,
                declined=[Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS],
                asked_by=recruiter,
            )
            privacy.record_consent(talent, grant, actor=None, actor_label="Talent")
        elif roll < 0.39:
            privacy.set_legal_hold(
                talent,
                reason="Klage nach § 15 AGG anhängig (ArbG Berlin)",
                until=timezone.localdate() + datetime.timedelta(days=120),
                actor=self.users["admin"],
            )
        elif roll < 0.6 and talent.email:
            # Asked, not answered yet (unless the GDPR function is off); with the Quick
            # start the emails go to the mail folder, not out.
            with contextlib.suppress(privacy.ConsentRequestRefused):
                privacy.request_consent(talent, actor=recruiter)

    def run(self, count: int) -> int:
        self.users = self.ensure_users()
        self.ensure_catalog()
        people = self.people(count)
        span = datetime.timedelta(days=HISTORY_DAYS).total_seconds()
        offsets = sorted((self.rng.uniform(86_400, span) for _ in people), reverse=True)
        for person, offset in zip(people, offsets, strict=True):
            self.seed_talent(person, self.now - datetime.timedelta(seconds=offset))
        private = PoolMembership.objects.filter(
            pool__is_private=True, talent_id__gt=self.first_talent_id
        )
        if self.created_ids and data.PRIVATE_POOL in self.pools and not private.exists():
            # Small runs still show the confidential pool with someone in it.
            talent = Talent.objects.get(pk=self.created_ids[0])
            services.add_to_pool(talent, self.pools[data.PRIVATE_POOL], actor=self.users["rita"])
            self.mark(self.now)
        self.backdate()
        return len(self.created_ids)

    # -- timestamps ------------------------------------------------------------------

    def backdate(self) -> None:
        """Move this run's events, talents, notes, memberships and tags into the past."""
        # Only talents new in this run: an email may have matched an existing one.
        new = Talent.objects.filter(pk__gt=self.first_talent_id).values("pk")
        recent = Event.objects.filter(pk__gt=self.first_event_id, talent__in=new)
        events = list(recent.order_by("pk"))
        moments = iter(self.moments)
        last_id, when = next(moments, (0, self.now))
        step = 0
        for event in events:
            while event.pk > last_id:
                last_id, when = next(moments)
                step = 0
            # A few seconds apart, so the timeline keeps the order the events happened in.
            event.created_at = when + datetime.timedelta(seconds=step)
            step += 3
        set_times(Event, "created_at", [(e.created_at, e.pk) for e in events])

        first: dict[int, datetime.datetime] = {}
        last: dict[int, datetime.datetime] = {}
        notes: list[tuple[datetime.datetime, int]] = []
        pools: dict[tuple[int, int], datetime.datetime] = {}
        tags: dict[tuple[int, str], datetime.datetime] = {}
        for event in events:
            first.setdefault(event.talent_id, event.created_at)
            last[event.talent_id] = event.created_at
            if event.kind == Event.Kind.NOTE_ADDED:
                notes.append((event.created_at, event.data["note_id"]))
            elif event.kind == Event.Kind.POOL_ADDED:
                pools[(event.talent_id, event.data["pool_id"])] = event.created_at
            elif event.kind == Event.Kind.TAG_ADDED:
                tags[(event.talent_id, event.data["tag"])] = event.created_at

        set_times(Talent, "created_at", [(first[pk], pk) for pk in first])
        set_times(Talent, "updated_at", [(last[pk], pk) for pk in last])
        set_times(Talent, "last_activity_at", [(last[pk], pk) for pk in last])
        set_times(Note, "created_at", notes)
        set_times(Note, "updated_at", notes)
        memberships = PoolMembership.objects.filter(talent__in=new)
        set_times(
            PoolMembership,
            "added_at",
            [
                (pools.get((talent_id, pool_id), self.now), pk)
                for pk, talent_id, pool_id in memberships.values_list("pk", "talent_id", "pool_id")
            ],
        )
        links = TalentTag.objects.filter(talent__in=new)
        set_times(
            TalentTag,
            "added_at",
            [
                (tags.get((talent_id, tag_name), self.now), pk)
                for pk, talent_id, tag_name in links.values_list("pk", "talent_id", "tag__name")
            ],
        )


def set_times(model: type[Model], column: str, rows: list[tuple[datetime.datetime, int]]) -> None:
    """Set one timestamp column of many rows: (value, primary key) pairs.

    bulk_update() builds one CASE branch per row and took seconds for a few thousand
    rows; executemany of a plain UPDATE takes milliseconds.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(adapt(when), pk) for when, pk in rows])


class Command(BaseCommand):
    help = "Fill the database with realistic demo talents, pools, tags, notes and users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--talents", type=int, default=500, help="How many (default 500).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if there is any talent."
        )
        parser.add_argument("--seed", type=int, help="Random seed, for the same data each time.")

    def handle(self, *args: Any, **options: Any) -> None:
        new_users: set[str] = set()
        if options["if_empty"] and Talent.objects.exists():
            self.stdout.write("There are talents already: no demo data added.")
        else:
            started = time.monotonic()
            seeder = Seeder(random.Random(options["seed"]))
            with transaction.atomic():
                count = seeder.run(max(options["talents"], 0))
            new_users = seeder.new_users
            elapsed = time.monotonic() - started
            self.stdout.write(f"Added {count} demo talents in {elapsed:.1f} s.")
        self.print_logins(new_users)

    def print_logins(self, new_users: set[str]) -> None:
        logins = []
        for username, role, *_names, password in data.DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            # Someone may have changed it since; never print a password that does not work.
            works = username in new_users or user.check_password(password)
            shown = password if works else "(the password you set)"
            logins.append((username, f"{username} / {shown} ({role})"))
        main = [text for username, text in logins if username != "robert"]
        if main:
            self.stdout.write(self.style.SUCCESS(f"Log in at {URL} with: {', '.join(main)}"))
        others = [text for username, text in logins if username == "robert"]
        if others:
            self.stdout.write(f"Also: {others[0]}; robert is not in the confidential pool.")
