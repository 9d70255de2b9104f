"""`manage.py import_talents`: the import page's options from the shell, a progress bar,
and a clear refusal (non-zero exit) when the file, the mapping or an option is wrong."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.headers import TargetField
from silverpool.imports.management.commands.import_talents import Progress
from silverpool.imports.models import ImportJob, SavedMapping
from silverpool.privacy.models import ConsentRecord, ConsentRequest, LegalBasis
from silverpool.talents.models import Status, Tag, Talent

from ..talents.factories import make_pool, make_tag, make_talent
from .batches import batches_of
from .workbooks import people, person, xlsx


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def import_talents(path: Path, *args: str, out: io.StringIO | None = None) -> str:
    out = out if out is not None else io.StringIO()
    call_command("import_talents", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        import_talents(path, *args)
    return str(refused.value)


def uploads(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_command_imports_a_file_with_the_suggested_mapping(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    path = xlsx(tmp_path / "Bewerber.xlsx", [*people(3), person(9, email="kaputt")])

    output = import_talents(path, "--user", "rita")

    assert "  Vorname → first name\n" in output
    assert "  E-Mail → email\n" in output
    assert "  Bemerkung → note\n" in output
    assert (
        "Rows: 4 · new talents: 3 · already known: 0 · repeated rows: 0 · invalid rows: 1" in output
    )
    assert "Row 5, column “E-Mail”: “kaputt”: Enter a valid email address." in output
    assert "4/4 rows" in output
    assert "Created: 3 · updated: 0 · unchanged: 0 · repeated rows: 0 · rejected rows: 1" in output
    job = ImportJob.objects.get()
    assert (job.state, job.uploaded_by, job.original_name) == (
        ImportJob.State.DONE,
        rita,
        "Bewerber.xlsx",
    )
    assert Talent.objects.filter(source_label="Bewerber.xlsx").count() == 3
    assert uploads(settings) == []


def test_every_option_of_the_page_is_an_option_of_the_command(
    tmp_path: Path, rita: User, alice: User, statuses: dict[str, Status]
) -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Deckblatt"
    cover.append(["Bewerber Wien"])
    cover.append(["Kandidat", "Kontakt", "Rufnummer"])
    cover.append(["Falsch, Ganz", "falsch@example.com", "0660 1234567"])
    sheet = workbook.create_sheet("Wien")
    sheet.append(["Kandidat", "Kontakt", "Rufnummer"])
    sheet.append(["Huber, Anna", "anna@example.com", "0660 1234567"])
    path = tmp_path / "wien.xlsx"
    workbook.save(path)
    SavedMapping.objects.create(
        name="ATS Wien",
        columns={
            "kandidat": [TargetField.FULL_NAME, ""],
            "kontakt": [TargetField.EMAIL, ""],
            "rufnummer": [TargetField.PHONE, ""],
        },
    )
    lena = make_talent(first_name="Lena", email="anna@example.com", city="Graz")
    pool_a, pool_b = make_pool("Wien"), make_pool("Vertrieb")
    make_tag("Messe")

    import_talents(
        path,
        *("--user", "rita", "--sheet", "Wien", "--mapping", "ATS Wien", "--country", "at"),
        *("--existing", "overwrite", "--pool", "Wien", "--pool", "Vertrieb"),
        *("--tag", "Messe", "--tag", "Neu 2026", "--status", "contacted", "--owner", "alice"),
        *("--consent", "ask_now", "--rejected-applicants"),
    )

    job = ImportJob.objects.get()
    assert (job.sheet, job.default_country, job.existing) == ("Wien", "AT", "overwrite")
    assert (job.status, job.owner, job.consent) == (statuses["contacted"], alice, "ask_now")
    assert job.rejected_applicants
    lena.refresh_from_db()
    assert (lena.first_name, lena.last_name, lena.phone) == ("Anna", "Huber", "+436601234567")
    assert set(lena.pools.all()) == {pool_a, pool_b}
    assert sorted(lena.tags.values_list("name", flat=True)) == ["Messe", "Neu 2026"]
    assert (lena.status, lena.owner) == (statuses["contacted"], alice)
    assert lena.legal_basis.state == LegalBasis.State.APPLICATION_HOLD
    assert not Talent.objects.filter(email="falsch@example.com").exists()
    # Its undo on the import's page deletes the tag it made, if nothing else has it by then.
    assert list(job.created_tags.values_list("name", flat=True)) == ["Neu 2026"]


def test_ask_now_asks_the_new_talents_after_the_run(
    tmp_path: Path, rita: User, django_capture_on_commit_callbacks: Any
) -> None:
    path = xlsx(tmp_path / "t.xlsx", people(2))

    with django_capture_on_commit_callbacks(execute=True):
        import_talents(path, "--user", "rita", "--consent", "ask_now")

    assert ConsentRequest.objects.count() == 2


def test_consent_obtained_elsewhere_is_recorded_by_admins_only(
    tmp_path: Path, rita: User, alice: User
) -> None:
    path = xlsx(tmp_path / "t.xlsx", people(1))

    assert refusal(
        path, "--user", "rita", "--consent", "recorded", "--consent-note", "Formular"
    ) == ("Only admins can record consent obtained elsewhere.")
    assert refusal(path, "--user", "alice", "--consent", "recorded") == (
        "Say where the consent was obtained (--consent-note)."
    )
    import_talents(path, "--user", "alice", "--consent", "recorded", "--consent-note", "Formular")

    record = ConsentRecord.objects.get()
    assert (record.method, record.note, record.recorded_by) == ("import", "Formular", alice)
    assert ImportJob.objects.count() == 1


def test_a_dry_run_shows_the_check_and_keeps_nothing(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    make_talent(email="talent1@example.com")
    rows = [*people(3), person(2), person(7, first_name=None)]

    output = import_talents(xlsx(tmp_path / "t.xlsx", rows), "--user", "rita", "--dry-run")

    assert (
        "Rows: 5 · new talents: 2 · already known: 1 · repeated rows: 1 · invalid rows: 1" in output
    )
    assert "Row 5, column “E-Mail”: Repeats row 3 (same email address)." in output
    assert "Row 6, column “Vorname”: A first name is required." in output
    assert output.endswith("Dry run: nothing was imported.\n")
    assert Talent.objects.count() == 1
    assert not ImportJob.objects.exists()
    assert uploads(settings) == []


def test_a_dry_run_names_the_files_tags_and_makes_none(tmp_path: Path, rita: User) -> None:
    make_tag("Messe")
    headers = ["Vorname", "E-Mail", "Tags"]
    rows = [["Anna", "anna@example.com", "messe, Java"]]

    output = import_talents(xlsx(tmp_path / "t.xlsx", rows, headers), "--user", "rita", "--dry-run")

    assert "  Tags → tags\n" in output
    assert "Tags from the file: Java, Messe · new, made at the start: Java\n" in output
    assert not Tag.objects.filter(name="Java").exists()


def test_an_unreadable_file_is_refused_with_the_reason(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    path = tmp_path / "bild.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)

    assert refusal(path, "--user", "rita") == (
        "bild.xlsx: This is not a spreadsheet (Excel, OpenDocument or CSV)."
    )
    assert not ImportJob.objects.exists()
    assert uploads(settings) == []


def test_a_missing_file_is_refused(tmp_path: Path, rita: User) -> None:
    message = refusal(tmp_path / "fehlt.xlsx", "--user", "rita")

    assert message.startswith("Cannot read ")
    assert "No such file or directory" in message


def test_a_file_without_an_email_column_is_refused_and_not_kept(
    tmp_path: Path, rita: User, settings: Any
) -> None:
    path = xlsx(tmp_path / "t.xlsx", [["Anna", "Berlin"]], headers=["Vorname", "Ort"])

    assert refusal(path, "--user", "rita").startswith("No column goes into “email”.")
    assert not ImportJob.objects.exists()
    assert uploads(settings) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--mapping", "Gibt es nicht"),
            "There is no saved mapping “Gibt es nicht”: none has been saved yet.",
        ),
        (("--sheet", "Tabelle9"), "The file has no sheet “Tabelle9”; its sheets: Talente."),
        (("--pool", "Gibt es nicht"), "There is no pool “Gibt es nicht”."),
        (("--pool", "Vorstand"), "There is no pool “Vorstand”."),  # private, Rita is no member
        (("--owner", "nobody"), "There is no recruiter or admin “nobody” to own the talents."),
        (("--owner", "victor"), "There is no recruiter or admin “victor” to own the talents."),
        (("--country", "XX"), "“XX” is not a country code."),
        (("--encoding", "cp1250"), "--encoding is for CSV files; a workbook has none."),
    ],
)
def test_a_wrong_option_is_refused_before_anything_is_imported(
    tmp_path: Path, rita: User, victor: User, args: tuple[str, ...], message: str
) -> None:
    make_pool("Vorstand", is_private=True)

    assert refusal(xlsx(tmp_path / "t.xlsx", people(1)), "--user", "rita", *args) == message
    assert not Talent.objects.exists()
    assert not ImportJob.objects.exists()


def test_a_csv_file_is_read_in_the_encoding_given(tmp_path: Path, rita: User) -> None:
    path = tmp_path / "kandydaci.csv"
    path.write_bytes("Vorname;E-Mail\r\nŁukasz;lukasz@example.pl\r\n".encode("cp1250"))

    unknown = refusal(path, "--user", "rita", "--encoding", "klingon")
    not_for_text = refusal(path, "--user", "rita", "--encoding", "base64")
    wrong = refusal(path, "--user", "rita", "--encoding", "utf-8")
    import_talents(path, "--user", "rita", "--encoding", "CP1250")

    assert unknown == "“klingon” is not a text encoding; try utf-8, cp1252 or cp1250."
    assert not_for_text == "“base64” is not a text encoding; try utf-8, cp1252 or cp1250."
    assert wrong == (
        "The file holds characters the chosen text encoding does not have; choose another one."
    )
    assert Talent.objects.get().first_name == "Łukasz"
    assert ImportJob.objects.get().encoding == "cp1250"


def test_an_unknown_status_is_refused_naming_the_statuses(tmp_path: Path, rita: User) -> None:
    message = refusal(xlsx(tmp_path / "t.xlsx", people(1)), "--user", "rita", "--status", "x")

    assert message.startswith("There is no status “x”; statuses: new, ")


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no active user “nobody”."),
        ("victor", "victor may only read talents; importing needs a recruiter or an admin."),
    ],
)
def test_only_recruiters_and_admins_import(
    tmp_path: Path, victor: User, username: str, message: str
) -> None:
    assert refusal(xlsx(tmp_path / "t.xlsx", people(1)), "--user", username) == message


def test_the_uploader_is_required(tmp_path: Path, rita: User) -> None:
    with pytest.raises(CommandError, match="--user"):
        call_command("import_talents", str(xlsx(tmp_path / "t.xlsx", people(1))))


def test_a_saved_mapping_that_leaves_out_the_email_is_refused(tmp_path: Path, rita: User) -> None:
    SavedMapping.objects.create(name="Nur Namen", columns={"e mail": ["ignore", ""]})

    message = refusal(
        xlsx(tmp_path / "t.xlsx", people(1)), "--user", "rita", "--mapping", "Nur Namen"
    )

    assert message.startswith("No column goes into “email”.")


def test_stop_with_invalid_rows_in_the_file_imports_nothing_and_says_why(
    tmp_path: Path, rita: User
) -> None:
    path = xlsx(tmp_path / "t.xlsx", [*people(2), person(3, email="kaputt")])

    message = refusal(path, "--user", "rita", "--invalid", "stop")

    assert message == (
        "The file has 1 invalid row, so “stop” would stop the import there. Fix it in the "
        "file and upload it again, or skip it."
    )
    assert not Talent.objects.exists()
    assert not ImportJob.objects.exists()


def test_the_rejected_rows_can_be_written_to_a_report(tmp_path: Path, rita: User) -> None:
    path = xlsx(tmp_path / "t.xlsx", [person(1), person(2, email="kaputt")])
    report = tmp_path / "abgelehnt.xlsx"

    output = import_talents(path, "--user", "rita", "--report", str(report))

    assert f"Rows not imported written to {report}." in output
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (3, "E-Mail", "“kaputt”: Enter a valid email address.")
    ]


def test_the_command_speaks_the_uploaders_language(tmp_path: Path, rita: User) -> None:
    rita.language = "de"
    rita.save()

    output = import_talents(xlsx(tmp_path / "t.xlsx", people(2)), "--user", "rita", "--dry-run")

    assert "Vorname → Vorname" in output
    assert "Zeilen: 2 · neue Talente: 2" in output
    assert "Probelauf: nichts wurde importiert." in output


def test_on_a_terminal_the_progress_bar_is_redrawn_in_place(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 2)
    terminal = Terminal()

    import_talents(xlsx(tmp_path / "t.xlsx", people(5)), "--user", "rita", out=terminal)

    checking, _counts, running = terminal.getvalue().partition("Rows: 5 ·")
    for output in (checking, running):  # the check's bar, then the run's
        assert "\r[" in output
        assert "2/5 rows" in output
        assert "4/5 rows" in output
        assert "\r[" + "#" * 30 + "] 5/5 rows" in output


def test_in_a_log_the_progress_is_a_line_every_few_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seconds = iter([0.0, 1.0, 6.0, 8.0, 9.0, 20.0])
    monkeypatch.setattr("time.monotonic", lambda: next(seconds))
    out = io.StringIO()
    progress = Progress(OutputWrapper(out), total=4000)

    progress.update(1000)  # at 1 s: too soon for a line
    progress.update(2000)  # at 6 s
    progress.update(3000)  # at 8 s: too soon again
    progress.update(4000)  # at 9 s: too soon again
    progress.finish()  # at 20 s

    assert out.getvalue() == (
        "[###############...............] 2,000/4,000 rows, 333 rows/s, 0:06 left\n"
        "[##############################] 4,000/4,000 rows, 200 rows/s, 0:00 left\n"
    )


def test_ctrl_c_during_the_check_imports_nothing_and_keeps_nothing(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    batches_of(monkeypatch, 2)

    def interrupt(self: Progress, *args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "update", interrupt)

    with pytest.raises(CommandError) as refused:
        import_talents(xlsx(tmp_path / "t.xlsx", people(5)), "--user", "rita")

    assert refused.value.returncode == 130
    assert str(refused.value) == "Interrupted during the check: nothing was imported."
    assert not ImportJob.objects.exists()
    assert not Talent.objects.exists()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def test_ctrl_c_stops_after_the_last_complete_batch_and_the_import_can_be_undone(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    batches_of(monkeypatch, 2)
    batches = 0

    def interrupt_after_the_first(self: Progress, *args: Any) -> None:
        nonlocal batches
        if ImportJob.objects.get().state != ImportJob.State.RUNNING:
            return  # the check's progress
        batches += 1
        if batches == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "update", interrupt_after_the_first)

    with pytest.raises(CommandError) as refused:
        import_talents(xlsx(tmp_path / "t.xlsx", people(5)), "--user", "rita")

    assert refused.value.returncode == 130
    job = ImportJob.objects.get()
    assert str(refused.value) == (
        "Interrupted: 2 of 5 rows were imported (created: 2, updated: 0); the rest of the "
        f"file was not. The import can be undone on its page: {settings.SITE_URL}/imports/{job.pk}/"
    )
    assert job.state == ImportJob.State.CANCELLED
    assert Talent.objects.count() == job.created_count == 2
    assert services.can_undo(job)
