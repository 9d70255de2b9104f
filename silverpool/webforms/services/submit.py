"""What a form sent in does: through the intake service into the talent pool (talent and
application forms), or onto an existing profile (follow-up forms), with the consent and
its proof, the CV, the answers, and the emails that follow."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ...accounts.models import User
from ...outreach.defaults import FORM_CONFIRMATION, FORM_LINK, FORM_NOTIFICATION
from ...outreach.models import OutboundEmail
from ...outreach.services.outbox import queue_email
from ...privacy import services as privacy
from ...privacy.models import ConsentRecord
from ...privacy.services.export import TALENT_LABEL
from ...privacy.services.language import mail_language
from ...talents import services as talents
from ...talents.models import Event, Talent
from ...talents.services.events import record_event
from ...talents.services.intake import find_by_email
from ..models import Form, Submission
from .links import follow_up_url


@dataclass
class Entry:
    """A filled-in form, as the page read it."""

    language: str
    # Talent fields by name; custom fields under "custom_values".
    values: dict[str, Any] = field(default_factory=dict)
    # Free-text questions: [{"question": label, "answer": text}], in the form's order.
    answers: list[dict[str, str]] = field(default_factory=list)
    # Keys of the purposes whose box was ticked.
    consents: list[str] = field(default_factory=list)
    cv: UploadedFile[bytes] | None = None
    recruiter: User | None = None
    campaign: dict[str, str] = field(default_factory=dict)
    ip_address: str | None = None
    user_agent: str = ""
    # Names the page it was sent from (Submission.once); empty: always a new submission.
    once: str = ""


def sent_before(entry: Entry) -> Submission | None:
    return Submission.objects.filter(once=entry.once).first() if entry.once else None


@transaction.atomic
def submit_form(form: Form, entry: Entry) -> Submission:
    """A talent or application form: a new talent, or the one with the same email updated.

    Status and owner apply to new talents only (a known talent keeps what recruiters set);
    pools and tags to both. The recruiter a candidate names as their last contact is told,
    and becomes the owner of a new talent when the form names none.
    Raises ValidationError naming each invalid field; then nothing is stored. The same page
    sent again returns its first submission and does nothing more.
    """
    earlier = sent_before(entry)
    if earlier is not None:
        return earlier
    known = find_by_email(str(entry.values.get("email", "")))
    owner = form.owner or entry.recruiter
    consent = None
    if entry.consents:
        consent = privacy.ConsentGrant(
            method=ConsentRecord.Method.FORM,
            language=entry.language,
            given=entry.consents,
            ip_address=entry.ip_address,
            user_agent=entry.user_agent,
        )
    result = talents.intake_talent(
        entry.values,
        actor=None,
        actor_label=TALENT_LABEL,
        source_kind=Talent.SourceKind.FORM,
        source_label=form.title,
        status=form.status if known is None else None,
        owner=owner if known is None else None,
        pools=form.pools.all(),
        tags=form.tags.all(),
        consent=consent,
    )
    submission = _finish(form, result.talent, entry, created=result.created)
    _send_confirmation(submission)
    second = form.second_step
    # Whoever just sent the first step gets the second, unless their address is suppressed.
    if second is not None and second.is_active and not privacy.is_suppressed(result.talent.email):
        key = f"form-second-step:{submission.pk}"
        send_form_link(second, result.talent, key=key, language=entry.language)
    _notify(submission, entry.recruiter)
    return submission


@transaction.atomic
def submit_follow_up(form: Form, talent: Talent, entry: Entry) -> Submission:
    """A follow-up form from a talent's own link: each changed field on the timeline with
    the talent as the actor. A field the talent cleared is cleared: it is their data.
    Raises ValidationError naming each invalid field; then nothing is stored. The same page
    sent again returns its first submission and does nothing more."""
    earlier = sent_before(entry)
    if earlier is not None:
        return earlier
    values = dict(entry.values)
    if "custom_values" in values:
        values["custom_values"] = {**talent.custom_values, **values["custom_values"]}
    talents.update_talent(talent, values, actor=None, actor_label=TALENT_LABEL)
    submission = _finish(form, talent, entry, created=False)
    _notify(submission, entry.recruiter)
    return submission


def _finish(form: Form, talent: Talent, entry: Entry, *, created: bool) -> Submission:
    if entry.cv is not None:
        talents.add_document(talent, entry.cv, actor=None, actor_label=TALENT_LABEL)
    submission = Submission.objects.create(
        form=form,
        talent=talent,
        created_talent=created,
        language=entry.language,
        answers=entry.answers,
        campaign=entry.campaign,
        once=entry.once or None,
    )
    record_event(
        talent,
        Event.Kind.FORM_SUBMITTED,
        actor=None,
        actor_label=TALENT_LABEL,
        form=form.title,
        form_id=form.pk,
        submission_id=submission.pk,
        answers=entry.answers,
        campaign=entry.campaign,
    )
    talent.data_confirmed_at = timezone.now()
    talent.save(update_fields=["data_confirmed_at"])
    return submission


def _send_confirmation(submission: Submission) -> None:
    talent = submission.talent
    # Someone who withdrew or had their data erased gets no mail from a form sent in their
    # name (anyone can type any address into a form).
    if privacy.is_suppressed(talent.email):
        return
    queue_email(
        template=FORM_CONFIRMATION,
        language=submission.language,
        context={"form_title": submission.form.heading_in(submission.language)},
        talent=talent,
        idempotency_key=f"form-confirmation:{submission.pk}",
        actor=None,
        kind=OutboundEmail.Kind.FORM,
    )


@transaction.atomic
def send_form_link(
    form: Form,
    talent: Talent,
    *,
    key: str,
    actor: User | None = None,
    language: str | None = None,
) -> bool:
    """Email `talent` a personal link to follow-up form `form`, with its timeline entry;
    once per `key`: returns False when that email was queued before. Whether the talent
    may get it is the caller's to decide (see requests.talent_refusal). Written in
    `language`, else in the one the talent is written to in."""
    if OutboundEmail.objects.filter(idempotency_key=key).exists():
        return False
    language = language or mail_language(talent, actor=actor)
    email = queue_email(
        template=FORM_LINK,
        language=language,
        context={"form_title": form.heading_in(language), "form_url": follow_up_url(form, talent)},
        talent=talent,
        idempotency_key=key,
        actor=actor,
        kind=OutboundEmail.Kind.FORM,
    )
    record_event(
        talent,
        Event.Kind.FORM_LINK_SENT,
        actor=actor,
        form=form.title,
        form_id=form.pk,
        email_id=email.pk,
    )
    return True


def _notify(submission: Submission, recruiter: User | None) -> None:
    """Mail the form's recruiters, and the one the candidate named, that the form brought a
    talent: a link to the profile, no name (the mail outlives an erasure of the talent), and
    only to those who may see the talent (not one in a private pool they are not in)."""
    users = {user.pk: user for user in submission.form.notify.filter(is_active=True)}
    if recruiter is not None and recruiter.is_active:
        users[recruiter.pk] = recruiter
    talent = submission.talent
    url = settings.SITE_URL + reverse("talents:talent-detail", args=[talent.pk])
    for user in users.values():
        if not user.email or not Talent.objects.visible_to(user).filter(pk=talent.pk).exists():
            continue
        queue_email(
            template=FORM_NOTIFICATION,
            language=user.language,
            context={
                "form_title": submission.form.title,
                "talent_url": url,
                "new_talent": submission.created_talent,
            },
            talent=None,
            to=user.email,
            idempotency_key=f"form-notification:{submission.pk}:{user.pk}",
            actor=None,
            kind=OutboundEmail.Kind.FORM,
        )
