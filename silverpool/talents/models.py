"""Talents and what hangs off them: pools, tags, notes, documents and the event log.

Full-text search indexes are backend-specific (a GIN index on PostgreSQL, an FTS5 table
on SQLite) and live in migration 0002 rather than in Meta.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Status(models.Model):
    """One step of the configurable talent status list (new, contacted, ...)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_de = models.CharField(_("name (German)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("default for new talents"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("statuses")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_de if translation.get_language() == "de" else self.name_en


class Tag(models.Model):
    """A label such as "Silver medalist" or "High potential"."""

    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: set by services.count_tag_talents for the user looking.
    talent_count: int

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Pool(models.Model):
    """A talent pool. A private pool and its talents are seen only by its members and admins."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_private = models.BooleanField(_("private"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="private_pools",
        verbose_name=_("members"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: set by services.count_pool_talents for the user looking.
    talent_count: int

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="pool_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class CustomField(models.Model):
    """An admin-defined talent field; values live in Talent.custom_values under `key`."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_de = models.CharField(_("label (German)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_de if translation.get_language() == "de" else self.label_en


class TalentQuerySet(models.QuerySet["Talent"]):
    def active(self) -> "TalentQuerySet":
        """Talents that have not been merged into another one."""
        return self.filter(merged_into__isnull=True)

    def visible_to(self, user: Any) -> "TalentQuerySet":
        """What `user` may see: everything for admins; otherwise no talent that sits in a
        private pool the user is not a member of (unless another of their pools holds it)."""
        return self.filter(visible_talent(user))

    def hidden_from(self, user: Any) -> "TalentQuerySet":
        """The talents visible_to leaves out for `user`: merged ones and, unless admin, the
        restricted ones outside their private pools. They are few (well under 1 % of all),
        so counts subtract them from a plain total instead of testing every talent."""
        # HIDABLE repeats the condition of talent_hidable_idx, so the planner uses it.
        return self.filter(HIDABLE).exclude(visible_talent(user))


# Talents some user may not see; a partial index (talent_hidable_idx) holds just these.
HIDABLE = Q(merged_into__isnull=False) | Q(is_restricted=True)


def visible_talent(user: Any, path: str = "") -> Q:
    """The condition of visible_to, on the talent reached through `path` (for example
    "memberships__talent__" from a pool), so that counts can join instead of testing each
    row against every visible talent."""
    active = Q(**{f"{path}merged_into__isnull": True})
    if user.is_admin:
        return active
    mine = PoolMembership.objects.filter(pool__is_private=True, pool__members=user)
    unrestricted = Q(**{f"{path}is_restricted": False})
    return active & (unrestricted | Q(**{f"{path}pk__in": mine.values("talent_id")}))


class Talent(models.Model):
    """A person in the talent CRM."""

    class SourceKind(models.TextChoices):
        MANUAL = "manual", _("Manual")
        IMPORT = "import", _("Import")
        FORM = "form", _("Form")
        ATS = "ats", _("ATS")
        API = "api", _("API")

    class SalaryPeriod(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    job_title = models.CharField(_("current job title"), max_length=200, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), max_length=300, blank=True)
    profile_urls = models.JSONField(_("other profiles"), default=list, blank=True)
    salary_amount = models.DecimalField(
        _("salary expectation"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_currency = models.CharField(_("currency"), max_length=3, default="EUR", blank=True)
    salary_period = models.CharField(
        _("salary period"), max_length=5, choices=SalaryPeriod, default=SalaryPeriod.YEAR
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # Status and owner are indexed first in talent_status_idx and talent_owner_idx (Meta):
    # an index of their own would be one more to write for every talent.
    status = models.ForeignKey(
        Status,
        on_delete=models.PROTECT,
        related_name="talents",
        verbose_name=_("status"),
        db_index=False,
    )
    source_kind = models.CharField(
        _("source"), max_length=10, choices=SourceKind, default=SourceKind.MANUAL
    )
    source_label = models.CharField(_("source detail"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_talents",
        verbose_name=_("owner"),
        db_index=False,
    )
    custom_values = models.JSONField(default=dict, blank=True)
    pools = models.ManyToManyField(Pool, through="PoolMembership", related_name="talents")
    tags = models.ManyToManyField(Tag, through="TalentTag", related_name="talents")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    # When the talent last sent in a form about themselves: how fresh the profile is.
    data_confirmed_at = models.DateTimeField(_("data confirmed"), null=True, blank=True)
    # Derived columns, maintained by the services: folded words for full-text search,
    # a normalised name for duplicate detection, and whether a private pool hides it.
    search_text = models.TextField(blank=True, editable=False)
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    is_restricted = models.BooleanField(default=False, editable=False)
    # Indexed where set only (talent_merged_into_idx, Meta): few talents are merged.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        db_index=False,
    )

    objects = TalentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="talent_email_ci_unique"
            )
        ]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="talent_updated_idx"),
            models.Index(fields=["-created_at", "-id"], name="talent_created_idx"),
            models.Index(fields=["-last_activity_at", "-id"], name="talent_activity_idx"),
            models.Index(fields=["available_from"], name="talent_available_idx"),
            models.Index(fields=["last_name", "first_name", "id"], name="talent_name_idx"),
            models.Index(fields=["status", "-updated_at"], name="talent_status_idx"),
            models.Index(fields=["owner", "-updated_at"], name="talent_owner_idx"),
            models.Index(fields=["source_kind", "source_label"], name="talent_source_idx"),
            # Likely duplicates: the same name and phone (both columns: a common name
            # alone matches thousands).
            models.Index(fields=["name_key", "phone"], name="talent_name_phone_idx"),
            models.Index(fields=["linkedin_url"], name="talent_linkedin_idx"),
            models.Index(fields=["city"], name="talent_city_idx"),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="talent_merged_into_idx",
            ),
            # Covers hidden_from with an index-only scan (see services.access.count_*).
            models.Index(
                fields=["id", "is_restricted", "merged_into"],
                condition=HIDABLE,
                name="talent_hidable_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def acting_user() -> "models.ForeignKey[Any, Any]":
    """The user who added or wrote a row, if any. Not indexed: users are deactivated,
    never deleted, so no row is looked up by it (and imports write many such rows)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )


class PoolMembership(models.Model):
    """A talent's place in a pool, with who put it there and when."""

    # Both are indexed first, by the unique constraint and membership_talent_idx (Meta).
    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="pool_memberships", db_index=False
    )
    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    added_by = acting_user()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "talent"], name="pool_membership_unique")
        ]
        indexes = [models.Index(fields=["talent", "pool"], name="membership_talent_idx")]

    def __str__(self) -> str:
        return f"{self.talent_id} in {self.pool_id}"


