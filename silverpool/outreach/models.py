"""Email to talents: admin-edited template texts and the outbox every message goes through."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..talents.models import Talent


class Language(models.TextChoices):
    DE = "de", _("German")
    EN = "en", _("English")


class EmailTemplate(models.Model):
    """An admin's wording of one shipped template (`defaults.py`) in one language. Without
    a row the shipped default is used; deleting the row resets to it."""

    key = models.SlugField(max_length=40)
    language = models.CharField(max_length=2, choices=Language)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="email_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"


class OutboundEmail(models.Model):
    """One email in the outbox, rendered when it was queued and sent by a worker.

    The row is the lease: a worker claims it with a conditional UPDATE (queued and due →
    sending until `lease_until`), so two workers never send it at the same time, and a
    worker killed mid-send leaves a lease that expires and is picked up again.
    """

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy (consent request or notice)")
        PERSONAL = "personal", _("Personal email")
        CAMPAIGN = "campaign", _("Campaign")
        FORM = "form", _("Form (confirmation, link to a form, notification)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # Erasing a talent erases the messages to it (Art. 17 GDPR): nothing queued survives.
    talent = models.ForeignKey(
        Talent, null=True, blank=True, on_delete=models.CASCADE, related_name="outbound_emails"
    )
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=500)
    body_text = models.TextField()
    language = models.CharField(max_length=2, choices=Language)
    template = models.SlugField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Chosen when queued and kept across retries, so a receiver can tell a resend.
    message_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbound_due_idx"),
            models.Index(fields=["talent", "-created_at"], name="outbound_talent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template or self.kind} to {self.talent_id} ({self.state})"
