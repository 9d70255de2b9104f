"""`manage.py import_talents FILE`: the import page from the shell. The same steps (upload,
mapping, check, decisions, run) through the same services, run in this process with a
progress bar; --dry-run stops after the check.

It speaks the language of --user, the uploader on record, as the page and the report do.
"""

import codecs
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_countries import countries

from ....accounts.models import User
from ....talents.forms.talent import assignable_owners
from ....talents.models import Status
from ....talents.services import get_or_create_tag, pools_visible_to
from ... import services
from ...headers import TargetField
from ...models import ImportJob, SavedMapping
from ...reading import UnreadableFile
from ...services import check, run

COUNTS = ("rows", "new", "existing", "repeated", "invalid")
# Rejected rows listed after the run; the rest are in the report (--report).
SHOWN_REJECTED = 20


class Command(BaseCommand):
    help = (
        "Import talents from an xlsx, ods or csv file, with the options of the import page. "
        "The file is checked first (--dry-run stops there), then imported in batches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The spreadsheet to import.")
        parser.add_argument(
            "--user", required=True, help="Username of the uploader, recorded with the import."
        )
        parser.add_argument("--sheet", help="Sheet of a workbook (default: the first with data).")
        parser.add_argument(
            "--encoding",
            help="Text encoding of a CSV file, such as utf-8, cp1252 or cp1250 (default: "
            "recognised from the file).",
        )
        parser.add_argument(
            "--mapping", help="Name of a saved mapping (default: suggested from the headers)."
        )
        parser.add_argument(
            "--country", help="Country of phone numbers without a country code (default: DE)."
        )
        parser.add_argument(
            "--existing",
            choices=ImportJob.Existing.values,
            default=ImportJob.Existing.FILL,
            help="Talents whose email is known: skip, fill empty fields, or overwrite "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--invalid",
            choices=ImportJob.Invalid.values,
            default=ImportJob.Invalid.SKIP,
            help="Invalid rows: skip them (reported) or stop the import (default: %(default)s).",
        )
        parser.add_argument(
            "--pool", action="append", default=[], dest="pools", help="Pool name; repeatable."
        )
        parser.add_argument(
            "--tag", action="append", default=[], dest="tags", help="Tag name; repeatable."
        )
        parser.add_argument("--status", help="Status key for every imported talent.")
        parser.add_argument("--owner", help="Username of the owner of every imported talent.")
        parser.add_argument(
            "--consent",
            choices=ImportJob.Consent.values,
            default=ImportJob.Consent.WEEKLY,
            help="Ask for consent in the weekly batch (the default), right after the import "
            "(ask_now), or record consent obtained elsewhere (recorded; admins only, with "
            "--consent-note).",
        )
        parser.add_argument("--consent-note", default="", help="Proof of recorded consent.")
        parser.add_argument(
            "--rejected-applicants",
            action="store_true",
            help="Rejected applicants: kept under the application hold first.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Write the rows not imported (rejected and repeated) to this xlsx file.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file: counts and problems."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _uploader(options["user"])
        with translation.override(user.language):
            decisions = _decisions(user, options)
            job = self._upload(options["file"], user)
            try:
                self._map(job, options)
                self._check(job)
                if refusal := services.stop_refusal(job.preview, decisions["invalid"]):
                    raise CommandError(refusal)
            except KeyboardInterrupt:
                self._end_progress_line()
                _discard(job)
                raise CommandError(
                    _("Interrupted during the check: nothing was imported."), returncode=130
                ) from None
            except BaseException:
                _discard(job)
                raise
            if options["dry_run"]:
                _discard(job)
                self.stdout.write(_("Dry run: nothing was imported."))
                return
            self._run(job, user, decisions, options)

    def _read_in(self, job: ImportJob, encoding: str) -> None:
        if not job.encoding:
            raise CommandError(_("--encoding is for CSV files; a workbook has none."))
        try:
            "".encode(encoding)  # refuses unknown codecs and those not for text (hex, base64)
            job.encoding = codecs.lookup(encoding).name
        except LookupError as error:
            raise CommandError(
                _("“%(encoding)s” is not a text encoding; try utf-8, cp1252 or cp1250.")
                % {"encoding": encoding}
            ) from error
        try:
            services.choose_sheet(job, services.glance_at(job, job.sheet))
        except UnreadableFile as error:
            raise CommandError(str(error)) from error

    def _upload(self, path: Path, user: User) -> ImportJob:
        try:
            with path.open("rb") as file:
                upload = UploadedFile(file, name=path.name, size=path.stat().st_size)
                return services.create_job(upload, user=user)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
            ) from error
        except UnreadableFile as error:
            raise CommandError(f"{path.name}: {error}") from error

    def _map(self, job: ImportJob, options: dict[str, Any]) -> None:
        if options["encoding"]:
            self._read_in(job, options["encoding"])
        if options["sheet"]:
            if options["sheet"] not in job.sheets:
                raise CommandError(
                    _("The file has no sheet “%(sheet)s”; its sheets: %(sheets)s.")
                    % {"sheet": options["sheet"], "sheets": ", ".join(job.sheets)}
                )
            try:
                services.choose_sheet(job, services.glance_at(job, options["sheet"]))
            except UnreadableFile as error:
                raise CommandError(str(error)) from error
        if options["mapping"]:
            saved = SavedMapping.objects.filter(name=options["mapping"]).first()
            if saved is None:
                names = ", ".join(SavedMapping.objects.values_list("name", flat=True))
                if not names:
                    raise CommandError(
                        _("There is no saved mapping “%(name)s”: none has been saved yet.")
                        % {"name": options["mapping"]}
                    )
                raise CommandError(
                    _("There is no saved mapping “%(name)s”; saved mappings: %(names)s.")
                    % {"name": options["mapping"], "names": names}
                )
            services.apply_saved_mapping(job, saved)
        if options["country"]:
            job.default_country = options["country"].upper()
        targets = services.targets_of(job)
        for header, target in zip(job.headers, targets, strict=False):
            if target.field != TargetField.IGNORE:
                where = target.custom_key or TargetField(target.field).label
                self.stdout.write(f"  {header or '-'} → {where}")
        try:
            services.check_mapping(targets, job.headers)
        except services.MappingProblem as problem:
            raise CommandError(problem.message) from problem

    def _check(self, job: ImportJob) -> None:
        self.stdout.write(_("Checking %(file)s …") % {"file": job.original_name})
        services.request_check(job, enqueue=False)
        progress = Progress(self.stdout, services.expected_rows(job))
        check.check_file(job.pk, on_chunk=progress.update)
        job.refresh_from_db()
        preview = job.preview
        if "error" in preview:
            raise CommandError(preview["error"])
        progress.total = preview["rows"]
        progress.finish()
        self.stdout.write(
            # "label: count" avoids plurals for five numbers in one line ("1 rows").
            _(
                "Rows: %(rows)s · new talents: %(new)s · already known: %(existing)s · "
                "repeated rows: %(repeated)s · invalid rows: %(invalid)s"
            )
            % {key: _number(preview[key]) for key in COUNTS}
        )
        if tags := preview.get("tags"):
            new = preview["new_tags"]
            self.stdout.write(
                _("Tags from the file: %(tags)s · new, made at the start: %(new)s")
                % {"tags": ", ".join(tags), "new": ", ".join(new) if new else "–"}
            )
        for problem in preview["problems"]:
            self.stdout.write(_row_problem(problem["row"], problem["column"], problem["reason"]))
        hidden = preview["invalid"] + preview["repeated"] - len(preview["problems"])
        if hidden > 0:
            self.stdout.write(_("… and %(count)s more.") % {"count": _number(hidden)})

    def _run(
        self, job: ImportJob, user: User, decisions: dict[str, Any], options: dict[str, Any]
    ) -> None:
        pools, tag_names = decisions.pop("pools"), decisions.pop("tags")
        for name, value in decisions.items():
            setattr(job, name, value)
        job.save()
        job.pools.set(pools)
        tags = [get_or_create_tag(name) for name in tag_names]
        job.tags.set([tag for tag, _new in tags])
        job.created_tags.set([tag for tag, new in tags if new])
        services.start_import(job, enqueue=False)
        self.stdout.write(_("Importing %(file)s …") % {"file": job.original_name})
        progress = Progress(self.stdout, job.total_rows)
        try:
            run.run_import(job.pk, on_batch=progress.update)
        except KeyboardInterrupt:
            self._end_progress_line()
            run.cancel_here(job)
            job.refresh_from_db()
            raise CommandError(
                _(
                    "Interrupted: %(done)s of %(total)s rows were imported (created: "
                    "%(created)s, updated: %(updated)s); the rest of the file was not. "
                    "The import can be undone on its page: %(url)s"
                )
                % {
                    "done": _number(job.cursor),
                    "total": _number(job.total_rows),
                    "created": _number(job.created_count),
                    "updated": _number(job.updated_count),
                    "url": settings.SITE_URL + reverse("imports:import-detail", args=[job.pk]),
                },
                returncode=130,
            ) from None
        progress.finish()
        job.refresh_from_db()
        self._summarise(job, user, options["report"])

    def _end_progress_line(self) -> None:
        """Ctrl+C came while a progress bar was redrawn in place: the message goes below it."""
        if self.stdout.isatty():
            self.stdout.write("")

    def _summarise(self, job: ImportJob, user: User, report: Path | None) -> None:
        self.stdout.write(
            _(
                "Created: %(created)s · updated: %(updated)s · unchanged: %(unchanged)s · "
                "repeated rows: %(repeated)s · rejected rows: %(rejected)s"
            )
            % {
                "created": _number(job.created_count),
                "updated": _number(job.updated_count),
                "unchanged": _number(job.unchanged_count),
                "repeated": _number(job.repeated_count),
                "rejected": _number(job.rejected_count),
            }
        )
        rejected = list(job.rejected_rows.all()[:SHOWN_REJECTED])
        for row in rejected:
            self.stdout.write(_row_problem(row.row_number, row.column, row.reason))
        more = job.rejected_rows.count() - len(rejected)
        if more > 0:
            self.stdout.write(_("… and %(count)s more.") % {"count": _number(more)})
        if report is not None:
            with report.open("wb") as out:
                services.write_rejected_rows(job, out, user=user)
            self.stdout.write(_("Rows not imported written to %(file)s.") % {"file": report})
        if job.state == ImportJob.State.RUNNING:
            # Another worker claimed the job (this process stalled past its lease).
            self.stdout.write(_("The import goes on in the background."))
        elif job.state != ImportJob.State.DONE:
            message = job.get_state_display()
            raise CommandError(f"{message}: {job.error}" if job.error else message)