class TalentTag(models.Model):
    """A tag on a talent, with who added it and when."""

    # Both are indexed first, by the unique constraint and talent_tag_talent_idx (Meta).
    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="talent_tags", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="talent_tags", db_index=False
    )
    added_by = acting_user()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [models.UniqueConstraint(fields=["tag", "talent"], name="talent_tag_unique")]
        indexes = [models.Index(fields=["talent", "tag"], name="talent_tag_talent_idx")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.talent_id}"


class Note(models.Model):
    """A recruiter's note on a talent; editable by its author or an admin."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="notes")
    author = acting_user()
    text = models.TextField(_("note"))
    # Art. 15 GDPR: the talent's own copy of their data includes only the notes marked so.
    visible_to_talent = models.BooleanField(
        _("visible to the talent in their data copy"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


def document_path(instance: "Document", filename: str) -> str:
    # Server-generated names: the uploaded name is kept only as metadata.
    return f"documents/{instance.talent_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file on a talent (a CV, say); its text is extracted in the background for search."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Reading text…")
        DONE = "done", _("Text extracted")
        FAILED = "failed", _("Text could not be read")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    text = models.TextField(blank=True, editable=False)
    extraction = models.CharField(max_length=10, choices=Extraction, default=Extraction.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """One entry on a talent's timeline: what changed, who did it, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated by a channel")
        FIELD_CHANGED = "field_changed", _("Field changed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        OWNER_CHANGED = "owner_changed", _("Owner changed")
        POOL_ADDED = "pool_added", _("Added to pool")
        POOL_REMOVED = "pool_removed", _("Removed from pool")
        TAG_ADDED = "tag_added", _("Tag added")
        TAG_REMOVED = "tag_removed", _("Tag removed")
        NOTE_ADDED = "note_added", _("Note added")
        NOTE_EDITED = "note_edited", _("Note edited")
        NOTE_DELETED = "note_deleted", _("Note deleted")
        DOCUMENT_ADDED = "document_added", _("Document added")
        DOCUMENT_DELETED = "document_deleted", _("Document deleted")
        DUPLICATE_FLAGGED = "duplicate_flagged", _("Possible duplicate")
        MERGED = "merged", _("Merged")
        MERGE_UNDONE = "merge_undone", _("Merge undone")
        LEGAL_BASIS_CHANGED = "legal_basis_changed", _("Legal basis changed")
        CONSENT_REQUESTED = "consent_requested", _("Consent requested")
        CONSENT_RECORDED = "consent_recorded", _("Consent decision recorded")
        LEGAL_HOLD_SET = "legal_hold_set", _("Legal hold set")
        LEGAL_HOLD_LIFTED = "legal_hold_lifted", _("Legal hold lifted")
        PRIVACY_NOTICE_SENT = "privacy_notice_sent", _("Privacy notice sent")
        DATA_EXPORTED = "data_exported", _("Data exported")
        ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
        EMAIL_SENT = "email_sent", _("Email sent")
        EMAIL_FAILED = "email_failed", _("Email failed")
        FORM_SUBMITTED = "form_submitted", _("Form sent in")
        FORM_LINK_SENT = "form_link_sent", _("Form link sent")

    # No index of its own: event_talent_idx starts with it (one index less to write for
    # every event; an import writes tens of thousands).
    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=32, choices=Kind)
    actor = acting_user()
    # Who acted when it was not a user: "API", a form title, "Talent", "System".
    actor_label = models.CharField(max_length=120, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Events are read by talent (event_talent_idx), never across talents by time.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["talent", "-created_at"], name="event_talent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.talent_id}"


class DuplicateFlag(models.Model):
    """Two talents that are probably the same person, with the reason. Shown on both."""

    class Reason(models.TextChoices):
        NAME_AND_PHONE = "name_phone", _("same name and phone number")
        LINKEDIN = "linkedin", _("same LinkedIn profile")

    # Indexed first by the unique constraint (Meta).
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+", db_index=False)
    other = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One row per pair, stored with the lower id first.
            models.UniqueConstraint(fields=["talent", "other"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(talent__lt=models.F("other")), name="dup_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} ~ {self.other_id} ({self.reason})"


class Merge(models.Model):
    """A merge of `secondary` into `primary`, with what is needed to undo it."""

    primary = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="merges")
    secondary = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+")
    snapshot = models.JSONField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.secondary_id} -> {self.primary_id}"


class SavedSearch(models.Model):
    """A named talent-list filter a user wants to come back to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
