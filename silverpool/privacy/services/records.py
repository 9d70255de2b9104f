"""The records of processing activities (Art. 30 GDPR), generated from the configuration:
the policy, the purposes and their current texts, the talent fields, the mail server and
the security settings. Shown as a page and downloaded as Markdown or JSON, in German or
English, so that what the controller files always matches what Silverpool does."""

import datetime
import json
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...talents.models import CustomField, Talent
from ..models import Policy, Purpose, Suppression, Weekday
from .policy import LANGUAGES, get_policy
from .settings import latest_texts

# The talent fields that hold personal data, in the order of the profile.
TALENT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "city",
    "country",
    "job_title",
    "skills",
    "linkedin_url",
    "profile_urls",
    "salary_amount",
    "available_from",
    "source_kind",
    "source_label",
)


@dataclass(frozen=True)
class Entry:
    label: str
    value: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Records:
    language: str
    generated_on: datetime.date
    title: str
    sections: tuple[Section, ...]


def build_records(language: str, *, today: datetime.date | None = None) -> Records:
    """The records of processing in `language` ("de" or "en")."""
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language: {language}")
    policy = get_policy()
    with translation.override(language):
        sections = (
            _controller(policy),
            _purposes(language),
            _legal_bases(policy),
            _data_subjects(),
            _data_categories(),
            _recipients(),
            _retention(policy),
            _suppression(),
            _measures(),
        )
        return Records(
            language=language,
            generated_on=today or timezone.localdate(),
            title=_("Records of processing activities (Art. 30 GDPR): talent pool"),
            sections=sections,
        )


def _or_unset(value: str) -> str:
    return value.strip() or _("(not set: enter it in the privacy settings)")


def _controller(policy: Policy) -> Section:
    return Section(
        "controller",
        _("Controller"),
        (
            Entry(_("Name"), _or_unset(policy.controller_name)),
            Entry(_("Address and contact"), _or_unset(policy.controller_contact)),
            Entry(_("Data protection officer"), _or_unset(policy.dpo_contact)),
        ),
    )


def _purposes(language: str) -> Section:
    entries = [
        Entry(
            _("Recruiting"),
            _(
                "Keeping a pool of candidates and potential candidates and contacting them "
                "about suitable job openings."
            ),
        )
    ]
    for purpose in Purpose.objects.all():
        details = []
        for text_language, text in latest_texts(purpose).items():
            if text is None:
                continue
            details.append(
                _(
                    "Consent text %(language)s, version %(version)d of %(date)s "
                    "(SHA-256 %(hash)s): %(text)s"
                )
                % {
                    "language": text_language.upper(),
                    "version": text.version,
                    "date": text.created_at.date().isoformat(),
                    "hash": text.sha256,
                    "text": text.text,
                }
            )
        entries.append(Entry(f"{purpose.name(language)} ({purpose.key})", "", tuple(details)))
    return Section("purposes", _("Purposes of processing"), tuple(entries))


def _legal_bases(policy: Policy) -> Section:
    return Section(
        "legal_bases",
        _("Legal bases"),
        (
            Entry(
                _("Consent"),
                _("Art. 6(1)(a), Art. 7 GDPR"),
                (
                    _(
                        "Talent pool and email campaigns, per purpose; each decision is kept "
                        "as proof with the text version the talent saw."
                    ),
                ),
            ),
            Entry(
                _("Application hold"),
                _("Art. 6(1)(b) and (f), Art. 17(3)(e) GDPR; § 15(4) AGG"),
                (
                    _(
                        "Rejected applicants are kept for %(months)d months to defend claims "
                        "under the General Equal Treatment Act (AGG)."
                    )
                    % {"months": policy.hold_months},
                ),
            ),
            Entry(
                _("Awaiting consent"),
                _("Art. 6(1)(f) GDPR, informed under Art. 14 GDPR"),
                (
                    _(
                        "Talents not collected from themselves are kept for %(days)d days "
                        "while their consent is asked for, then deleted."
                    )
                    % {"days": policy.consent_deadline_days},
                ),
            ),
            Entry(
                _("Legal hold"),
                _("Art. 17(3)(e), Art. 18 GDPR"),
                (_("Blocks deletion; needs a reason and an end date."),),
            ),
        ),
    )


def _data_subjects() -> Section:
    return Section(
        "data_subjects",
        _("Categories of data subjects"),
        (
            Entry(
                _("Talents"),
                _("Candidates and potential candidates"),
                tuple(
                    _("Source: %(source)s") % {"source": label}
                    for label in Talent.SourceKind.labels
                ),
            ),
            Entry(_("Users"), _("Employees of the controller who use Silverpool")),
        ),
    )


