"""Duplicates and merges: dismiss a duplicate flag, compare and merge two talents, undo."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from .. import services
from ..models import DuplicateFlag, Merge, Talent
from ..services.events import jsonable
from ..services.merge import MERGE_FIELDS
from ..templatetags.talent_tags import display_value, field_label
from .detail import done


@login_required
@require_POST
def duplicate_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    """The "Not a duplicate" button: the banner goes from both profiles."""
    flag = get_object_or_404(DuplicateFlag, pk=pk)
    page = request.POST.get("talent", "")
    talent_id = flag.other_id if page == str(flag.other_id) else flag.talent_id
    talent = services.get_talent_for(request.user, talent_id, write=True)
    services.dismiss_duplicate(flag, actor=request.user)
    messages.success(request, _("Marked as not a duplicate."))
    return done(request, talent, "duplicates")


@dataclass(frozen=True)
class MergeRow:
    """One field of the comparison; `keep` is the side chosen by default."""

    name: str
    label: str
    primary: str
    secondary: str
    keep: str

    @property
    def differs(self) -> bool:
        return self.primary != self.secondary


def merge_rows(primary: Talent, secondary: Talent) -> list[MergeRow]:
    rows = []
    for name in MERGE_FIELDS:
        ours = display_value(name, jsonable(getattr(primary, name)))
        theirs = display_value(name, jsonable(getattr(secondary, name)))
        # Fill gaps: where the primary has nothing, the other talent's value is the default.
        keep = "secondary" if theirs and not ours else "primary"
        rows.append(MergeRow(name, capfirst(field_label(name)), ours, theirs, keep))
    return rows


def _moving(primary: Talent, secondary: Talent) -> dict[str, int]:
    """What the merge moves from the secondary talent onto the primary."""
    return {
        "notes": secondary.notes.count(),
        "documents": secondary.documents.count(),
        "events": secondary.events.count(),
        "pools": secondary.pool_memberships.exclude(
            pool_id__in=primary.pool_memberships.values("pool_id")
        ).count(),
        "tags": secondary.talent_tags.exclude(
            tag_id__in=primary.talent_tags.values("tag_id")
        ).count(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def talent_merge(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """Compare two talents side by side and merge `other` into `pk`."""
    primary = services.get_talent_for(request.user, pk, write=True)
    secondary = services.get_talent_for(request.user, other, write=True)
    if primary.pk == secondary.pk:
        raise Http404(_("A talent cannot be merged with itself."))
    rows = merge_rows(primary, secondary)
    if request.method == "POST":
        choices: dict[str, Any] = {
            row.name: request.POST[f"keep_{row.name}"]
            for row in rows
            if row.differs and request.POST.get(f"keep_{row.name}") in ("primary", "secondary")
        }
        try:
            services.merge_talents(primary, secondary, choices=choices, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(other)s was merged into this profile. You can undo it from the timeline.")
                % {"other": secondary.full_name},
            )
        return redirect("talents:talent-detail", pk=primary.pk)
    context = {
        "primary": primary,
        "secondary": secondary,
        "rows": rows,
        "differing": [row for row in rows if row.differs],
        "moving": _moving(primary, secondary),
    }
    return render(request, "talents/talent_merge.html", context)


@login_required
@require_POST
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(Merge, pk=pk)
    talent = services.get_talent_for(request.user, merge.primary_id, write=True)
    try:
        secondary = services.undo_merge(merge, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Merge undone: %(other)s is a separate profile again.")
            % {"other": secondary.full_name},
        )
    return redirect("talents:talent-detail", pk=talent.pk)
