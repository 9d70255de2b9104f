"""Follow-up requests: emailing talents the personal link to a follow-up form (one talent
from the profile, a selection from the talent list, or a rule of the automation app once
it exists), and the form activity the talent's profile shows.

The email and its timeline entry are `submit.send_form_link`. What this module adds is who
may get one: an active follow-up form, a talent the actor may see, whom we may email about
the talent pool (privacy.may_email: not suppressed, and with consent while the GDPR function
is on); and a key per send, so that a double click sends one email while a
deliberate second send (a new key, from a freshly rendered page) sends another. A
selection leaves out whoever got the same form less than RESEND_AFTER ago: sending a large
selection again because its background run is not visible must not email everyone twice.

A rule would call `send_follow_up(form, talent, actor=None, key=f"rule:…")` with a key
derived from the rule and the event that triggered it; `actor=None` is the system, which
sees every talent.
"""

import datetime
import logging
import secrets
from collections import Counter
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ...accounts.models import User
from ...outreach.models import OutboundEmail
from ...privacy import services as privacy
from ...privacy.models import Purpose
from ...privacy.services.batches import talents_by_id
from ...talents.models import Event, Talent
from ..models import Form, Submission
from .submit import send_form_link

logger = logging.getLogger(__name__)
# Sending takes a few queries and a rendered email per talent: a selection up to this
# size is sent while the page waits, a larger one by a background task.
SEND_AT_ONCE_MAX = 100
# Outbox keys are at most 200 characters; the form and talent ids take the rest.
MAX_KEY_LENGTH = 120
RESEND_AFTER = datetime.timedelta(days=1)


class FollowUpRefused(ValueError):
    """Why a follow-up form cannot go to a talent, in words for the recruiter; `code`
    names the reason for the counts of a bulk send."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def follow_up_forms() -> QuerySet[Form]:
    """The forms a recruiter may send to talents."""
    return Form.objects.filter(kind=Form.Kind.FOLLOW_UP, is_active=True)


def new_send_key() -> str:
    """A key for one rendering of a page's "Send follow-up form": the page's double click
    reuses it, the next rendering gets a new one."""
    return secrets.token_urlsafe(12)


def form_refusal(form: Form) -> FollowUpRefused | None:
    """Why `form` cannot be sent to anyone, or None."""
    if form.kind != Form.Kind.FOLLOW_UP or not form.is_active:
        return FollowUpRefused(
            "form_inactive",
            _("“%(form)s” is not an active follow-up form.") % {"form": form.title},
        )
    return None


def talent_refusal(talent: Talent) -> FollowUpRefused | None:
    """Why no follow-up form can go to `talent`, whichever form it is; or None."""
    name = talent.full_name
    if not talent.email:
        return FollowUpRefused(
            "no_email", _("%(name)s has no email address to send the form to.") % {"name": name}
        )
    if privacy.is_suppressed(talent.email):
        return FollowUpRefused(
            "suppressed",
            _(
                "The email address of %(name)s is on the suppression list (consent withdrawn "
                "or data erased): no form is sent."
            )
            % {"name": name},
        )
    if not privacy.may_email(talent, Purpose.TALENT_POOL):
        return FollowUpRefused(
            "no_consent",
            _(
                "%(name)s has not consented to be contacted about the talent pool: ask for "
                "consent first."
            )
            % {"name": name},
        )
    return None


def _visible(actor: User | None) -> QuerySet[Talent]:
    if actor is None:
        return Talent.objects.filter(merged_into__isnull=True)
    return Talent.objects.visible_to(actor)


def send_follow_up(form: Form, talent: Talent, *, actor: User | None, key: str) -> bool:
    """Email `talent` the link to follow-up form `form`, once per `key` (at most
    MAX_KEY_LENGTH characters). Returns False when this key was used before: nothing new
    was sent. Raises FollowUpRefused with a message for the user."""
    if not _visible(actor).filter(pk=talent.pk).exists():
        raise FollowUpRefused("not_visible", _("This talent no longer exists."))
    return _send(form, talent, actor=actor, key=key)


@transaction.atomic
def _send(
    form: Form,
    talent: Talent,
    *,
    actor: User | None,
    key: str,
    unless_sent_since: datetime.datetime | None = None,
) -> bool:
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError("The key of a follow-up request is too long.")
    refused = form_refusal(form) or talent_refusal(talent)
    if refused is not None:
        raise refused
    # The lock makes the second of a double click (or of two batches) wait and then find
    # the first email.
    Talent.objects.select_for_update().filter(pk=talent.pk).exists()
    key = f"follow-up:{form.pk}:{talent.pk}:{key}"
    if unless_sent_since is not None and _link_sent_since(form, talent, unless_sent_since):
        # A second run of the same batch found its own email: that is no refusal.
        if OutboundEmail.objects.filter(idempotency_key=key).exists():
            return False
        raise FollowUpRefused(
            "sent_recently",
            _("%(name)s got this form less than a day ago.") % {"name": talent.full_name},
        )
    return send_form_link(form, talent, key=key, actor=actor)


def _link_sent_since(form: Form, talent: Talent, since: datetime.datetime) -> bool:
    return talent.events.filter(
        kind=Event.Kind.FORM_LINK_SENT, created_at__gte=since, data__form_id=form.pk
    ).exists()


def bulk_send_follow_up(
    form: Form, talent_ids: Sequence[int], *, actor: User | None, batch_key: str
) -> dict[str, int]:
    """Send `form` to each of `talent_ids` the actor may see; counts per outcome: "sent",
    or the code of the refusal ("already_sent" for a talent this batch reached before).
    Each send is its own transaction: one refusal stops nobody else's email."""
    counts: Counter[str] = Counter()
    since = timezone.now() - RESEND_AFTER
    for talent in talents_by_id(talent_ids, among=_visible(actor)):
        try:
            sent = _send(form, talent, actor=actor, key=batch_key, unless_sent_since=since)
        except FollowUpRefused as refused:
            counts[refused.code] += 1
        else:
            counts["sent" if sent else "already_sent"] += 1
    if unseen := len(talent_ids) - sum(counts.values()):
        counts["not_visible"] = unseen
    return dict(counts)


