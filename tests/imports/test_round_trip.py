"""Reliability matrix row 8: a talent list exported and imported again is the same list,
and importing the same file twice changes nothing the second time.

Talents with generated data (umlauts, skills such as C/C++, salaries, dates, phone
numbers, countries, custom fields, text a spreadsheet would take for a formula) are
exported with every column the export page offers, deleted, and imported from the file
with the mapping the import suggests for it, untouched.
"""

import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Any

import phonenumbers
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django_countries import countries
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from silverpool.accounts.models import User
from silverpool.imports import export, services
from silverpool.imports.export import ExportFormat
from silverpool.imports.models import ImportJob
from silverpool.imports.values import is_no_value
from silverpool.privacy.models import AuditEntry
from silverpool.privacy.services import delete_talents
from silverpool.talents.models import CustomField, Event, Note, Talent
from silverpool.talents.services import with_list_relations
from silverpool.talents.validation import EDITABLE_FIELDS

from ..talents.factories import make_talent

Callbacks = Callable[..., AbstractContextManager[Any]]

# Text a spreadsheet would run as a formula (the export puts a ' before it, the import
# takes it off), and text that looks like that already.
FORMULA_LIKE = ["=SUM(A1)", "+1 Engineer", "-1", "@home", '=HYPERLINK("http://x.example")', "'=x"]
# Any letters, digits, signs and spaces. Not control or invisible characters, nor spaces
# other than " ": the import drops or replaces those on purpose (see values.clean_text).
CHARACTERS = st.characters(
    exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Zs"), include_characters=" "
)
SKILLS = [
    "C/C++",
    "UI/UX",
    "CI/CD",
    "C#",
    "Python",
    "SAP FI/CO",
    "SAP S/4HANA",
    "Node.js",
    "Führung",
]
# Without separators (, ; / and the like), and not starting or ending in a list marker.
skill_words = st.from_regex(
    r"[A-Za-zÄÖÜäöüß0-9]([A-Za-zÄÖÜäöüß0-9 .+#-]{0,18}[A-Za-z0-9+#])?", fullmatch=True
)
slugs = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?", fullmatch=True)
DOMAINS = ["example.org", "Bücher.example"]
local_parts = st.from_regex(r"[a-z0-9+-]([a-z0-9]{0,10}[._+-])?[a-zA-Z0-9]{1,10}", fullmatch=True)


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    # Not text that only says "no value" ("-", "?", "n/a"): the import reads it as empty.
    words = st.text(CHARACTERS, min_size=1, max_size=max_size).map(str.strip)
    words = words.filter(lambda word: word and not is_no_value(word))
    return st.one_of(words, st.sampled_from(FORMULA_LIKE))


def optional(strategy: st.SearchStrategy[Any], empty: Any = "") -> st.SearchStrategy[Any]:
    return st.one_of(st.just(empty), strategy)


def example_phone_numbers() -> list[str]:
    """An example mobile and landline number of every country, in E.164 as stored."""
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                numbers.append(
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                )
    return numbers


PHONE_NUMBERS = example_phone_numbers()


@st.composite
def talent_fields(draw: st.DrawFn, index: int) -> dict[str, Any]:
    custom = {
        "notice": draw(optional(text())),
        # Spreadsheets keep 15 significant digits of a number (openpyxl writes 16).
        "years": draw(optional(st.decimals(-(10**9), 10**9, places=3).map(float))),
        "start": draw(optional(st.dates(datetime.date(1950, 1, 1), datetime.date(2099, 12, 31)))),
        "remote": draw(optional(st.sampled_from(["ja", "nein", "hybrid", "=1"]))),
    }
    return {
        "first_name": draw(text(100)),
        "last_name": draw(optional(text(100))),
        # The index makes each email unique within the example.
        "email": f"{draw(local_parts)}.{index}@{draw(st.sampled_from(DOMAINS))}",
        "phone": draw(optional(st.sampled_from(PHONE_NUMBERS))),
        "postcode": draw(
            optional(st.from_regex(r"[0-9]{5}|[A-Z]{1,2}[0-9] [0-9][A-Z]{2}", fullmatch=True))
        ),
        "city": draw(optional(text(100))),
        "country": draw(optional(st.sampled_from([code for code, _name in countries]))),
        "job_title": draw(optional(text(200))),
        "skills": draw(
            st.lists(
                st.one_of(st.sampled_from(SKILLS), skill_words), max_size=6, unique_by=str.lower
            )
        ),
        "linkedin_url": draw(
            optional(slugs.map(lambda slug: f"https://www.linkedin.com/in/{slug}"))
        ),
        "profile_urls": draw(
            st.lists(slugs.map(lambda slug: f"https://github.com/{slug}"), max_size=2)
        ),
        "salary_amount": draw(optional(st.decimals(0, Decimal("9999999999.99"), places=2), None)),
        "salary_currency": draw(st.sampled_from(["EUR", "USD", "CHF", "GBP"])),
        "salary_period": draw(st.sampled_from(list(Talent.SalaryPeriod))),
        "available_from": draw(
            optional(st.dates(datetime.date(1990, 1, 1), datetime.date(2099, 12, 31)), None)
        ),
        "custom_values": {key: value for key, value in custom.items() if value != ""},
    }


