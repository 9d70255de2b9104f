import io
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Talent
from silverpool.talents.search import (
    MAX_QUERY_WORDS,
    TalentFilters,
    build_search_text,
    count_talents,
    filter_talents,
    fold,
)

from .factories import make_pool, make_tag, make_talent


def search(q: str, **filters: Any) -> list[Talent]:
    return list(filter_talents(Talent.objects.active(), TalentFilters(q=q, **filters)))


@pytest.fixture
def mueller(rita: User) -> Talent:
    return make_talent(
        rita,
        first_name="Jürgen",
        last_name="Müller",
        email="j.mueller@example.com",
        job_title="Vertriebsleiter DACH",
        city="Düsseldorf",
        postcode="40213",
        skills=["Salesforce", "Key Account Management"],
    )


@pytest.fixture
def smith(rita: User) -> Talent:
    return make_talent(
        rita,
        first_name="Anna",
        last_name="Smith",
        email="anna.smith@example.org",
        job_title="Backend Engineer",
        city="Berlin",
        skills=["Python", "PostgreSQL"],
    )


@pytest.mark.parametrize("q", ["Müller", "müller", "MÜLLER", "muller", "Müll", "mull", "Mu"])
def test_a_name_is_found_by_any_prefix_with_or_without_accents(mueller: Talent, q: str) -> None:
    assert search(q) == [mueller]


def test_a_word_is_found_only_by_its_beginning(mueller: Talent) -> None:
    assert search("ller") == []


