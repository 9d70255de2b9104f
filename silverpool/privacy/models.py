"""GDPR data: the policy, purposes and their versioned texts, each talent's legal basis,
consent requests and the append-only consent records, the suppression list, the audit
log and data-subject requests."""

import base64
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..talents.models import Talent


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Policy(models.Model):
    """The organisation's retention and consent rules: one row (pk 1), edited by admins."""

    class EndAction(models.TextChoices):
        DELETE = "delete", _("Delete the talent")
        ANONYMISE = "anonymise", _("Anonymise (keep a stub without personal data)")

    enabled = models.BooleanField(
        _("GDPR function on"),
        default=True,
        help_text=_("Off: no consent requests, reminders or automatic deletion."),
    )
    consent_deadline_days = models.PositiveSmallIntegerField(
        _("days to obtain consent"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
        help_text=_("A talent without consent is deleted this many days after coming in."),
    )
    reminder_days = models.JSONField(
        _("reminders, days before the deadline"),
        default=list,
        blank=True,
        help_text=_("For example 7, 2: a reminder a week and two days before the deadline."),
    )
    consent_validity_months = models.PositiveSmallIntegerField(
        _("consent valid for (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("ask for renewal, days before consent ends"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
    )
    hold_months = models.PositiveSmallIntegerField(
        _("hold period for rejected applicants (months)"),
        default=6,
        validators=[MinValueValidator(3), MaxValueValidator(7)],
        help_text=_("Claims under § 15 AGG (Germany) need about 6 months; Austria 7."),
    )
    end_action = models.CharField(
        _("at the end"), max_length=12, choices=EndAction, default=EndAction.DELETE
    )
    batch_weekday = models.PositiveSmallIntegerField(
        _("weekly consent requests on"), choices=Weekday, default=Weekday.TUESDAY
    )
    batch_time = models.TimeField(_("at"), default=datetime.time(9, 0))
    # The scheduler checks hourly; this makes the weekly batch run once per week.
    last_batch_at = models.DateTimeField(null=True, blank=True, editable=False)
    controller_name = models.CharField(
        _("controller"),
        max_length=200,
        blank=True,
        help_text=_("The company responsible for the data, as named in the privacy notice."),
    )
    controller_contact = models.TextField(_("controller address and contact"), blank=True)
    dpo_contact = models.CharField(_("data protection officer"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy policy")

    def __str__(self) -> str:
        return "Privacy policy"


class Purpose(models.Model):
    """Something a talent can consent to, e.g. `talent_pool` or `email_campaigns`."""

    TALENT_POOL = "talent_pool"
    EMAIL_CAMPAIGNS = "email_campaigns"

    key = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en


class ConsentText(models.Model):
    """One version of a purpose's consent text in one language. Never edited: a change is
    a new version, so every consent record keeps pointing at the words the talent saw."""

    class Language(models.TextChoices):
        EN = "en", _("English")
        DE = "de", _("German")

    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="texts")
    language = models.CharField(max_length=2, choices=Language)
    version = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "language", "version"], name="consent_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose.key} {self.language} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Consent texts are versioned: create a new version instead.")
        self.sha256 = hashlib.sha256(self.text.encode()).hexdigest()
        super().save(*args, **kwargs)


LINK_KEY_BYTES = 24


def new_link_key() -> str:
    return new_link_keys(1)[0]


def new_link_keys(count: int) -> list[str]:
    """`count` keys, as secrets.token_urlsafe makes them, from one read of the system's
    randomness: an import makes a key for each new talent, and a read each took about 6 µs
    (docs/benchmarks.md, "Session 28")."""
    data = secrets.token_bytes(LINK_KEY_BYTES * count)
    return [
        base64.urlsafe_b64encode(data[start : start + LINK_KEY_BYTES]).decode("ascii")
        for start in range(0, len(data), LINK_KEY_BYTES)
    ]


class LegalBasis(models.Model):
    """Why Silverpool may keep a talent, until when, and what happens next.

    `due_on` is the day the daily job deletes or anonymises the talent unless something
    changes (consent given or renewed, a legal hold); it is stored so that the forecast
    and the job are plain index scans.
    """

    class State(models.TextChoices):
        APPLICATION_HOLD = "application_hold", _("Application hold")
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
        CONSENT_VALID = "consent_valid", _("Consent valid")
        CONSENT_EXPIRED = "consent_expired", _("Consent expired")
        DECLINED = "declined", _("Consent declined")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    talent = models.OneToOneField(
        Talent, primary_key=True, on_delete=models.CASCADE, related_name="legal_basis"
    )
    state = models.CharField(max_length=20, choices=State, default=State.AWAITING_CONSENT)
    since = models.DateTimeField(default=timezone.now)
    hold_until = models.DateField(null=True, blank=True)
    consent_deadline = models.DateField(null=True, blank=True)
    consent_valid_until = models.DateField(null=True, blank=True)
    purposes = models.JSONField(default=list, blank=True)
    due_on = models.DateField(null=True, blank=True)
    legal_hold_reason = models.CharField(max_length=500, blank=True)
    legal_hold_until = models.DateField(null=True, blank=True)
    # Consent requests: when last asked, how often, which reminders went out for the
    # current deadline, and whether the renewal request for the current consent went out.
    asked_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    renewal_asked_at = models.DateTimeField(null=True, blank=True)
    # Art. 14 GDPR: talents not collected from themselves are informed within a month.
    notice_due_on = models.DateField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    # Part of every signed privacy-page link: erasing the talent or rotating it kills them.
    link_key = models.CharField(max_length=40, default=new_link_key, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "legal bases"
        indexes = [
            models.Index(fields=["state", "due_on"], name="legal_basis_state_due_idx"),
            models.Index(fields=["due_on"], name="legal_basis_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.state} for {self.talent_id}"

    def on_legal_hold(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.legal_hold_until and self.legal_hold_until >= today)


class ConsentRequest(models.Model):
    """One email asking a talent for consent (or its renewal): the link in it answers
    this request, once, until it expires."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent request")
        REMINDER = "reminder", _("Reminder")
        RENEWAL = "renewal", _("Renewal request")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="consent_requests")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.CONSENT)
    language = models.CharField(max_length=2)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.talent_id}"


class ConsentRecord(models.Model):
    """Proof of one consent decision for one purpose (Art. 7(1) GDPR). Append-only:
    withdrawal and renewal are new records."""

    class Decision(models.TextChoices):
        GIVEN = "given", _("Given")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Method(models.TextChoices):
        CONSENT_PAGE = "consent_page", _("Consent page (link in an email)")
        PRIVACY_PAGE = "privacy_page", _("Privacy page (link in an email)")
        FORM = "form", _("Form")
        RECRUITER = "recruiter", _("Recorded by a recruiter")
        IMPORT = "import", _("Import (obtained elsewhere)")
        ATS = "ats", _("ATS")
        API = "api", _("API")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision)
    text = models.ForeignKey(
        ConsentText, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    language = models.CharField(max_length=2, blank=True)
    method = models.CharField(max_length=16, choices=Method)
    request = models.ForeignKey(
        ConsentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.purpose_id} by {self.talent_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)


def email_hash(email: str) -> str:
    """The suppression list's key: no address is stored, only this digest."""
    normalised = email.strip().lower()
    return hashlib.sha256(f"silverpool-suppression:{normalised}".encode()).hexdigest()


class Suppression(models.Model):
    """A person who withdrew or was erased: no channel silently brings them back into
    campaigns. Only the hash of the address is kept."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        ERASED = "erased", _("Erased")
        OBJECTED = "objected", _("Objected")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed from campaigns")

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=16, choices=Reason)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason} {self.email_hash[:12]}"


class AuditEntry(models.Model):
    """Who viewed, exported, changed or deleted personal data. Holds no personal data
    itself, so it survives the talent's erasure: the talent is only an id."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        EXPORTED = "exported", _("Exported")
        IMPORTED = "imported", _("Imported")
        CHANGED = "changed", _("Changed")
        CONSENT = "consent", _("Consent recorded")
        DELETED = "deleted", _("Deleted by a user")
        ERASED = "erased", _("Erased")
        ANONYMISED = "anonymised", _("Anonymised")
        DELETED_BY_POLICY = "deleted_by_policy", _("Deleted by the retention policy")
        LEGAL_HOLD = "legal_hold", _("Legal hold changed")
        POLICY_CHANGED = "policy_changed", _("Privacy settings changed")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When no user acted: "Talent" (privacy page), "System" (the daily job), "API".
    actor_label = models.CharField(max_length=120, blank=True)
    talent_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.talent_id}"


class DataSubjectRequest(models.Model):
    """A request under Art. 15-21 GDPR, due within a month (Art. 12(3)), extendable by two
    months with a reason."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access")
        RECTIFICATION = "rectification", _("Rectification")
        ERASURE = "erasure", _("Erasure")
        OBJECTION = "objection", _("Objection")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    class Channel(models.TextChoices):
        PRIVACY_PAGE = "privacy_page", _("Privacy page")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other")

    talent = models.ForeignKey(
        Talent, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_requests"
    )
    # Kept after erasure so the request stays traceable without personal data.
    talent_ref = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind)
    channel = models.CharField(max_length=16, choices=Channel, default=Channel.EMAIL)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    received_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField()
    extension_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="dsr_status_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="dsr_due")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.talent_ref}"


class AnonymisedStub(models.Model):
    """What is left of a talent anonymised at the end of its retention (R23): dates, the
    kind of source, ids and counts, nothing that identifies the person. Not a talent: no
    talent page or list shows it; it answers "how many, from where, how long kept"."""

    former_talent_id = models.BigIntegerField(db_index=True)
    # The talent's own creation time; the stub itself is made at `deleted_at`.
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(default=timezone.now)
    # The kind only: the source label may name a person or a file.
    source_kind = models.CharField(max_length=10, choices=Talent.SourceKind)
    status_key = models.CharField(max_length=40, blank=True)
    pool_ids = models.JSONField(default=list, blank=True)
    note_count = models.PositiveIntegerField(default=0)
    document_count = models.PositiveIntegerField(default=0)
    event_count = models.PositiveIntegerField(default=0)
    consent_count = models.PositiveIntegerField(default=0)
    # Why it ended: the legal-basis state whose deadline passed, or "request".
    reason = models.CharField(max_length=20)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"stub of {self.former_talent_id}"
