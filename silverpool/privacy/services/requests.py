"""Asking a talent for consent by email, and the talent's answer on the consent page.

A request is one email with one signed link (`links.consent_url`). It can be answered
once, until it expires; a later request (a reminder, say) answered first settles the
earlier ones too. The scheduled batch, reminders and renewals are in `schedule.py`.

`queue_email` comes from its module, not from `outreach.services`: that package imports
this app's services, so importing the package from here could find it half-loaded.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Collection, Iterable
from enum import StrEnum

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ...accounts.models import User
from ...outreach.models import OutboundEmail
from ...outreach.services.outbox import queue_email
from ...talents.models import Event, Talent
from ...talents.services.events import record_event
from ..links import consent_url
from ..models import ConsentRecord, ConsentRequest, LegalBasis
from .basis import ConsentGrant, basis_of, is_suppressed, record_consent
from .batches import talents_by_id
from .export import TALENT_LABEL
from .language import mail_language
from .notice import needs_notice, note_notice_sent, notice_text
from .policy import current_texts, get_policy

logger = logging.getLogger(__name__)
Kind = ConsentRequest.Kind
State = LegalBasis.State
REQUEST_DAYS = 14
# A renewal link works until the consent ends, but never for less than this.
RENEWAL_MIN_DAYS = 7
# A second click on "Ask for consent" must not send a second email.
ASKED_RECENTLY = datetime.timedelta(hours=24)
# Asking takes about 10 ms a talent: a selection up to this size is asked while the page
# waits, a larger one by a background task.
ASK_AT_ONCE_MAX = 100
TEMPLATES = {
    Kind.CONSENT: "consent_request",
    Kind.REMINDER: "consent_reminder",
    Kind.RENEWAL: "consent_renewal",
}


class ConsentRequestRefused(ValueError):
    """Why no consent request can go to a talent, in words for the recruiter; `code`
    names the reason for counts (bulk requests, the scheduled jobs)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal(
    talent: Talent, basis: LegalBasis, kind: Kind, *, now: datetime.datetime
) -> ConsentRequestRefused | None:
    """The reason a request of `kind` cannot go to `talent` now, or None."""
    name = talent.full_name
    if not get_policy().enabled:
        return ConsentRequestRefused(
            "disabled", _("The GDPR function is off: no consent requests are sent.")
        )
    if talent.merged_into_id is not None:
        return ConsentRequestRefused("gone", _("This talent no longer exists on its own."))
    if not talent.email:
        return ConsentRequestRefused(
            "no_email", _("%(name)s has no email address to ask.") % {"name": name}
        )
    if is_suppressed(talent.email):
        return ConsentRequestRefused(
            "suppressed",
            _(
                "The email address of %(name)s is on the suppression list (consent withdrawn "
                "or data erased). Only the person can lift that, by giving consent themself."
            )
            % {"name": name},
        )
    if kind == Kind.RENEWAL and basis.state != State.CONSENT_VALID:
        return ConsentRequestRefused(
            "nothing_to_renew", _("%(name)s has no valid consent to renew.") % {"name": name}
        )
    if kind != Kind.RENEWAL and basis.state == State.CONSENT_VALID:
        until = basis.consent_valid_until
        return ConsentRequestRefused(
            "already_valid",
            _(
                "The consent of %(name)s is valid until %(date)s; the renewal request goes "
                "out before it ends."
            )
            % {"name": name, "date": date_format(until) if until else ""},
        )
    if kind != Kind.RENEWAL and basis.state in (State.DECLINED, State.WITHDRAWN):
        return ConsentRequestRefused(
            "declined",
            _("%(name)s declined or withdrew consent and is not asked again.") % {"name": name},
        )
    if basis.asked_at is not None and now - basis.asked_at < ASKED_RECENTLY:
        return ConsentRequestRefused(
            "asked_recently",
            _("%(name)s was asked less than a day ago.") % {"name": name},
        )
    return None


