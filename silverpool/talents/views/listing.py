"""Talent list, bulk actions and saved searches (pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.bulk import BulkAction, BulkActionForm, run_bulk_action
from ..forms.filters import ListChoices, SavedSearchForm, TalentFilterForm, filter_query
from ..models import SavedSearch, Talent
from ..search import count_talents, filter_talents

PAGE_SIZE = 50


class CountedPaginator(Paginator[Talent]):
    """Takes the total from `count_talents` (which may estimate) instead of counting again."""

    def __init__(self, object_list: QuerySet[Talent], per_page: int, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


@login_required
def talent_list(request: AuthedRequest) -> HttpResponse:
    choices = ListChoices.load(request.user)
    form = TalentFilterForm(request.GET, user=request.user, choices=choices)
    visible = Talent.objects.visible_to(request.user)
    talents = filter_talents(visible, form.to_filters())
    total = count_talents(talents)
    paginator = CountedPaginator(
        services.with_list_relations(talents, request.user), PAGE_SIZE, total=total.value
    )
    page = paginator.get_page(request.GET.get("page"))
    query = form.query_string()
    context = {
        "filter_form": form,
        "total": total,
        "page": page,
        # An estimated total has no reliable last page, so it gets no link.
        "page_range": paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1 if total.exact else 0
        ),
        "page_prefix": f"?{query}&" if query else "?",
        "filter_query": query,
        "return_query": f"{query}&page={page.number}" if query else f"page={page.number}",
        "has_talents": total.value > 0 or visible.exists(),
        "bulk_form": (
            BulkActionForm(user=request.user, choices=choices) if request.user.can_edit else None
        ),
        "save_form": SavedSearchForm(query=query),
        "saved_searches": SavedSearch.objects.filter(user=request.user),
    }
    template = "talents/talent_list.html"
    htmx = request.htmx
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    # The same URL answers a whole page or only the results: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def talent_bulk(request: AuthedRequest) -> HttpResponse:
    services.require_editor(request.user)
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _error_text(form))
        return redirect(_list_url(form.back_query))
    if form.cleaned_data["action"] == BulkAction.EXPORT:
        url, query = reverse("imports:talent-export"), form.export_query
        return redirect(f"{url}?{query}" if query else url)
    if form.needs_confirmation:
        talents = form.talents()
        context = {
            "confirm_form": form,
            "confirm_count": talents.count(),
            "confirm_sample": talents[:20],
            "back_url": _list_url(form.back_query),
        }
        return render(request, "talents/talent_list.html", context)
    messages.success(request, run_bulk_action(form, actor=request.user))
    return redirect(_list_url(form.back_query))


@login_required
@require_POST
def search_save(request: AuthedRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(form))
        return redirect(_list_url(filter_query(QueryDict(request.POST.get("query", "")[:4000]))))
    saved = services.save_search(
        request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
    )
    messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
    return redirect(_list_url(saved.query))


@login_required
@require_POST
def search_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.delete_search(saved)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("talents:talent-list")


def _list_url(query: str) -> str:
    url = reverse("talents:talent-list")
    return f"{url}?{query}" if query else url


def _error_text(form: BaseForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
