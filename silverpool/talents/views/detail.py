"""The talent detail page, and how the views that change it answer.

Each change on the page is a small POST form that works without JavaScript (redirect back
to the page with a flash message). With htmx the view answers with the changed fragment of
talent_detail.html plus out-of-band fragments: the timeline and the flash messages. The
change views live beside this module: inline (fields, status, owner, pools, tags), notes,
documents and merge.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ...accounts.http import AuthedRequest
from ...accounts.models import User
from ...privacy.services import audit_view
from ...webforms import services as webforms
from .. import services
from ..forms.talent import CUSTOM_PREFIX, assignable_owners
from ..models import (
    CustomField,
    Document,
    DuplicateFlag,
    Merge,
    PoolMembership,
    Status,
    Tag,
    Talent,
    TalentTag,
)
from ..templatetags.talent_tags import custom_value_text, field_label
from ..validation import EDITABLE_FIELDS

TEMPLATE = "talents/talent_detail.html"
TIMELINE_LIMIT = 200
SUBMISSIONS_SHOWN = 5
# Fragments a page may re-fetch by GET (documents poll while their text is being read).
FETCHABLE = {"documents", "timeline"}


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One line of the profile; `name` is what the talent-field URL takes."""

    name: str
    label: str
    kind: str
    value: Any
    form_fields: tuple[str, ...]


SALARY = ("salary_amount", "salary_currency", "salary_period")
KINDS = {
    "email": "email",
    "phone": "phone",
    "skills": "chips",
    "linkedin_url": "link",
    "profile_urls": "links",
    "available_from": "date",
}


def field_rows(talent: Talent) -> list[FieldRow]:
    rows = []
    for name in EDITABLE_FIELDS:
        if name == "salary_amount":
            rows.append(FieldRow("salary", _("Salary expectation"), "salary", talent, SALARY))
        elif name not in SALARY and name != "custom_values":
            label = capfirst(field_label(name))
            value = talent.country.name if name == "country" else getattr(talent, name)
            rows.append(FieldRow(name, label, KINDS.get(name, "text"), value, (name,)))
    for custom in CustomField.objects.all():
        name = CUSTOM_PREFIX + custom.key
        value = custom_value_text(custom, talent.custom_values.get(custom.key))
        rows.append(FieldRow(name, custom.label, "text", value, (name,)))
    return rows


@dataclass(frozen=True)
class DuplicateItem:
    flag: DuplicateFlag
    other: Talent


def form_activity(user: User, talent: Talent) -> dict[str, Any]:
    """The forms panel: what the talent last sent in, and which follow-up form may go."""
    submissions = list(webforms.submissions_of(talent)[:SUBMISSIONS_SHOWN])
    context: dict[str, Any] = {
        "submissions": submissions,
        "submissions_total": (
            len(submissions)
            if len(submissions) < SUBMISSIONS_SHOWN
            else webforms.submissions_of(talent).count()
        ),
        "last_submission": submissions[0] if submissions else None,
    }
    if user.can_edit:
        refused = webforms.talent_refusal(talent)
        context |= {
            "follow_up_forms": list(webforms.follow_up_forms()),
            "follow_up_refusal": refused.message if refused else "",
            # New with every rendering: a double click reuses it, a later send does not.
            "follow_up_key": webforms.new_send_key(),
        }
    return context


def detail_context(request: AuthedRequest, talent: Talent, **extra: Any) -> dict[str, Any]:
    user = request.user
    visible_pools = services.pools_visible_to(user)
    events = services.hide_private_pool_names(
        user, list(talent.events.select_related("actor")[:TIMELINE_LIMIT])
    )
    # Events that came with a merged talent say where they came from; that talent is hidden
    # now, but it is part of this one, so its name may be shown.
    moved_from: dict[int, str] = {}
    open_merges = set()
    for merge in Merge.objects.filter(primary=talent, undone_at__isnull=True).select_related(
        "secondary"
    ):
        open_merges.add(merge.pk)
        for event_id in merge.snapshot["moved"]["events"]:
            moved_from[event_id] = merge.secondary.full_name
    duplicates = [
        DuplicateItem(flag, flag.other if flag.talent_id == talent.pk else flag.talent)
        for flag in services.open_duplicate_flags(talent)
    ]
    mentioned = {e.data.get("other_id") for e in events} | {d.other.pk for d in duplicates}
    visible_ids = set(
        Talent.objects.visible_to(user)
        .filter(pk__in=[pk for pk in mentioned if isinstance(pk, int)])
        .values_list("pk", flat=True)
    ) | set(talent.merged_from.values_list("pk", flat=True))
    notes = list(talent.notes.select_related("author"))
    documents = list(talent.documents.select_related("uploaded_by"))
    return {
        "talent": talent,
        "can_edit": user.can_edit,
        "field_rows": field_rows(talent),
        "memberships": talent.pool_memberships.filter(pool__in=visible_pools).select_related(
            "pool", "added_by"
        ),
        "pools_to_add": visible_pools.exclude(
            pk__in=PoolMembership.objects.filter(talent=talent).values("pool_id")
        ),
        "tag_links": talent.talent_tags.select_related("tag"),
        "all_tags": Tag.objects.exclude(
            pk__in=TalentTag.objects.filter(talent=talent).values("tag_id")
        ),
        "statuses": Status.objects.all(),
        "owners": assignable_owners(),
        "notes": notes,
        "changeable_notes": {n.pk for n in notes if services.can_change_note(user, n)},
        "documents": documents,
        "documents_pending": any(d.extraction == Document.Extraction.PENDING for d in documents),
        "document_max_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
        "events": events,
        "events_total": talent.events.count(),
        "timeline_limit": TIMELINE_LIMIT,
        "open_merges": open_merges,
        "moved_from": moved_from,
        "duplicates": [d for d in duplicates if d.other.pk in visible_ids],
        "visible_talent_ids": visible_ids,
        **form_activity(user, talent),
        **extra,
    }


# --- how the change views answer -----------------------------------------------------------


def is_htmx(request: AuthedRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def fragments(
    request: AuthedRequest,
    talent: Talent,
    main: str,
    *,
    oob: tuple[str, ...] = ("timeline",),
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The changed fragment, then out-of-band ones: the timeline and the flash messages."""
    context = detail_context(request, talent, **extra)
    html = render_to_string(f"{TEMPLATE}#{main}", context, request)
    for name in (*oob, "flash"):
        html += render_to_string(f"{TEMPLATE}#{name}", {**context, "oob": True}, request)
    return HttpResponse(html, status=status)


def done(
    request: AuthedRequest, talent: Talent, main: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """After a change (or a refused one): the fragment for htmx, else back to the page."""
    if is_htmx(request):
        return fragments(request, talent, main, status=status, **extra)
    return redirect(reverse("talents:talent-detail", args=[talent.pk]) + f"#{main}")


def confirm(
    request: AuthedRequest, *, title: str, question: str, action: str, back: str, detail: str = ""
) -> HttpResponse:
    context = {"title": title, "question": question, "action": action, "back": back}
    return render(request, "talents/talent_confirm_delete.html", {**context, "detail": detail})


# --- the page ------------------------------------------------------------------------------


@login_required
@require_GET
def talent_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk)
    fragment = request.GET.get("fragment", "")
    if is_htmx(request) and fragment in FETCHABLE:
        return render(request, f"{TEMPLATE}#{fragment}", detail_context(request, talent))
    # Art. 32 / R21: who read a profile is logged (fragment refreshes are not new reads).
    audit_view(request.user, talent.pk)
    return render(request, TEMPLATE, detail_context(request, talent))