class Progress:
    """Rows done of the total, the rate and the time left: redrawn in place on a terminal,
    a line every few seconds otherwise (a log file keeps every line)."""

    WIDTH = 30
    LOG_EVERY = 5.0  # seconds

    def __init__(self, out: OutputWrapper, total: int) -> None:
        self.out = out
        self.total = total
        self.tty = out.isatty()
        self.started = self.logged = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if self.tty:
            self.out.write("\r" + self.line(now), ending="")
            self.out.flush()
        elif now - self.logged >= self.LOG_EVERY:
            self.logged = now
            self.out.write(self.line(now))

    def finish(self) -> None:
        line = self.line(time.monotonic())
        self.out.write("\r" + line if self.tty else line)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        share = self.done / self.total if self.total else 1.0
        filled = round(self.WIDTH * share)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        left = (self.total - self.done) / rate if rate else 0.0
        return _("[%(bar)s] %(done)s/%(total)s rows, %(rate)s rows/s, %(left)s left") % {
            "bar": bar,
            "done": _number(self.done),
            "total": _number(self.total),
            "rate": _number(round(rate)),
            "left": _duration(left),
        }


def _uploader(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("There is no active user “%(name)s”.") % {"name": username})
    if not user.can_edit:
        raise CommandError(
            _("%(name)s may only read talents; importing needs a recruiter or an admin.")
            % {"name": username}
        )
    return user