def send_to_selection(form: Form, talent_ids: Sequence[int], *, actor: User, batch_key: str) -> str:
    """The talent list's bulk "Send follow-up form", and what to tell the user: a small
    selection is sent at once; a larger one by a background task once the transaction
    commits. Raises FollowUpRefused when the form cannot be sent at all."""
    refused = form_refusal(form)
    if refused is not None:
        raise refused
    ids = sorted(talent_ids)
    if len(ids) <= SEND_AT_ONCE_MAX:
        return describe_outcome(
            form, bulk_send_follow_up(form, ids, actor=actor, batch_key=batch_key)
        )
    # Imported here: the tasks module imports these services.
    from ..tasks import send_follow_up_forms

    transaction.on_commit(lambda: send_follow_up_forms.enqueue(form.pk, ids, actor.pk, batch_key))
    return ngettext(
        "The follow-up form “%(form)s” is being sent to %(count)s talent. Anyone who cannot "
        "get it (no email address, suppressed, …) is skipped.",
        "The follow-up form “%(form)s” is being sent to %(count)s talents. Anyone who cannot "
        "get it (no email address, suppressed, …) is skipped.",
        len(ids),
    ) % {"form": form.title, "count": number_format(len(ids), force_grouping=True)}


def send_in_background(
    form: Form, talent_ids: list[int], *, actor: User, batch_key: str
) -> dict[str, int]:
    """The background part of `send_to_selection`. Safe to run twice: the batch key
    makes every talent's email once-only. Nothing goes out in the name of someone who has
    since been deactivated or may no longer edit talents."""
    if not (actor.is_active and actor.can_edit):
        logger.info(
            "bulk_follow_up form=%s actor=%s dropped: may no longer send", form.pk, actor.pk
        )
        return {}
    counts = bulk_send_follow_up(form, talent_ids, actor=actor, batch_key=batch_key)
    logger.info("bulk_follow_up form=%s actor=%s counts=%s", form.pk, actor.pk, counts)
    return counts


SKIPPED = {
    "form_inactive": gettext_lazy("form not active"),
    "not_visible": gettext_lazy("not visible to you or deleted"),
    "no_email": gettext_lazy("no email address"),
    "suppressed": gettext_lazy("on the suppression list"),
    "no_consent": gettext_lazy("no consent to be contacted"),
    "sent_recently": gettext_lazy("got this form less than a day ago"),
}


def describe_outcome(form: Form, counts: dict[str, int]) -> str:
    """What a bulk send did, for the message after it: how many got the form, and why the
    others did not."""
    # A talent this request reached before (the second of a double click) has the email:
    # counted as sent, so that nobody sends a third time to make sure.
    sent = counts.get("sent", 0) + counts.get("already_sent", 0)
    text = ngettext(
        "Follow-up form “%(form)s” sent to %(count)d talent.",
        "Follow-up form “%(form)s” sent to %(count)d talents.",
        sent,
    ) % {"form": form.title, "count": sent}
    skipped = {
        code: n for code, n in sorted(counts.items()) if code not in ("sent", "already_sent")
    }
    if skipped:
        reasons = ", ".join(f"{SKIPPED.get(code, code)}: {n}" for code, n in skipped.items())
        total = sum(skipped.values())
        text += " " + ngettext(
            "%(count)d skipped (%(reasons)s).", "%(count)d skipped (%(reasons)s).", total
        ) % {"count": total, "reasons": reasons}
    return text


# --- what the profile shows ------------------------------------------------------------------


def submissions_of(talent: Talent) -> QuerySet[Submission]:
    """The forms `talent` sent in, newest first, with their form."""
    return Submission.objects.filter(talent=talent).select_related("form")