def _field_label(name: str) -> str:
    return str(Talent._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _data_categories() -> Section:
    custom = tuple(
        field.label_de if translation.get_language() == "de" else field.label_en
        for field in CustomField.objects.all()
    )
    return Section(
        "data_categories",
        _("Categories of personal data"),
        (
            Entry(_("Profile"), ", ".join(_field_label(name) for name in TALENT_FIELDS)),
            Entry(_("Custom fields"), ", ".join(custom) or _("none")),
            Entry(_("Documents"), _("CVs and other files uploaded to a profile, with their text")),
            Entry(_("Notes and timeline"), _("Recruiters' notes; the history of each profile")),
            Entry(_("Emails"), _("Emails sent to talents and their delivery status")),
            Entry(
                _("Consent proof"),
                _("Decisions, text versions, date and time, IP address and browser (user agent)"),
            ),
            Entry(
                _("Special categories (Art. 9 GDPR)"),
                _("Not asked for; free text and documents may contain them."),
            ),
        ),
    )


def _mailer() -> dict[str, Any]:
    mailer: dict[str, Any] = settings.MAILERS["default"]
    return mailer


def _recipients() -> Section:
    mail = _mailer()
    options = mail.get("OPTIONS", {})
    backend = str(mail.get("BACKEND", ""))
    if backend.endswith("smtp.EmailBackend"):
        email = Entry(
            _("Email delivery (SMTP server)"),
            f"{options.get('host', '')}:{options.get('port', '')}",
            (_mail_encryption(options),),
        )
    else:
        email = Entry(_("Email delivery"), backend)
    return Section(
        "recipients",
        _("Recipients and processors"),
        (
            email,
            Entry(_("Applicant tracking system (ATS)"), _("none connected")),
            Entry(
                _("Transfers to third countries"),
                _("None by Silverpool itself; check where the providers above process data."),
            ),
        ),
    )


def _mail_encryption(options: dict[str, Any]) -> str:
    if options.get("use_ssl"):
        return _("Encrypted in transit (SSL/TLS)")
    if options.get("use_tls"):
        return _("Encrypted in transit (STARTTLS)")
    return _("Not encrypted in transit: set EMAIL_USE_TLS or EMAIL_USE_SSL")


def _retention(policy: Policy) -> Section:
    reminders = ", ".join(str(day) for day in policy.reminder_days) or _("none")
    return Section(
        "retention",
        _("Retention periods"),
        (
            Entry(
                _("GDPR function"),
                _("on") if policy.enabled else _("off: nothing is deleted automatically"),
            ),
            Entry(
                _("Without consent"),
                ngettext(
                    "deleted %(count)d day after coming in",
                    "deleted %(count)d days after coming in",
                    policy.consent_deadline_days,
                )
                % {"count": policy.consent_deadline_days},
                (_("Reminders, days before the deadline: %(days)s") % {"days": reminders},),
            ),
            Entry(
                _("With consent"),
                ngettext(
                    "consent is valid for %(count)d month",
                    "consent is valid for %(count)d months",
                    policy.consent_validity_months,
                )
                % {"count": policy.consent_validity_months},
                (
                    _("Renewal asked for %(days)d days before it ends")
                    % {"days": policy.renewal_notice_days},
                ),
            ),
            Entry(
                _("Rejected applicants"),
                ngettext(
                    "kept for %(count)d month", "kept for %(count)d months", policy.hold_months
                )
                % {"count": policy.hold_months},
            ),
            Entry(_("At the end"), str(Policy.EndAction(policy.end_action).label)),
            Entry(
                _("Weekly consent requests"),
                f"{Weekday(policy.batch_weekday).label}, {time_format(policy.batch_time)}",
            ),
        ),
    )


def _suppression() -> Section:
    counts = dict(
        Suppression.objects.values_list("reason").annotate(n=Count("pk")).order_by("reason")
    )
    details = tuple(
        f"{Suppression.Reason(reason).label}: {count}" for reason, count in sorted(counts.items())
    )
    return Section(
        "suppression",
        _("Suppression list"),
        (
            Entry(
                _("Hashed email addresses (SHA-256)"),
                _(
                    "Of people who withdrew, objected, unsubscribed or were erased, so that no "
                    "import, form or ATS brings them back into campaigns. No address is stored."
                ),
                (_("Entries: %(count)d") % {"count": sum(counts.values())}, *details),
            ),
        ),
    )


def _https() -> str:
    if settings.SECURE_SSL_REDIRECT or settings.SECURE_HSTS_SECONDS:
        return _("HTTPS enforced by the application (redirect, HSTS)")
    if settings.SESSION_COOKIE_SECURE:
        return _("HTTPS expected (secure cookies); TLS ends at the reverse proxy")
    return _("Not enforced by the application: serve it only behind HTTPS")


def _measures() -> Section:
    roles = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by("role")
    )
    mail_options = _mailer().get("OPTIONS", {})
    return Section(
        "measures",
        _("Technical and organisational measures"),
        (
            Entry(
                _("Roles"),
                _("Admins %(admins)d, recruiters %(recruiters)d, viewers (read-only) %(viewers)d")
                % {
                    "admins": roles.get(User.Role.ADMIN, 0),
                    "recruiters": roles.get(User.Role.RECRUITER, 0),
                    "viewers": roles.get(User.Role.VIEWER, 0),
                },
                (_("Private pools hide their talents from everyone but their members."),),
            ),
            Entry(
                _("Audit log"),
                _("Who viewed, exported, changed or deleted personal data, and when"),
            ),
            Entry(
                _("Stored secrets"),
                _(
                    "Passwords and API tokens are stored hashed; links in emails are signed "
                    "and expire or can be revoked."
                ),
            ),
            Entry(
                _("Encryption in transit"),
                _https(),
                (_("Email: %(mail)s") % {"mail": _mail_encryption(mail_options)},),
            ),
            Entry(
                _("Deletion"),
                _(
                    "A daily job deletes or anonymises per the retention periods above and "
                    "logs it without personal data."
                ),
            ),
        ),
    )


def records_json(records: Records) -> str:
    data = asdict(records)
    data["generated_on"] = records.generated_on.isoformat()
    return json.dumps(data, ensure_ascii=False, indent=2)


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def records_markdown(records: Records) -> str:
    with translation.override(records.language):
        lines = [
            f"# {records.title}",
            "",
            _("Generated on %(date)s from Silverpool's configuration.")
            % {"date": records.generated_on.isoformat()},
        ]
    for section in records.sections:
        lines += ["", f"## {section.title}", ""]
        for entry in section.entries:
            value = f": {_indent(entry.value)}" if entry.value else ""
            lines.append(f"- **{entry.label}**{value}")
            lines += [f"  - {_indent(detail)}" for detail in entry.details]
    return "\n".join(lines) + "\n"
