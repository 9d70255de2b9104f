"""Template helpers of the talent pages: readable field values and timeline sentences.

Privacy and email events read as a status line, "what · who" ("Legal basis: Awaiting
consent → Consent valid (until 26 Nov 2027) · Talent"): they are mostly the outcome of
something the talent or the system did, which a sentence with the actor as subject misstates.

Every value that came from a user goes through `format_html`/`conditional_escape`, so markup
typed into a talent field or a note is shown as text, never run.
"""

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.context import Context
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from ...accounts.models import User
from ...privacy.models import ConsentRecord, ConsentRequest, LegalBasis, Purpose
from ..models import CustomField, DuplicateFlag, Event, Status, Talent
from ..validation import format_phone

register = template.Library()

MAX_VALUE_CHARS = 120


@register.filter
def phone(value: str) -> str:
    """An E.164 number the way people read it: +49 30 1234567."""
    return format_phone(value)


@register.filter
def lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    """`{{ mapping|lookup:key }}`: a dict value by a variable key, "" when missing."""
    return mapping.get(key, "")


@register.filter
def http_url(value: str) -> str:
    """The URL if it is http(s), else "": a stored value must never become a javascript: link."""
    return value if value.lower().startswith(("http://", "https://")) else ""


def field_label(name: str) -> str:
    """A talent field's name as users read it (the model's verbose_name, translated)."""
    name = name.removesuffix("_id")
    if name == "custom_values":
        return _("custom fields")
    try:
        field = Talent._meta.get_field(name)
    except FieldDoesNotExist:  # an old event may name a field that no longer exists
        return name
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _lookup[T](context: Context | None, key: str, load: Callable[[], T]) -> T:
    """A per-render cache, so a long timeline costs one query per lookup table."""
    if context is None:
        return load()
    cache = context.render_context
    if key not in cache:
        cache[key] = load()
    value: T = cache[key]
    return value


def _status_names(context: Context | None) -> Mapping[str, str]:
    return _lookup(
        context, "talent_tags.statuses", lambda: {s.key: s.name for s in Status.objects.all()}
    )


def _custom_fields(context: Context | None) -> Mapping[str, CustomField]:
    return _lookup(
        context, "talent_tags.custom", lambda: {f.key: f for f in CustomField.objects.all()}
    )


def display_value(name: str, value: Any, context: Context | None = None) -> str:
    """One stored field value (as kept in event data or a merge snapshot) as plain text."""
    if value is None or value in ("", [], {}):
        return ""
    match name:
        case "phone":
            return format_phone(str(value))
        case "country":
            return str(countries.name(value)) or str(value)
        case "salary_amount":
            amount = Decimal(str(value))
            whole = amount == amount.to_integral()
            return number_format(amount, decimal_pos=0 if whole else 2, force_grouping=True)
        case "salary_period":
            return str(Talent.SalaryPeriod(value).label) if value in Talent.SalaryPeriod else value
        case "available_from":
            day = value if isinstance(value, datetime.date) else _iso_date(str(value))
            return date_format(day) if day else str(value)
        case "status_id":
            status = Status.objects.filter(pk=value).first()
            return status.name if status else ""
        case "owner_id":
            user = User.objects.filter(pk=value).first()
            return str(user) if user else ""
        case "custom_values":
            fields = _custom_fields(context)
            return "; ".join(
                f"{fields[k].label if k in fields else k}: {v}" for k, v in dict(value).items()
            )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def custom_value_text(field: CustomField, value: Any) -> str:
    """A custom field's value as plain text: a date as dates are shown, a number without
    the ".0" that JSON keeps of it."""
    if field.kind == CustomField.Kind.DATE and value:
        return display_value("available_from", value)
    if field.kind == CustomField.Kind.NUMBER and isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _short(text: str) -> str:
    return Truncator(text).chars(MAX_VALUE_CHARS)


def actor_name(event: Event) -> str:
    if event.actor is not None:
        return str(event.actor)
    return event.actor_label or _("Silverpool")