def test_sharp_s_and_accents_fold_both_ways(rita: User) -> None:
    talent = make_talent(rita, first_name="José", last_name="Straße", city="Göttingen")

    assert search("jose strasse") == [talent]
    assert search("STRASSE") == [talent]
    assert search("göttingen") == search("gottingen") == [talent]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Jürgen MÜLLER", "jurgen muller"),  # Latin accents: removed in one pass
        ("Straße", "strasse"),
        ("Łódź", "łodz"),  # a letter that does not decompose stays, its neighbours fold
        ("Ελένη", "ελενη"),  # Greek accents, outside the Latin marks
        ("a\u034fb", "a\u034fb"),  # the grapheme joiner is no accent
        ("ﬁle①", "file1"),  # compatibility forms
    ],
)
def test_fold_removes_accents_of_any_script(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_search_text_holds_the_words_of_every_part_once_spaced() -> None:
    parts = ["Anna-Lena", "", "---", "Müller", "a_b@x.de", "C++ / SQL"]

    assert build_search_text(parts) == "anna lena muller a b x de c sql"


@pytest.mark.parametrize(
    "q",
    [
        "Vertriebsleiter",  # job title
        "salesforce",  # a skill
        "key account",  # another skill, two words
        "düsseldorf",  # city
        "40213",  # postcode
        "j.mueller@example.com",  # the email as typed
        "mueller",  # part of the email
    ],
)
def test_profile_fields_are_searchable(mueller: Talent, smith: Talent, q: str) -> None:
    assert search(q) == [mueller]


def test_every_word_of_the_query_must_match(rita: User, smith: Talent) -> None:
    make_talent(rita, first_name="Anna", last_name="Schulz", city="Köln")

    assert search("anna berlin") == [smith]
    assert len(search("anna")) == 2


def test_note_text_is_searchable_and_follows_edits_and_deletion(rita: User, smith: Talent) -> None:
    note = services.add_note(smith, "Kennt Kubernetes sehr gut", author=rita)
    found = search("kubernetes")

    services.edit_note(note, "Kennt Terraform", actor=rita)
    edited = (search("kubernetes"), search("terraform"))
    services.delete_note(note, actor=rita)

    assert found == [smith]
    assert edited == ([], [smith])
    assert search("terraform") == []


def test_a_field_edit_is_searchable_at_once(rita: User, smith: Talent) -> None:
    services.update_talent(smith, {"skills": "Python, Rust"}, actor=rita)

    assert search("rust") == [smith]
    assert search("postgresql") == []


def test_the_text_of_a_cv_is_searchable(rita: User, smith: Talent) -> None:
    cv = docx.Document()
    cv.add_paragraph("Zertifizierter Scrum Master, Erfahrung mit Kafka")
    content = io.BytesIO()
    cv.save(content)
    upload = SimpleUploadedFile("cv.docx", content.getvalue())
    document = services.add_document(smith, upload, actor=rita)

    services.extract_document_text(document.pk)

    assert search("kafka scrum") == [smith]


UNSAFE_QUERIES = [
    '"',
    "'",
    '"anna',
    "anna'",
    "*",
    "anna*",
    "**",
    ":",
    "anna:*",
    "title:anna",
    "&",
    "anna & smith",
    "|",
    "!anna",
    "-anna",
    "^anna",
    "(",
    ")",
    "(anna OR smith)",
    "AND",
    "OR NOT",
    "NEAR(anna smith)",
    "anna NOT smith",
    "'; DROP TABLE talents_talent; --",
    "1 OR 1=1",
    "%",
    "_",
    "___",
    "\\",
    "anna\x00smith",
    "<script>alert(1)</script>",
    "🙂 anna",
    "中文",
    "x" * 1000,
    " ".join(["anna"] * 50),
]


@pytest.mark.parametrize("q", UNSAFE_QUERIES)
def test_a_query_with_special_characters_never_errors(smith: Talent, q: str) -> None:
    qs = filter_talents(Talent.objects.active(), TalentFilters(q=q))

    list(qs)
    assert count_talents(qs).exact


@pytest.mark.parametrize("q", ["anna*", "(anna)", '"smith"', "anna & smith", "smith:*"])
def test_special_characters_around_words_are_ignored(smith: Talent, q: str) -> None:
    assert search(q) == [smith]


def test_a_query_of_only_special_characters_does_not_filter(mueller: Talent, smith: Talent) -> None:
    assert len(search("&*:()")) == 2


def test_an_underscore_separates_words_on_every_database(smith: Talent) -> None:
    assert search("anna_smith") == [smith]
    assert search("anna ___") == [smith]


def test_only_the_first_words_of_a_very_long_query_count(smith: Talent) -> None:
    q = " ".join(["anna"] * MAX_QUERY_WORDS + ["nomatch"])

    assert search(q) == [smith]


def test_search_combines_with_filters_and_sort(rita: User, smith: Talent) -> None:
    pool, tag = make_pool(), make_tag()
    other = make_talent(rita, first_name="Anna", last_name="Albers", pools=[pool], tags=[tag])
    services.add_to_pool(smith, pool, actor=rita)

    assert search("anna", pool=pool.pk, sort="name") == [other, smith]
    assert search("anna", pool=pool.pk, tag=tag.pk) == [other]


@pytest.mark.parametrize("city", ["München", "münchen", "MÜNCHEN", "  mÜnchen "])
def test_the_city_filter_ignores_the_case_of_every_letter(rita: User, city: str) -> None:
    munich = make_talent(rita, first_name="Max", city="München")
    make_talent(rita, first_name="Ulla", city="ÜBERLINGEN")
    make_talent(rita, first_name="Mona", city="Munchen")

    assert search("", city=city) == [munich]


@pytest.mark.parametrize("city", ["Münch", "Munchen", "M?nchen", "M*", "[M]ünchen"])
def test_the_city_filter_matches_the_whole_name_and_no_pattern(rita: User, city: str) -> None:
    make_talent(rita, first_name="Max", city="München")

    assert search("", city=city) == []


def test_the_city_filter_finds_names_with_pattern_characters(rita: User) -> None:
    odd = make_talent(rita, first_name="Odd", city="Sankt [Ö]rt?*")
    make_talent(rita, first_name="Other", city="Sankt [Ö]rtx!")

    assert search("", city="sankt [ö]RT?*") == [odd]


def test_search_does_not_find_a_merged_talent(rita: User, smith: Talent) -> None:
    twin = make_talent(rita, first_name="Anna", last_name="Smith")

    services.merge_talents(smith, twin, choices={}, actor=rita)

    assert search("anna smith") == [smith]


def test_count_talents_is_exact_below_the_limit(rita: User, settings: Any) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 10
    for _ in range(4):
        make_talent(rita)

    total = count_talents(Talent.objects.active())

    assert (total.value, total.exact) == (4, True)


def test_count_talents_counts_the_filtered_queryset(rita: User, smith: Talent) -> None:
    make_talent(rita, first_name="Bernd")

    total = count_talents(filter_talents(Talent.objects.active(), TalentFilters(q="anna")))

    assert (total.value, total.exact) == (1, True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite always counts exactly")
def test_count_talents_is_exact_above_the_limit_on_sqlite(rita: User, settings: Any) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 2
    for _ in range(4):
        make_talent(rita)

    total = count_talents(Talent.objects.active())

    assert (total.value, total.exact) == (4, True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates need the planner")
def test_count_talents_estimates_above_the_limit_on_postgresql(rita: User, settings: Any) -> None:
    settings.SEARCH_EXACT_COUNT_LIMIT = 2
    for _ in range(4):
        make_talent(rita)

    total = count_talents(Talent.objects.active())

    assert total.exact is False
    assert total.value >= 3