def _expiry(kind: Kind, basis: LegalBasis, now: datetime.datetime) -> datetime.datetime:
    if kind != Kind.RENEWAL or basis.consent_valid_until is None:
        return now + datetime.timedelta(days=REQUEST_DAYS)
    # The consent ends with its last day, local time.
    ends = datetime.datetime.combine(
        basis.consent_valid_until + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return max(ends, now + datetime.timedelta(days=RENEWAL_MIN_DAYS))


@transaction.atomic
def request_consent(
    talent: Talent, *, actor: User | None, kind: Kind = Kind.CONSENT, actor_label: str = ""
) -> ConsentRequest:
    """Email `talent` a link to the consent page, in the talent's language (see
    `language.py`). The first email to a talent who did not give us their data themself
    carries the information notice of Art. 14 GDPR.

    Raises ConsentRequestRefused (a ValueError) with a message for the user.
    """
    basis = basis_of(talent)
    talent = basis.talent
    now = timezone.now()
    refused = refusal(talent, basis, kind, now=now)
    if refused is not None:
        raise refused
    language = mail_language(talent, actor=actor)
    request = ConsentRequest.objects.create(
        talent=talent,
        kind=kind,
        language=language,
        asked_by=actor,
        expires_at=_expiry(kind, basis, now),
    )
    notice = notice_text(talent, language) if needs_notice(basis) else ""
    email = queue_email(
        template=TEMPLATES[kind],
        language=language,
        context={
            "consent_url": consent_url(request),
            # Dates: the outbox writes them the way the email's language does.
            "deadline": None if kind == Kind.RENEWAL else basis.due_on,
            "valid_until": basis.consent_valid_until if kind == Kind.RENEWAL else None,
            "notice": notice,
        },
        talent=talent,
        idempotency_key=f"consent-request:{request.pk}",
        actor=actor,
        kind=OutboundEmail.Kind.PRIVACY,
    )
    basis.asked_at = now
    fields = ["asked_at", "updated_at"]
    if kind == Kind.RENEWAL:
        basis.renewal_asked_at = now
        fields.append("renewal_asked_at")
    basis.save(update_fields=fields)
    record_event(
        talent,
        Event.Kind.CONSENT_REQUESTED,
        actor=actor,
        actor_label=actor_label,
        request_id=request.pk,
        request_kind=kind,
        language=language,
    )
    if notice:
        note_notice_sent(basis, email=email, actor=actor, actor_label=actor_label)
    return request


# States in which asking again can still save the talent: a first or new consent, or
# the renewal of one about to end. Who declined or withdrew is not asked again.
ASKABLE_STATES = {
    LegalBasis.State.AWAITING_CONSENT,
    LegalBasis.State.APPLICATION_HOLD,
    LegalBasis.State.CONSENT_EXPIRED,
    LegalBasis.State.CONSENT_VALID,
}


def ask_again(talent: Talent, *, actor: User) -> ConsentRequest:
    """From the upcoming deletions: a renewal request for a valid consent about to end,
    otherwise a consent request. Raises ConsentRequestRefused."""
    basis = LegalBasis.objects.get(talent=talent)
    renewal = basis.state == LegalBasis.State.CONSENT_VALID
    return request_consent(talent, actor=actor, kind=Kind.RENEWAL if renewal else Kind.CONSENT)


def bulk_request_consent(talents: Iterable[Talent], *, actor: User) -> dict[str, int]:
    """Ask each of `talents`; counts per outcome: "sent", or the code of the refusal.
    Each request is its own transaction: one refusal stops nobody else's email."""
    counts: Counter[str] = Counter()
    for talent in talents:
        try:
            request_consent(talent, actor=actor)
        except ConsentRequestRefused as refused:
            counts[refused.code] += 1
        else:
            counts["sent"] += 1
    return dict(counts)


def ask_selection(talents: QuerySet[Talent], *, actor: User) -> str:
    """The talent list's bulk "Ask for consent", and what to tell the user: a small
    selection is asked at once; a larger one by a background task once the transaction
    commits, so that thousands of talents do not hold the page for minutes."""
    ids = list(talents.order_by("pk").values_list("pk", flat=True))
    if len(ids) <= ASK_AT_ONCE_MAX:
        return describe_outcome(bulk_request_consent(talents_by_id(ids), actor=actor))
    # Imported here: the tasks module imports these services.
    from ..tasks import ask_for_consent

    transaction.on_commit(lambda: ask_for_consent.enqueue(ids, actor.pk))
    return ngettext(
        "Consent requests are being sent to %(count)s talent. Anyone who cannot be asked "
        "(no email address, consent already valid, …) is skipped.",
        "Consent requests are being sent to %(count)s talents. Anyone who cannot be asked "
        "(no email address, consent already valid, …) is skipped.",
        len(ids),
    ) % {"count": number_format(len(ids), force_grouping=True)}


def ask_in_background(talent_ids: list[int], *, actor: User) -> dict[str, int]:
    """The background part of `ask_selection`. Safe to run twice: who was asked less than
    a day ago is not asked again."""
    counts = bulk_request_consent(talents_by_id(talent_ids), actor=actor)
    logger.info("bulk_consent_request actor=%s counts=%s", actor.pk, counts)
    return counts


SKIPPED = {
    "disabled": gettext_lazy("GDPR function off"),
    "gone": gettext_lazy("merged into another talent"),
    "no_email": gettext_lazy("no email address"),
    "suppressed": gettext_lazy("on the suppression list"),
    "nothing_to_renew": gettext_lazy("no consent to renew"),
    "already_valid": gettext_lazy("consent already valid"),
    "declined": gettext_lazy("declined or withdrew"),
    "asked_recently": gettext_lazy("asked less than a day ago"),
}


def describe_outcome(counts: dict[str, int]) -> str:
    """What a bulk request did, for the message after it: how many were asked, and why
    the others were not."""
    sent = counts.get("sent", 0)
    text = ngettext(
        "Consent requested from %(count)d talent.",
        "Consent requested from %(count)d talents.",
        sent,
    ) % {"count": sent}
    skipped = {code: n for code, n in sorted(counts.items()) if code != "sent"}
    if skipped:
        reasons = ", ".join(f"{SKIPPED.get(code, code)}: {n}" for code, n in skipped.items())
        total = sum(skipped.values())
        text += " " + ngettext(
            "%(count)d not asked (%(reasons)s).", "%(count)d not asked (%(reasons)s).", total
        ) % {"count": total, "reasons": reasons}
    return text


# --- the answer on the consent page --------------------------------------------------------


class RequestState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    # The link names no request: tampered with, or the talent was erased or anonymised.
    GONE = "gone"


def request_state(request: ConsentRequest, *, now: datetime.datetime) -> RequestState:
    """What the consent page shows for this request's link."""
    settled = ConsentRequest.objects.filter(
        talent_id=request.talent_id, answered_at__gte=request.created_at
    ).exists()
    if request.answered_at is not None or settled:
        return RequestState.ANSWERED
    if request.expires_at <= now:
        return RequestState.EXPIRED
    return RequestState.OPEN


class Answer(StrEnum):
    SAVED = "saved"
    # The texts changed while the page was open: the talent must see the new ones first.
    TEXTS_CHANGED = "texts_changed"
    NOT_OPEN = "not_open"


@transaction.atomic
def answer_consent_request(
    request: ConsentRequest,
    *,
    given: Collection[str],
    language: str,
    shown_texts: Collection[int],
    ip_address: str | None,
    user_agent: str,
) -> Answer:
    """Record the talent's choice on the consent page: each purpose shown is given if
    ticked, else declined. Works once per request; a second submit changes nothing."""
    request = ConsentRequest.objects.select_for_update().select_related("talent").get(pk=request.pk)
    if request_state(request, now=timezone.now()) != RequestState.OPEN:
        return Answer.NOT_OPEN
    texts = current_texts(language)
    if {text.pk for text in texts.values()} != set(shown_texts):
        return Answer.TEXTS_CHANGED
    record_consent(
        request.talent,
        ConsentGrant(
            method=ConsentRecord.Method.CONSENT_PAGE,
            language=language,
            given=sorted(set(given) & texts.keys()),
            declined=sorted(texts.keys() - set(given)),
            ip_address=ip_address,
            user_agent=user_agent,
            asked_by=request.asked_by,
            request=request,
        ),
        actor=None,
        actor_label=TALENT_LABEL,
    )
    return Answer.SAVED