def _change_sentence(actor: str, label: str, old: str, new: str) -> SafeString:
    values = {"actor": actor, "field": label, "old": _short(old), "new": _short(new)}
    if old and new:
        return format_html(_("{actor} changed {field} from {old} to {new}"), **values)
    if new:
        return format_html(_("{actor} set {field} to {new}"), **values)
    return format_html(_("{actor} cleared {field} (was {old})"), **values)


def _field_changed(event: Event, actor: str, context: Context | None) -> SafeString:
    name = str(event.data.get("field", ""))
    old, new = event.data.get("old"), event.data.get("new")
    if name != "custom_values":
        return _change_sentence(
            actor,
            field_label(name),
            display_value(name, old, context),
            display_value(name, new, context),
        )
    # One sentence per custom field that changed, named by its label.
    old_map, new_map = dict(old or {}), dict(new or {})
    fields = _custom_fields(context)
    sentences = [
        _change_sentence(
            actor,
            fields[key].label if key in fields else key,
            str(old_map.get(key, "")),
            str(new_map.get(key, "")),
        )
        for key in sorted(set(old_map) | set(new_map))
        if old_map.get(key) != new_map.get(key)
    ]
    return SafeString(". ".join(sentences))


def _label(choices: type[models.TextChoices], value: Any) -> str:
    """A stored choice's label; the raw value when the choice no longer exists."""
    return str(choices(value).label) if value in choices.values else str(value or "")


def _purpose_names(context: Context | None, keys: list[str]) -> str:
    """The purposes' names in the order the consent page lists them."""
    language = get_language() or "en"
    names = _lookup(
        context,
        f"talent_tags.purposes.{language}",
        lambda: {p.key: p.name(language) for p in Purpose.objects.all()},
    )
    known = [name for key, name in names.items() if key in keys]
    return ", ".join(known + [key for key in keys if key not in names])


def _basis_due(state: str, day: datetime.date | None) -> str:
    """What the date of a legal basis means in `state`: an end of keeping, or removal."""
    if day is None:
        return ""
    when = date_format(day)
    match state:
        case LegalBasis.State.CONSENT_VALID | LegalBasis.State.APPLICATION_HOLD:
            return _("until %(date)s") % {"date": when}
        case LegalBasis.State.AWAITING_CONSENT:
            return _("deadline %(date)s") % {"date": when}
    return _("deleted or anonymised from %(date)s") % {"date": when}


def _legal_basis_changed(event: Event, actor: str) -> SafeString:
    data = event.data
    new = str(data.get("new", ""))
    title = {
        "merge": _("Legal basis after the merge"),
        "merge_undone": _("Legal basis after undoing the merge"),
    }.get(data.get("reason", ""), _("Legal basis"))
    due = _basis_due(new, _iso_date(str(data.get("due_on") or "")))
    values = {
        "title": title,
        "old": _label(LegalBasis.State, data.get("old")),
        "new": _label(LegalBasis.State, new),
        "due": due,
        "actor": actor,
    }
    if due:
        return format_html(_("{title}: {old} → {new} ({due}) · {actor}"), **values)
    return format_html(_("{title}: {old} → {new} · {actor}"), **values)


def _consent_recorded(event: Event, actor: str, context: Context | None) -> SafeString:
    data = event.data
    parts = [
        template % {"purposes": _purpose_names(context, data[key])}
        for key, template in (
            ("given", _("given for %(purposes)s")),
            ("declined", _("declined for %(purposes)s")),
            ("withdrawn", _("withdrawn for %(purposes)s")),
        )
        if data.get(key)
    ]
    return format_html(
        _("Consent {decisions} · {method} · {actor}"),
        decisions="; ".join(parts),
        method=_label(ConsentRecord.Method, data.get("method")),
        actor=actor,
    )


def _consent_requested(event: Event, actor: str) -> SafeString:
    kind = event.data.get("request_kind")
    if kind == ConsentRequest.Kind.REMINDER:
        return format_html(_("Consent reminder sent by email · {actor}"), actor=actor)
    if kind == ConsentRequest.Kind.RENEWAL:
        return format_html(_("Renewal of consent requested by email · {actor}"), actor=actor)
    return format_html(_("Consent requested by email · {actor}"), actor=actor)


