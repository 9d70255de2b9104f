"""The profile's "Send follow-up form": one email with the talent's personal link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...accounts.http import AuthedRequest
from ...webforms import services as webforms
from .. import services
from ..forms.follow_up import FollowUpSendForm
from .detail import done

PANEL = "forms"


@login_required
@require_POST
def follow_up_send(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = services.get_talent_for(request.user, pk, write=True)
    form = FollowUpSendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return done(request, talent, PANEL, status=422)
    chosen = form.cleaned_data["follow_up_form"]
    try:
        webforms.send_follow_up(chosen, talent, actor=request.user, key=form.cleaned_data["key"])
    except webforms.FollowUpRefused as refused:
        messages.error(request, refused.message)
        return done(request, talent, PANEL, status=422)
    # A repeated click (same key) sent nothing new, but the talent has their email: the
    # same message, so that nobody sends a third time to make sure.
    messages.success(
        request,
        _("Follow-up form “%(form)s” sent to %(email)s.")
        % {"form": chosen.title, "email": talent.email},
    )
    return done(request, talent, PANEL)