def _decisions(user: User, options: dict[str, Any]) -> dict[str, Any]:
    """The options as the job's decisions; refused before anything is uploaded."""
    consent = options["consent"]
    if consent == ImportJob.Consent.RECORDED:
        if not user.is_admin:
            raise CommandError(_("Only admins can record consent obtained elsewhere."))
        if not options["consent_note"].strip():
            raise CommandError(_("Say where the consent was obtained (--consent-note)."))
    country = options["country"]
    if country and country.upper() not in countries:
        raise CommandError(_("“%(code)s” is not a country code.") % {"code": country})
    pools = []
    for name in options["pools"]:
        pool = pools_visible_to(user).filter(name=name).first()
        if pool is None:
            raise CommandError(_("There is no pool “%(name)s”.") % {"name": name})
        pools.append(pool)
    status = None
    if options["status"]:
        status = Status.objects.filter(key=options["status"]).first()
        if status is None:
            keys = ", ".join(Status.objects.values_list("key", flat=True))
            raise CommandError(
                _("There is no status “%(key)s”; statuses: %(keys)s.")
                % {"key": options["status"], "keys": keys}
            )
    owner = None
    if options["owner"]:
        owner = assignable_owners().filter(username=options["owner"]).first()
        if owner is None:
            raise CommandError(
                _("There is no recruiter or admin “%(name)s” to own the talents.")
                % {"name": options["owner"]}
            )
    return {
        "existing": options["existing"],
        "invalid": options["invalid"],
        "pools": pools,
        "tags": [name.strip() for name in options["tags"] if name.strip()],
        "status": status,
        "owner": owner,
        "consent": consent,
        "consent_note": options["consent_note"].strip(),
        "rejected_applicants": options["rejected_applicants"],
    }


def _discard(job: ImportJob) -> None:
    """A job the command will not run: nobody comes back to it, so its upload (personal
    data) goes with it."""
    services.discard_upload(job)
    job.delete()


def _row_problem(row: int, column: str, reason: str) -> str:
    if column:
        return _("Row %(row)d, column “%(column)s”: %(reason)s") % {
            "row": row,
            "column": column,
            "reason": reason,
        }
    return _("Row %(row)d: %(reason)s") % {"row": row, "reason": reason}


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
