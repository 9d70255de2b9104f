"""Data-subject requests: the list with due dates and overdue warnings, registering,
extending and closing a request. Recruiters and admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...accounts.http import AuthedRequest
from ...talents.models import Talent
from ...talents.services import require_editor
from ..forms.requests import CloseForm, ExtendForm, RequestForm
from ..models import DataSubjectRequest
from ..services import dsr

Status = DataSubjectRequest.Status
# Open requests are few; the closed ones are shown newest first up to this many.
LIST_LIMIT = 500


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    today = timezone.localdate()
    closed = request.GET.get("show") == "closed"
    if closed:
        requests = DataSubjectRequest.objects.exclude(status=Status.OPEN).order_by("-closed_at")
    else:
        requests = dsr.open_requests()
    items = list(requests.select_related("talent", "closed_by")[:LIST_LIMIT])
    # Requests about talents in a private pool stay listed (they must be answered), but
    # only talents the user may see show a name and a link.
    visible = set(
        Talent.objects.visible_to(request.user)
        .filter(pk__in={item.talent_id for item in items if item.talent_id})
        .values_list("pk", flat=True)
    )
    rows = [(item, None if closed else dsr.urgency(item, today)) for item in items]
    return render(
        request, "privacy/request_list.html", {"rows": rows, "closed": closed, "visible": visible}
    )


def _talent_visible(request: AuthedRequest, item: DataSubjectRequest) -> bool:
    return (
        item.talent_id is not None
        and Talent.objects.visible_to(request.user).filter(pk=item.talent_id).exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: AuthedRequest) -> HttpResponse:
    require_editor(request.user)
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = dsr.open_request(
            kind=data["kind"],
            channel=data["channel"],
            received_on=data["received_on"],
            talent=data["talent"],
            note=data["note"],
            actor=request.user,
        )
        messages.success(
            request,
            _("Request registered. It is due on %(date)s.") % {"date": date_format(item.due_on)},
        )
        return redirect("privacy:request-detail", pk=item.pk)
    return render(request, "privacy/request_form.html", {"form": form})


def _detail(
    request: AuthedRequest,
    item: DataSubjectRequest,
    *,
    extend_form: ExtendForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    visible = _talent_visible(request, item)
    if close_form is None and item.status == Status.OPEN:
        close_form = CloseForm(request=item, talent_visible=visible)
    context = {
        "item": item,
        "urgency": dsr.urgency(item) if item.status == Status.OPEN else None,
        "talent_visible": visible,
        "extend_form": (extend_form or ExtendForm()) if dsr.can_extend(item) else None,
        "close_form": close_form,
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)
    return _detail(request, get_object_or_404(DataSubjectRequest, pk=pk))


@login_required
@require_POST
def request_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)
    item = get_object_or_404(DataSubjectRequest, pk=pk)
    form = ExtendForm(request.POST)
    if not dsr.can_extend(item):
        messages.error(request, _("This request cannot be extended (again)."))
        return redirect("privacy:request-detail", pk=pk)
    if not form.is_valid():
        return _detail(request, item, extend_form=form, status=422)
    dsr.extend_request(
        item,
        months=form.cleaned_data["months"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    messages.success(
        request,
        _("Extended. The request is now due on %(date)s.") % {"date": date_format(item.due_on)},
    )
    return redirect("privacy:request-detail", pk=pk)


@login_required
@require_POST
def request_close(request: AuthedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)
    item = get_object_or_404(DataSubjectRequest, pk=pk)
    if item.status != Status.OPEN:
        messages.error(request, _("This request is already closed."))
        return redirect("privacy:request-detail", pk=pk)
    form = CloseForm(request.POST, request=item, talent_visible=_talent_visible(request, item))
    if not form.is_valid():
        return _detail(request, item, close_form=form, status=422)
    data = form.cleaned_data
    dsr.close_request(
        item,
        status=data["status"],
        note=data["note"],
        withdraw_all=data.get("withdraw_all", False),
        actor=request.user,
    )
    if data.get("withdraw_all"):
        messages.success(request, _("Request closed. All consents of the talent were withdrawn."))
    else:
        messages.success(request, _("Request closed."))
    return redirect("privacy:requests")
