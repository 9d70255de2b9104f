"""The information notice of Art. 14 GDPR for talents whose data was not collected from
themselves (imports, the ATS, recruiters' entries): its text in German or English, built
from the policy, and the standalone email for talents not written to within a month.

The first consent request to such a talent carries the same text (see `requests.py`), so
most talents never get the standalone email.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...outreach.models import OutboundEmail
from ...outreach.services.outbox import queue_email
from ...talents.models import Event, Talent
from ...talents.services.events import record_event
from ..models import LegalBasis, Policy, Purpose
from .basis import SYSTEM, basis_of
from .batches import talents_by_id
from .language import mail_language
from .policy import get_policy

logger = logging.getLogger(__name__)


def _source(talent: Talent) -> str:
    sources = {
        Talent.SourceKind.MANUAL: _("entered by our recruiting team"),
        Talent.SourceKind.IMPORT: _("imported by our recruiting team from a list"),
        Talent.SourceKind.ATS: _("taken over from our applicant tracking system"),
        Talent.SourceKind.API: _("transferred from another of our systems"),
        Talent.SourceKind.FORM: _("a form you filled in"),
    }
    source = sources.get(Talent.SourceKind(talent.source_kind), talent.source_kind)
    if talent.source_label:
        return _("%(source)s (source: %(label)s)") % {
            "source": source,
            "label": talent.source_label,
        }
    return source


def _storage(policy: Policy, basis: LegalBasis) -> str:
    keep = ngettext(
        "If you do not consent, we delete your data %(count)d day after we received it.",
        "If you do not consent, we delete your data %(count)d days after we received it.",
        policy.consent_deadline_days,
    ) % {"count": policy.consent_deadline_days}
    if basis.state == LegalBasis.State.APPLICATION_HOLD:
        keep = ngettext(
            "As your application was not successful, we keep your data for %(count)d month "
            "to be able to answer legal claims, then delete it unless you consent.",
            "As your application was not successful, we keep your data for %(count)d months "
            "to be able to answer legal claims, then delete it unless you consent.",
            policy.hold_months,
        ) % {"count": policy.hold_months}
    consent = ngettext(
        "With your consent we keep it for %(count)d month and ask you before that ends.",
        "With your consent we keep it for %(count)d months and ask you before that ends.",
        policy.consent_validity_months,
    ) % {"count": policy.consent_validity_months}
    return f"{keep} {consent}"


def notice_text(talent: Talent, language: str) -> str:
    """The notice in `language` ("de" or "en"), as a plain-text block for an email."""
    policy = get_policy()
    basis = LegalBasis.objects.get(talent=talent)
    with translation.override(language):
        controller = policy.controller_name.strip() or _("the company that sent you this email")
        contact = policy.controller_contact.strip().replace("\n", ", ")
        purposes = "; ".join(p.name(language) for p in Purpose.objects.all())
        if basis.state == LegalBasis.State.APPLICATION_HOLD:
            legal_basis = _(
                "Our legitimate interest in defending legal claims after an application "
                "(Art. 6(1)(f), Art. 17(3)(e) GDPR; § 15(4) AGG); after that only your "
                "consent (Art. 6(1)(a) GDPR)."
            )
        else:
            legal_basis = _(
                "Until you decide, our legitimate interest in filling positions with suitable "
                "people (Art. 6(1)(f) GDPR); after that only your consent (Art. 6(1)(a) GDPR)."
            )
        paragraphs = [
            _("Information about your personal data (Art. 14 GDPR)"),
            _("Controller: %(controller)s") % {"controller": controller}
            + (f", {contact}" if contact else ""),
            _("Data protection officer: %(dpo)s") % {"dpo": policy.dpo_contact.strip()}
            if policy.dpo_contact.strip()
            else "",
            _("Where your data comes from: %(source)s") % {"source": _source(talent)},
            _(
                "What we hold: your name and contact details, your professional profile (job "
                "title, skills, profile links, salary expectation, availability), documents "
                "such as your CV, and our notes on contacts with you."
            ),
            _("Why: to consider you for suitable job openings. With your consent: %(purposes)s.")
            % {"purposes": purposes},
            _("Legal basis: %(basis)s") % {"basis": legal_basis},
            _(
                "Who sees it: only our recruiting team, and service providers who run our "
                "systems on our behalf and under our instructions."
            ),
            _("How long: %(storage)s") % {"storage": _storage(policy, basis)},
            _(
                "Your rights: you can ask for access to your data (Art. 15 GDPR), its "
                "correction (Art. 16), its erasure (Art. 17), restricted processing (Art. 18) "
                "and a copy to take elsewhere (Art. 20); you can object to the processing "
                "(Art. 21) and withdraw a consent at any time with effect for the future "
                "(Art. 7(3)). You also have the right to lodge a complaint with a data "
                "protection supervisory authority (Art. 77 GDPR), in particular in the EU "
                "country where you live or work."
            ),
            _(
                "The link to your privacy page at the end of this email shows your data and "
                "lets you use these rights without an account."
            ),
        ]
    return "\n\n".join(p for p in paragraphs if p)


def needs_notice(basis: LegalBasis) -> bool:
    """Whether the talent is still owed the notice (data not collected from themself)."""
    return basis.notice_due_on is not None and basis.notice_sent_at is None


def note_notice_sent(
    basis: LegalBasis, *, email: OutboundEmail, actor: User | None, actor_label: str = ""
) -> None:
    """Mark the notice as given with `email`, which carries it, on the talent's timeline."""
    basis.notice_sent_at = timezone.now()
    basis.save(update_fields=["notice_sent_at", "updated_at"])
    record_event(
        basis.talent,
        Event.Kind.PRIVACY_NOTICE_SENT,
        actor=actor,
        actor_label=actor_label,
        email_id=email.pk,
        template=email.template,
        language=email.language,
    )


@transaction.atomic
def send_privacy_notice(talent: Talent) -> OutboundEmail | None:
    """The notice on its own, for a talent not written to within a month; None when it
    is no longer owed (sent meanwhile, no email address)."""
    basis = basis_of(talent)
    talent = basis.talent
    if not needs_notice(basis) or not talent.email:
        return None
    language = mail_language(talent)
    email = queue_email(
        template="privacy_notice",
        language=language,
        context={"notice": notice_text(talent, language)},
        talent=talent,
        idempotency_key=f"privacy-notice:{talent.pk}",
        actor=None,
        kind=OutboundEmail.Kind.PRIVACY,
    )
    note_notice_sent(basis, email=email, actor=None, actor_label=SYSTEM)
    return email


def send_due_notices(today: datetime.date) -> int:
    """The daily job: the notice to every talent whose month has passed without an email
    carrying it. Each talent is its own transaction, so one failure stops nobody else's."""
    if not get_policy().enabled:
        return 0
    due = (
        Talent.objects.filter(
            legal_basis__notice_due_on__lte=today,
            legal_basis__notice_sent_at__isnull=True,
            merged_into__isnull=True,
        )
        .exclude(email="")
        .order_by("legal_basis__notice_due_on", "pk")
    )
    sent = 0
    for talent in talents_by_id(list(due.values_list("pk", flat=True))):
        try:
            sent += send_privacy_notice(talent) is not None
        except Exception:
            logger.exception("privacy_notice_failed talent=%s", talent.pk)
    return sent
