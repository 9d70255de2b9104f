"""Email texts: the shipped defaults, admins' own wording, checking and rendering them."""

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...privacy.services import add_months, get_policy
from ..defaults import PLACEHOLDERS, TEMPLATES, Template, Text
from ..models import EmailTemplate, Language
from ..rendering import compile_text, one_line, placeholders_used, render_text, tidy_body

logger = logging.getLogger(__name__)

LANGUAGES = tuple(Language.values)


def email_language(language: str) -> str:
    """One of the languages emails are written in; English for anything else."""
    return language if language in LANGUAGES else Language.EN


def company_name(language: str) -> str:
    """Who signs the emails: the controller named in the privacy settings."""
    name = get_policy().controller_name.strip()
    if name:
        return name
    with translation.override(language):
        return _("The recruiting team")


def privacy_footer(body: str, url: str, language: str) -> str:
    """`body` with the line every email to a talent ends with (R10: one click to the
    talent's privacy page, from every email)."""
    with translation.override(language):
        line = _("See, download or delete your data, or withdraw consent: %(url)s") % {"url": url}
    return f"{body}\n\n-- \n{line}"


def get_template(key: str) -> Template:
    """A shipped template by key; unknown keys are a programming error (KeyError)."""
    return TEMPLATES[key]


@dataclass(frozen=True)
class TemplateRow:
    """One template in one language as the editor lists it."""

    template: Template
    language: str
    custom: EmailTemplate | None

    @property
    def text(self) -> Text:
        if self.custom is not None:
            return Text(subject=self.custom.subject, body=self.custom.body)
        return self.template.texts[self.language]


def template_row(key: str, language: str) -> TemplateRow:
    custom = EmailTemplate.objects.select_related("updated_by").filter(key=key, language=language)
    return TemplateRow(get_template(key), language, custom.first())


def template_rows() -> list[TemplateRow]:
    custom = {(t.key, t.language): t for t in EmailTemplate.objects.select_related("updated_by")}
    return [
        TemplateRow(template, language, custom.get((template.key, language)))
        for template in TEMPLATES.values()
        for language in LANGUAGES
    ]


def _render(text: Text, values: Mapping[str, Any], language: str) -> tuple[str, str]:
    subject, body = compile_text(text.subject), compile_text(text.body)
    unknown = (placeholders_used(subject) | placeholders_used(body)) - PLACEHOLDERS.keys()
    if unknown:
        raise ValueError(f"Unknown placeholders: {sorted(unknown)}")
    return (
        one_line(render_text(subject, values, language)),
        tidy_body(render_text(body, values, language)),
    )


def render_email(key: str, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Subject and body of template `key` in `language`, from the admins' wording if there
    is one, else the shipped default.

    Only the known placeholders reach the template. A custom text that no longer renders
    (it was checked when saved, but Django or the placeholders may have changed since)
    must not stop an email: the shipped default is used and a warning logged.
    """
    language = email_language(language)
    values = {name: value for name, value in context.items() if name in PLACEHOLDERS}
    custom = EmailTemplate.objects.filter(key=key, language=language).first()
    if custom is not None:
        try:
            return _render(Text(custom.subject, custom.body), values, language)
        # Whatever went wrong inside an admin's text, the shipped one still goes out.
        except Exception:
            logger.warning(
                "Email template %s (%s) does not render; sending the shipped text instead.",
                key,
                language,
                exc_info=True,
            )
    return _render(get_template(key).texts[language], values, language)


def sample_context(language: str) -> dict[str, Any]:
    """Made-up values for the editor's preview."""
    today = timezone.localdate()
    with translation.override(language):
        notice = _("[Here follows the privacy information under Art. 14 GDPR.]")
    first, last = ("Lena", "Vogel") if language == Language.DE else ("Jamie", "Taylor")
    return {
        "first_name": first,
        "last_name": last,
        "company": company_name(language),
        "consent_url": f"{settings.SITE_URL}/privacy/consent/example/",
        "deadline": today + datetime.timedelta(days=get_policy().consent_deadline_days),
        "valid_until": add_months(today, get_policy().consent_validity_months),
        "notice": notice,
        "privacy_url": f"{settings.SITE_URL}/privacy/example/",
        "form_title": "Talent-Pool" if language == Language.DE else "Talent pool",
        "form_url": f"{settings.SITE_URL}/f/example/",
        "talent_url": f"{settings.SITE_URL}/talents/1/",
        "new_talent": True,
    }


def preview_email(key: str, subject: str, body: str, language: str) -> tuple[str, str]:
    """Email `key` as its recipient would get it, with sample values; raises
    ValidationError like `check_template`."""
    check_template(key, subject, body)
    values = sample_context(language)
    subject, body = _render(Text(subject, body), values, language)
    if not get_template(key).to_talent:
        return subject, body
    return subject, privacy_footer(body, values["privacy_url"], language)


def check_template(key: str, subject: str, body: str) -> None:
    """Raise ValidationError, per field, for a text of template `key` that would not
    render: a syntax error, a tag other than `if`/`firstof`/`comment`, or a placeholder its
    sender does not fill in."""
    available = get_template(key).placeholders
    errors: dict[str, str] = {}
    known = ", ".join(available)
    for field, source in (("subject", subject), ("body", body)):
        try:
            template = compile_text(source)
        except TemplateSyntaxError as exc:
            errors[field] = _("This text has an error: %(error)s") % {"error": exc}
            continue
        used = placeholders_used(template)
        unknown = sorted(used - PLACEHOLDERS.keys())
        elsewhere = sorted(used & PLACEHOLDERS.keys() - set(available))
        if unknown:
            errors[field] = ngettext(
                "Unknown placeholder: %(names)s. You can use: %(known)s.",
                "Unknown placeholders: %(names)s. You can use: %(known)s.",
                len(unknown),
            ) % {"names": ", ".join(unknown), "known": known}
        elif elsewhere:
            errors[field] = ngettext(
                "%(names)s is not filled in for this email, only for others. You can use: "
                "%(known)s.",
                "%(names)s are not filled in for this email, only for others. You can use: "
                "%(known)s.",
                len(elsewhere),
            ) % {"names": ", ".join(elsewhere), "known": known}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_template(
    key: str, language: str, *, subject: str, body: str, actor: User | None
) -> EmailTemplate:
    """Store the admins' wording of a template; raises ValidationError if it would not
    render."""
    check_template(key, subject, body)
    custom, _created = EmailTemplate.objects.update_or_create(
        key=key,
        language=email_language(language),
        defaults={"subject": subject.strip(), "body": body.strip(), "updated_by": actor},
    )
    return custom


def reset_template(key: str, language: str) -> bool:
    """Go back to the shipped text; False if it was in use already."""
    deleted, _counts = EmailTemplate.objects.filter(key=key, language=language).delete()
    return deleted > 0