def _data_exported(event: Event, actor: str) -> SafeString:
    # `what` is selfservice.ExportFormat or "consent_proof_<format>" (proof.py).
    what = {
        "json": _("Data exported (JSON, Art. 15 and 20 GDPR)"),
        "html": _("Readable copy of the data opened"),
        "document": _("Document downloaded from the privacy page"),
        "consent_proof_csv": _("Consent proof exported (CSV)"),
        "consent_proof_json": _("Consent proof exported (JSON)"),
    }.get(event.data.get("what", ""), _("Data exported"))
    return format_html("{what} · {actor}", what=what, actor=actor)


def _form_submitted(event: Event, actor: str) -> SafeString:
    """ "Talent sent in the form Talent pool" with the campaign the link carried, then one
    line per answer to the form's questions. Lines, not a list: the timeline is a list,
    and its items' style would mark every answer as an event."""
    data = event.data
    sentence = format_html(_("{actor} sent in the form {form}"), actor=actor, form=data.get("form"))
    campaign = data.get("campaign") or {}
    if campaign:
        sentence = format_html(
            _("{sentence} (campaign: {campaign})"),
            sentence=sentence,
            campaign=", ".join(f"{name}={value}" for name, value in sorted(campaign.items())),
        )
    for item in data.get("answers") or ():
        sentence = format_html(
            '{sentence}<br><small class="event-answer">{question}: {answer}</small>',
            sentence=sentence,
            question=_short(str(item.get("question", ""))),
            answer=_short(str(item.get("answer", ""))),
        )
    return sentence


def _source(event: Event) -> str:
    kind = event.data.get("source_kind", "")
    label = str(Talent.SourceKind(kind).label) if kind in Talent.SourceKind else str(kind)
    detail = event.data.get("source_label", "")
    return f"{label} · {detail}" if detail else label


