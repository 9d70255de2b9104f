"""The deletion forecast: who the daily run deletes or anonymises in the next 7 and 30
days and why, and who is on legal hold. Recruiters and admins see the talents they may
see and can ask a talent for consent again; admins set and lift legal holds."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...accounts.http import AuthedRequest
from ...talents.models import Talent
from ...talents.services import get_talent_for, require_admin, require_editor
from ..forms.forecast import LegalHoldForm
from ..services import get_policy, lift_legal_hold, set_legal_hold
from ..services.requests import ASKABLE_STATES, ConsentRequestRefused, ask_again
from ..services.retention import Upcoming, legal_holds, upcoming_removals

TEMPLATE = "privacy/forecast.html"
HORIZONS = (7, 30)
# A backlog can hold thousands; the page shows the soonest ones and says how many more.
LIMIT = 500


@dataclass(frozen=True)
class Row:
    """A forecast line and, for admins, its legal-hold form."""

    item: Upcoming
    hold_form: LegalHoldForm | None


def forecast_context(
    request: AuthedRequest, *, bound: LegalHoldForm | None = None
) -> dict[str, Any]:
    """The page; `bound` is a legal-hold form that failed, shown open with its errors."""
    today = timezone.localdate()
    short, long = (today + datetime.timedelta(days=days) for days in HORIZONS)
    talents = Talent.objects.visible_to(request.user)
    items, total = upcoming_removals(talents, today=today, until=long, limit=LIMIT)

    def hold_form(talent_id: int) -> LegalHoldForm | None:
        if not request.user.is_admin:
            return None
        if bound is not None and bound.talent_id == talent_id:
            return bound
        return LegalHoldForm(talent_id=talent_id)

    rows = [Row(item, hold_form(item.talent.pk)) for item in items]
    return {
        "policy": get_policy(),
        "today": today,
        "soon": [row for row in rows if row.item.on <= short],
        "later": [row for row in rows if row.item.on > short],
        "total": total,
        "shown": len(rows),
        "holds": legal_holds(talents, today=today),
        "askable": ASKABLE_STATES,
    }


@login_required
@require_GET
def forecast(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    return render(request, TEMPLATE, forecast_context(request))


@login_required
@require_POST
def legal_hold_set(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = get_talent_for(request.user, pk)
    require_admin(request.user)
    form = LegalHoldForm(request.POST, talent_id=talent.pk)
    if not form.is_valid():
        # The page again, with this talent's form open and its errors beside the fields.
        return render(request, TEMPLATE, forecast_context(request, bound=form), status=422)
    until = form.cleaned_data["until"]
    set_legal_hold(talent, reason=form.cleaned_data["reason"], until=until, actor=request.user)
    messages.success(
        request,
        _("%(name)s is on legal hold until %(until)s.")
        % {"name": talent.full_name, "until": date_format(until)},
    )
    return redirect("privacy:forecast")


@login_required
@require_POST
def legal_hold_lift(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = get_talent_for(request.user, pk)
    require_admin(request.user)
    lift_legal_hold(talent, actor=request.user)
    messages.success(
        request, _("The legal hold on %(name)s was lifted.") % {"name": talent.full_name}
    )
    return redirect("privacy:forecast")


@login_required
@require_POST
def consent_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = get_talent_for(request.user, pk, write=True)
    try:
        ask_again(talent, actor=request.user)
    except ConsentRequestRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(name)s was asked for consent.") % {"name": talent.full_name})
    return redirect("privacy:forecast")
