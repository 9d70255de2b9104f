"""Imports: the uploaded file and the decisions about it (ImportJob), the rows it could not
take (RejectedRow), what it did to each talent (ImportedTalent, for undo) and mappings
saved for the next file of the same shape (SavedMapping)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..talents.models import Talent


def upload_path(instance: "ImportJob", filename: str) -> str:
    # Server-generated names: the uploaded name is kept only as metadata.
    return f"imports/{uuid.uuid4().hex}"


class ImportJob(models.Model):
    """One uploaded file on its way in: mapped, checked (the preview), run in batches of one
    transaction each, and possibly undone.

    `cursor` is the number of data rows (after the header) whose batch has committed: a run
    that starts again, after a crash or a restart, skips them. Counters are committed with
    the batch they count, so they are exact whenever the job is read.
    """

    class State(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        CHECKING = "checking", _("Checking the file")
        READY = "ready", _("Checked, waiting to start")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")
        UNDOING = "undoing", _("Being undone")
        UNDONE = "undone", _("Undone")

    class Existing(models.TextChoices):
        SKIP = "skip", _("Leave them unchanged")
        FILL = "fill", _("Fill only empty fields")
        OVERWRITE = "overwrite", _("Overwrite with the file's values")

    class Invalid(models.TextChoices):
        SKIP = "skip", _("Skip them and list them in a report")
        STOP = "stop", _("Stop the import at the first invalid row")

    class Consent(models.TextChoices):
        WEEKLY = "weekly", _("Ask in the next weekly batch")
        ASK_NOW = "ask_now", _("Ask right after the import")
        RECORDED = "recorded", _("Consent was obtained elsewhere (admins only)")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=upload_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State, default=State.MAPPING)

    # The mapping: which sheet, which row holds the headers, where each column goes.
    sheet = models.CharField(max_length=200, blank=True)
    # A text file's encoding (a Python codec name), as detected at the upload or chosen on
    # the mapping page. Empty for a workbook, and for a text file uploaded before it was
    # kept, which is then detected whenever it is read.
    encoding = models.CharField(max_length=20, blank=True, default="", db_default="")
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list, blank=True)
    # One [field, custom key] pair per column, as headers.Target.
    mapping = models.JSONField(default=list, blank=True)
    # What the mapping page shows without opening the file again (calamine loads a sheet
    # whole: seconds and hundreds of MB for a large one): the file's sheets, and the first
    # data rows of the chosen one as text. The rows quote the file: they go when the
    # import starts.
    sheets = models.JSONField(default=list, blank=True)
    sample = models.JSONField(default=list, blank=True)
    # The number of the sheet's last row, from the upload (0: not known): about how many
    # rows the check has to read, for its progress.
    last_row = models.PositiveIntegerField(default=0)
    default_country = models.CharField(max_length=2, default="DE")

    # The decisions.
    existing = models.CharField(max_length=10, choices=Existing, default=Existing.FILL)
    invalid = models.CharField(max_length=5, choices=Invalid, default=Invalid.SKIP)
    pools = models.ManyToManyField("talents.Pool", blank=True, related_name="+")
    tags = models.ManyToManyField("talents.Tag", blank=True, related_name="+")
    # Those of the tags that its decisions created: its undo deletes those nothing else has.
    created_tags = models.ManyToManyField("talents.Tag", blank=True, related_name="+")
    status = models.ForeignKey(
        "talents.Status", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent = models.CharField(max_length=10, choices=Consent, default=Consent.WEEKLY)
    # Runners-up from an ATS export: kept under the application hold first (claims under
    # § 15 AGG), as privacy.open_legal_basis does for rejected applicants.
    rejected_applicants = models.BooleanField(default=False)
    consent_note = models.TextField(blank=True)

    # The check (preview): counts for the whole file, the first rows, the first problems;
    # while it runs, the rows it has read and the seconds it took for them.
    preview = models.JSONField(default=dict, blank=True)

    # The run.
    total_rows = models.PositiveIntegerField(default=0)
    cursor = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    repeated_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    # A worker holds the job until `lease_until`, renewed with every batch; a job whose lease
    # ran out while running is picked up again by the reaper.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The talents an undo removed, reverted and kept so far; once it is done, the names of
    # the tags it deleted ("deleted_tags", if any).
    undo_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "lease_until"], name="import_due_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def source_label(self) -> str:
        """Talent.source_label of the talents it brings: the file's name."""
        return self.original_name[:200]

    @property
    def undo_done(self) -> int:
        """The talents an undo has dealt with so far (removed, reverted or kept)."""
        return sum(self.undo_summary.get(key, 0) for key in ("removed", "reverted", "kept"))

    @property
    def undo_total(self) -> int:
        """The talents an undo deals with: those the import created or changed."""
        return self.created_count + self.updated_count


class RejectedRow(models.Model):
    """A row of the file the import did not take, with the reason, for the report."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField()
    # The header of the column at fault ("" when the row as a whole is: a repeated email).
    column = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    cells = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number", "id"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class ImportedTalent(models.Model):
    """What an import did to one talent: created it, or changed it (and what the fields held
    before), and which pools and tags it added. Undo reads this."""

    # Indexed first by the unique constraint (Meta).
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="talents", db_index=False
    )
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+")
    row_number = models.PositiveIntegerField()
    created = models.BooleanField()
    # Field name -> [value before, value the import wrote], as events.jsonable keeps them.
    changes = models.JSONField(default=dict, blank=True)
    added_pools = models.JSONField(default=list, blank=True)
    added_tags = models.JSONField(default=list, blank=True)
    added_notes = models.JSONField(default=list, blank=True)
    # Just after the batch wrote the talent: anything on its timeline later is someone else's.
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by the undo (something happened to the talent since the import): the record stays
    # so that the talent list can show them, without the values the undo no longer needs.
    # A default in the database too: bulk inserts (bulk_insert.insert_rows) leave it out.
    kept = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "talent"], name="imported_talent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} by import {self.job_id}"


class SavedMapping(models.Model):
    """A column mapping kept for the next file of the same shape, found by its headers."""

    name = models.CharField(_("name"), max_length=120)
    # Normalised header -> [field, custom key].
    columns = models.JSONField(default=dict)
    default_country = models.CharField(max_length=2, default="DE")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