@register.simple_tag(takes_context=True)
def event_sentence(context: Context, event: Event) -> SafeString:
    """The timeline entry as a sentence: "Rita changed city from Berlin to Köln"."""
    actor = actor_name(event)
    data = event.data
    visible = set(context.get("visible_talent_ids") or ())
    match event.kind:
        case Event.Kind.CREATED:
            sentence = format_html(
                _("{actor} created the profile (source: {source})"),
                actor=actor,
                source=_source(event),
            )
            # Imports name the pools and tags a new talent came with in this one entry.
            if data.get("pools"):
                pools = ", ".join(data["pools"])
                sentence = format_html(
                    _("{sentence}, in pool {pools}"), sentence=sentence, pools=pools
                )
            if data.get("tags"):
                tags = ", ".join(data["tags"])
                sentence = format_html(_("{sentence}, tagged {tags}"), sentence=sentence, tags=tags)
            return sentence
        case Event.Kind.UPDATED:
            # A form or an ATS sends what the talent or the ATS gave; an import is a user's.
            if data.get("source_kind") == Talent.SourceKind.IMPORT:
                new_details = _("{actor} imported new details (source: {source})")
            else:
                new_details = _("{actor} sent new details (source: {source})")
            return format_html(new_details, actor=actor, source=_source(event))
        case Event.Kind.FIELD_CHANGED:
            return _field_changed(event, actor, context)
        case Event.Kind.STATUS_CHANGED:
            names = _status_names(context)
            old, new = data.get("old", ""), data.get("new", "")
            return _change_sentence(
                actor, _("the status"), names.get(old, old), names.get(new, new)
            )
        case Event.Kind.OWNER_CHANGED:
            old, new = data.get("old", ""), data.get("new", "")
            if new and not old:
                return format_html(_("{actor} made {new} the owner"), actor=actor, new=new)
            if old and not new:
                return format_html(_("{actor} removed {old} as owner"), actor=actor, old=old)
            return _change_sentence(actor, _("the owner"), old, new)
        case Event.Kind.POOL_ADDED:
            return format_html(
                _("{actor} added to pool {pool}"), actor=actor, pool=data.get("pool")
            )
        case Event.Kind.POOL_REMOVED:
            return format_html(
                _("{actor} removed from pool {pool}"), actor=actor, pool=data.get("pool")
            )
        case Event.Kind.TAG_ADDED:
            return format_html(_("{actor} added tag {tag}"), actor=actor, tag=data.get("tag"))
        case Event.Kind.TAG_REMOVED:
            return format_html(_("{actor} removed tag {tag}"), actor=actor, tag=data.get("tag"))
        case Event.Kind.NOTE_ADDED:
            return format_html(
                _("{actor} added a note: {text}"), actor=actor, text=_short(data.get("text", ""))
            )
        case Event.Kind.NOTE_EDITED:
            return format_html(
                _("{actor} edited a note: {text}"), actor=actor, text=_short(data.get("new", ""))
            )
        case Event.Kind.NOTE_DELETED:
            return format_html(_("{actor} deleted a note"), actor=actor)
        case Event.Kind.DOCUMENT_ADDED:
            return format_html(_("{actor} uploaded {name}"), actor=actor, name=data.get("name"))
        case Event.Kind.DOCUMENT_DELETED:
            return format_html(
                _("{actor} deleted document {name}"), actor=actor, name=data.get("name")
            )
        case Event.Kind.DUPLICATE_FLAGGED:
            reason = data.get("reason", "")
            because = DuplicateFlag.Reason(reason).label if reason in DuplicateFlag.Reason else ""
            if data.get("other_id") not in visible:
                return format_html(
                    _("Possibly the same person as another talent ({reason})"), reason=because
                )
            return format_html(
                _("Possibly the same person as {other} ({reason})"),
                other=data.get("other_name"),
                reason=because,
            )
        case Event.Kind.MERGED:
            return format_html(
                _("{actor} merged with {other}"), actor=actor, other=data.get("other_name")
            )
        case Event.Kind.MERGE_UNDONE:
            return format_html(
                _("{actor} undid the merge with {other}"), actor=actor, other=data.get("other_name")
            )
        case Event.Kind.LEGAL_BASIS_CHANGED:
            return _legal_basis_changed(event, actor)
        case Event.Kind.CONSENT_REQUESTED:
            return _consent_requested(event, actor)
        case Event.Kind.CONSENT_RECORDED:
            return _consent_recorded(event, actor, context)
        case Event.Kind.LEGAL_HOLD_SET:
            until = _iso_date(str(data.get("until") or ""))
            return format_html(
                _("Legal hold until {date}: {reason} · {actor}"),
                date=date_format(until) if until else "",
                reason=_short(str(data.get("reason", ""))),
                actor=actor,
            )
        case Event.Kind.LEGAL_HOLD_LIFTED:
            return format_html(_("Legal hold lifted · {actor}"), actor=actor)
        case Event.Kind.PRIVACY_NOTICE_SENT:
            return format_html(
                _("Privacy notice (Art. 14 GDPR) sent by email · {actor}"), actor=actor
            )
        case Event.Kind.DATA_EXPORTED:
            return _data_exported(event, actor)
        case Event.Kind.ERASURE_REQUESTED:
            # Only recorded when a legal hold kept the data (selfservice.erase_at_own_request).
            return format_html(
                _("Erasure requested; the legal hold keeps the data for now · {actor}"),
                actor=actor,
            )
        case Event.Kind.EMAIL_SENT:
            return format_html(
                _("Email sent: {subject} · {actor}"),
                subject=_short(str(data.get("subject", ""))),
                actor=actor,
            )
        case Event.Kind.FORM_SUBMITTED:
            return _form_submitted(event, actor)
        case Event.Kind.FORM_LINK_SENT:
            return format_html(
                _("{actor} sent the link to the form {form}"), actor=actor, form=data.get("form")
            )
        case Event.Kind.EMAIL_FAILED:
            return format_html(
                _("Email failed: {subject} ({reason}) · {actor}"),
                subject=_short(str(data.get("subject", ""))),
                reason=_short(str(data.get("error", ""))),
                actor=actor,
            )
    # Kinds added by later features read well enough by their label until they get a sentence.
    return format_html("{actor}: {kind}", actor=actor, kind=capfirst(event.get_kind_display()))
