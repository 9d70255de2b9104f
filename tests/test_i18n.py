"""The German translation: complete, compiled, consistent, and what German users see."""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from tests.talents.factories import make_pool, make_talent

from .conftest import logged_in

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES"

# %(name)s, %s, %d, … (a literal %% is not a placeholder) and str.format's {name}.
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[sdifr]")
BRACE = re.compile(r"\{(\w*)\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, line)
        else:
            keyword, text = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
            if keyword == "msgid_plural":
                entry.msgid_plural = ""
            elif target[0] == "msgstr":
                entry.msgstr[target[1]] = ""
            started = True
            _append(entry, target, text)
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int], quoted: str) -> None:
    text = ast.literal_eval(quoted)
    assert isinstance(text, str)
    match target:
        case ("msgid", _):
            entry.msgid += text
        case ("msgid_plural", _):
            entry.msgid_plural = (entry.msgid_plural or "") + text
        case ("msgstr", index):
            entry.msgstr[index] += text
        case _:  # msgctxt: not used by the check below
            pass


def placeholders(text: str) -> set[str]:
    text = text.replace("%%", "")
    percent = {f"%({name})" if name else "%" for name in PERCENT.findall(text)}
    return percent | {"{" + name + "}" for name in BRACE.findall(text)}


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(LC_MESSAGES / "django.po")


def test_every_message_is_translated_and_none_is_fuzzy(po_entries: list[Entry]) -> None:
    header, *messages = po_entries
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert len(messages) > 400
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    untranslated = [
        e.msgid
        for e in messages
        if not e.msgstr
        or any(not text for text in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    assert fuzzy == []
    assert untranslated == []


def test_every_message_in_the_code_is_in_the_catalog(tmp_path: Path) -> None:
    """makemessages, run on a copy of the code, finds no message the .po file lacks (a
    string wrapped in gettext but never translated shows in English to German users)."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "code"
    shutil.copytree(root / "silverpool", copy / "silverpool")
    shutil.copy(root / "manage.py", copy / "manage.py")
    subprocess.run(  # noqa: S603 - Django's own command on a copy of our code
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    entries = read_po(copy / "silverpool" / "locale" / "de" / "LC_MESSAGES" / "django.po")
    # makemessages pre-fills a new message with the translation of a similar one, marked
    # fuzzy; fuzzy entries are never used.
    untranslated = [
        e.msgid for e in entries[1:] if not all(e.msgstr.values()) or "fuzzy" in e.flags
    ]
    assert untranslated == []


def test_the_compiled_catalog_matches_the_po_file(po_entries: list[Entry]) -> None:
    """compilemessages was run after the last change to the .po file."""
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    stale = []
    for entry in po_entries[1:]:
        if entry.msgid_plural is None:
            if catalog.gettext(entry.msgid) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif (
            catalog.ngettext(entry.msgid, entry.msgid_plural, 1),
            catalog.ngettext(entry.msgid, entry.msgid_plural, 2),
        ) != (entry.msgstr[0], entry.msgstr[1]):
            stale.append(entry.msgid)
    assert stale == []


def test_translations_keep_every_placeholder(po_entries: list[Entry]) -> None:
    wrong = []
    for entry in po_entries[1:]:
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if placeholders(text) != placeholders(source):
                wrong.append((source, text))
    assert wrong == []


def test_placeholders_are_found() -> None:
    assert placeholders("%(count)d of %(name)s, %s, 100%% and {actor}") == {
        "%(count)",
        "%(name)",
        "%",
        "{actor}",
    }


def test_a_german_recruiter_reads_german_pages(rita: User) -> None:
    rita.language = "de"
    rita.save()
    pool = make_pool("Backend Berlin", description="Starke Zweitplatzierte")
    talent = make_talent(first_name="Lena", last_name="Vogel", pools=[pool], owner=rita)
    client = logged_in(rita)

    pages = {
        reverse("talents:talent-list"): ["Neues Talent", "Filter und Sortierung", "1 Talent"],
        reverse("talents:talent-detail", args=[talent.pk]): [
            "Alle Felder bearbeiten",
            "Notizen",
            "Verlauf",
            "Status und Betreuer:in",
            "hat das Profil angelegt",
        ],
        reverse("talents:pool-list"): ["Neuer Pool", "Beschreibung", "1 Talent in Backend Berlin"],
    }
    for url, german in pages.items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert response["Content-Language"] == "de"
        assert '<html lang="de">' in html
        for text in ["Talente", "Abmelden", *german]:
            assert text in html, (url, text)
        for english in ["Log out", "New talent", "Timeline", "New pool"]:
            assert english not in html, (url, english)


def test_an_anonymous_visitor_gets_the_login_page_in_the_browsers_language(db: None) -> None:
    german = Client(headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"}).get(
        reverse("accounts:login")
    )
    english = Client(headers={"accept-language": "en-GB,en;q=0.9"}).get(reverse("accounts:login"))

    assert german.status_code == 200
    html = german.content.decode()
    assert '<html lang="de">' in html
    assert "Bei Silverpool anmelden" in html
    assert "Benutzername" in html  # Django's own catalogue
    assert "Log in" not in html
    assert "Log in to Silverpool" in english.content.decode()


def test_error_pages_follow_the_users_language(rita: User) -> None:
    rita.language = "de"
    rita.save()

    response = logged_in(rita).get(reverse("talents:talent-detail", args=[999_999]))

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