people = st.integers(1, 4).flatmap(
    lambda n: st.tuples(*(talent_fields(index) for index in range(n)))
)
# A recruiter's typical talent, and one with every field blank that can be: always tried.
JOERG = {
    "first_name": "Jörg",
    "last_name": "Weiß-Müller",
    "email": "Joerg.Weiss@Bücher.example",
    "phone": "+4915112345678",
    "postcode": "01067",
    "city": "Dresden",
    "country": "DE",
    "job_title": "+1 Senior C/C++ Entwickler",
    "skills": ["C/C++", "Python", "UI/UX", "Führung"],
    "linkedin_url": "https://www.linkedin.com/in/joerg-weiss",
    "profile_urls": ["https://github.com/jw", "https://www.xing.com/profile/Joerg_Weiss"],
    "salary_amount": Decimal("65000.00"),
    "salary_currency": "CHF",
    "salary_period": "month",
    "available_from": datetime.date(2027, 3, 1),
    "custom_values": {"notice": "3 Monate", "years": 12.5, "start": "2027-04-01", "remote": "ja"},
}
BLANK = {"first_name": "Ada", "email": "ada@example.org"}
# Text and numbers a spreadsheet or a German reader would take for something else.
ODD = {
    "first_name": "'=x",
    "last_name": "-Berg",  # "-" alone says "no value" (values.is_no_value)
    "email": "-odd@example.org",
    "custom_values": {"years": 1.125, "notice": "0.001"},
}
EIGHTH = {"first_name": "Bea", "email": "bea@example.org", "custom_values": {"years": 0.125}}


@pytest.fixture
def custom_fields(db: None) -> None:
    CustomField.objects.create(key="notice", label_en="Notice period", label_de="Frist")
    CustomField.objects.create(key="years", label_en="Years", label_de="Jahre", kind="number")
    CustomField.objects.create(key="start", label_en="Start", label_de="Beginn", kind="date")
    CustomField.objects.create(
        key="remote",
        label_en="Remote",
        label_de="Remote",
        kind="choice",
        choices=["ja", "nein", "hybrid", "=1"],
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each generated example starts from the test's database, not from the last one's."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def snapshot() -> dict[str, dict[str, Any]]:
    return {row["email"].lower(): row for row in Talent.objects.values(*EDITABLE_FIELDS)}


def differences(
    now: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]]
) -> list[tuple[str, str, Any, Any]]:
    """(email, field, before, now) for each field that changed; a readable failure."""
    assert now.keys() == before.keys()
    return [
        (email, name, value, now[email][name])
        for email, fields in before.items()
        for name, value in fields.items()
        if now[email][name] != value
    ]


def export_file(fmt: ExportFormat, user: User) -> SimpleUploadedFile:
    talents = with_list_relations(Talent.objects.visible_to(user), user)
    columns = export.export_columns()
    if fmt == ExportFormat.XLSX:
        out = io.BytesIO()
        export.write_xlsx(talents, columns, out)
        return SimpleUploadedFile("talents.xlsx", out.getvalue())
    lines = export.csv_lines(talents, columns, delimiter=";")
    return SimpleUploadedFile("talents.csv", "".join(lines).encode())


def import_file(
    upload: SimpleUploadedFile,
    user: User,
    on_commit: Callbacks,
    existing: ImportJob.Existing = ImportJob.Existing.FILL,
) -> ImportJob:
    """Import through the services as the import pages do, with the suggested mapping."""
    job = services.create_job(upload, user=user)
    services.check_mapping(services.targets_of(job), job.headers)
    with on_commit(execute=True):
        services.request_check(job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, job.preview
    assert job.preview["invalid"] == 0, job.preview["problems"]
    job.existing = existing
    job.save()
    with on_commit(execute=True):
        assert services.start_import(job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.error
    return job


# German Excel writes CSV with semicolons; the headers and country names are German then.
@pytest.mark.parametrize(
    ("fmt", "language"), [(ExportFormat.XLSX, "en"), (ExportFormat.CSV_SEMICOLON, "de")]
)
@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=people)
@example(generated=(JOERG, BLANK, ODD, EIGHTH))
@pytest.mark.usefixtures("custom_fields")
def test_an_exported_list_imports_as_itself_and_a_second_import_changes_nothing(
    rita: User,
    django_capture_on_commit_callbacks: Callbacks,
    fmt: ExportFormat,
    language: str,
    generated: tuple[dict[str, Any], ...],
) -> None:
    with rolled_back():
        for fields in generated:
            make_talent(rita, **fields)
        originals = snapshot()
        with translation.override(language):
            upload = export_file(fmt, rita)
        delete_talents(*Talent.objects.values_list("pk", flat=True), actor=rita)

        first = import_file(upload, rita, django_capture_on_commit_callbacks)

        assert (first.created_count, first.rejected_count) == (len(originals), 0)
        assert differences(snapshot(), originals) == []

        events, notes = Event.objects.count(), Note.objects.count()
        updated = dict(Talent.objects.values_list("email", "updated_at"))
        audit = set(AuditEntry.objects.values_list("pk", flat=True))
        upload.seek(0)

        # Overwrite is the strict choice: any value read back differently would be written.
        second = import_file(
            upload, rita, django_capture_on_commit_callbacks, ImportJob.Existing.OVERWRITE
        )

        assert (second.created_count, second.updated_count) == (0, 0)
        assert second.unchanged_count == len(originals)
        assert not second.talents.exists()  # nothing for an undo to revert
        assert differences(snapshot(), originals) == []
        assert dict(Talent.objects.values_list("email", "updated_at")) == updated
        assert (Event.objects.count(), Note.objects.count()) == (events, notes)
        new_entries = AuditEntry.objects.exclude(pk__in=audit)
        assert list(new_entries.values_list("action", flat=True)) == [AuditEntry.Action.IMPORTED]
