"""Talent, follow-up and application forms, the fields on them, what candidates sent in,
and the branding the public pages wear."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..privacy.models import Purpose
from ..talents.models import Pool, Status, Tag, Talent


def new_public_id() -> str:
    # In the public URL: unguessable, so an inactive or draft form is not found by counting.
    return secrets.token_urlsafe(9)


class Language(models.TextChoices):
    DE = "de", _("German")
    EN = "en", _("English")


# Each language in itself, for switching between them: a reader finds their own.
NATIVE_NAMES = (("de", "Deutsch"), ("en", "English"))


def offered_languages(form: "Form") -> list[tuple[str, str]]:
    return [(code, name) for code, name in NATIVE_NAMES if code in form.languages]


class Form(models.Model):
    """A form candidates fill in; its title is the source label of the talents it brings."""

    class Kind(models.TextChoices):
        TALENT = "talent", _("Talent form (joins the talent pool)")
        FOLLOW_UP = "follow_up", _("Follow-up form (a talent updates their data)")
        APPLICATION = "application", _("Application form")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.TALENT)
    title = models.CharField(_("title"), max_length=200)
    # What candidates read as the heading, per language; the title when empty.
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    heading_de = models.CharField(_("heading (German)"), max_length=200, blank=True)
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    # The languages the form is offered in; the first is used when the browser asks for none.
    languages = models.JSONField(_("languages"), default=list)
    thank_you_en = models.TextField(_("thank-you text (English)"), blank=True)
    thank_you_de = models.TextField(_("thank-you text (German)"), blank=True)
    redirect_url = models.URLField(_("redirect after sending"), max_length=500, blank=True)
    pools = models.ManyToManyField(Pool, blank=True, related_name="+", verbose_name=_("pools"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("tags"))
    status = models.ForeignKey(
        Status,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("status for new talents"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner for new talents"),
    )
    notify = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("recruiters to notify"),
    )
    purposes = models.ManyToManyField(
        Purpose, blank=True, related_name="+", verbose_name=_("consent purposes")
    )
    # Origins (scheme://host[:port]) of the sites that may show the form in an iframe.
    allowed_origins = models.JSONField(_("sites allowed to embed the form"), default=list)
    second_step = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("second step"),
        help_text=_("A follow-up form whose link is emailed right after this form is sent."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        return _in_language(self.heading_de, self.heading_en) or self.title

    def heading_in(self, language: str) -> str:
        with translation.override(language):
            return self.heading

    @property
    def description(self) -> str:
        return _in_language(self.description_de, self.description_en)

    @property
    def thank_you(self) -> str:
        return _in_language(self.thank_you_de, self.thank_you_en)


def _in_language(german: str, english: str) -> str:
    """The text in the active language, else the other one (a form may be in one only)."""
    if translation.get_language() == "de":
        return german or english
    return english or german


class FormField(models.Model):
    """One field of a form, in the order candidates see them."""

    class Kind(models.TextChoices):
        TALENT = "talent", _("Talent field")
        CUSTOM = "custom", _("Custom field")
        CV = "cv", _("CV upload")
        QUESTION = "question", _("Free-text question")
        RECRUITER = "recruiter", _("Last recruiter contact")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="fields")
    kind = models.CharField(max_length=10, choices=Kind)
    # The talent field's name or the custom field's key; a question's own key.
    key = models.CharField(max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label_de = models.CharField(_("label (German)"), max_length=200, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    help_de = models.CharField(_("help text (German)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="form_field_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}:{self.key}"

    @property
    def label(self) -> str:
        return _in_language(self.label_de, self.label_en)

    @property
    def help_text(self) -> str:
        return _in_language(self.help_de, self.help_en)


class Submission(models.Model):
    """A form as a candidate sent it: which talent it reached and what came with it that
    has no place on the profile (answers to questions, campaign parameters)."""

    # A form that was sent stays (delete_form refuses): its submissions are the talents'
    # history. Erasing a talent takes its submissions with it.
    # No single-column indexes: the two below start with these columns.
    form = models.ForeignKey(
        Form, on_delete=models.PROTECT, related_name="submissions", db_index=False
    )
    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="form_submissions", db_index=False
    )
    created_talent = models.BooleanField(default=False)
    language = models.CharField(max_length=2, choices=Language)
    # [{"question": label, "answer": text}] in the form's order (Entry.answers).
    answers = models.JSONField(default=list, blank=True)
    campaign = models.JSONField(default=dict, blank=True)
    # A digest of the token of the page it was sent from: the same page sent again (a
    # reload, the back button, a retry) is this submission, not a second one.
    once = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A form's submission list and the profile's Forms panel, newest first.
            models.Index(fields=["form", "-created_at"], name="submission_form_idx"),
            models.Index(fields=["talent", "-created_at"], name="submission_talent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} -> {self.talent_id}"


class FormHit(models.Model):
    """One submission attempt, counted for the rate limits per address and per form. The
    address is kept as a keyed hash and only as long as the window lasts."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["form", "created_at"], name="formhit_form_idx"),
            models.Index(fields=["client", "created_at"], name="formhit_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} at {self.created_at}"


class Branding(models.Model):
    """The logo and colour of the public pages (one row)."""

    logo = models.FileField(upload_to="branding/", blank=True, max_length=200)
    logo_type = models.CharField(max_length=40, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1d5c87")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.colour
