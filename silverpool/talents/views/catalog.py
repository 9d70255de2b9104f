"""Pools and tags pages: everyone reads them, admins and recruiters change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.http import AuthedRequest
from .. import services
from ..forms.catalog import PoolForm, TagForm
from ..models import Tag, visible_talent


def _confirm_delete(
    request: AuthedRequest, *, question: str, consequence: str, cancel: str
) -> HttpResponse:
    context = {"question": question, "consequence": consequence, "cancel_url": reverse(cancel)}
    return render(request, "talents/confirm_delete.html", context)


@login_required
def pool_list(request: AuthedRequest) -> HttpResponse:
    pools = services.pools_with_counts(request.user)
    context = {"pools": pools, "talents_url": reverse("talents:talent-list")}
    return render(request, "talents/pool_list.html", context)


@login_required
def pool_create(request: AuthedRequest) -> HttpResponse:
    services.require_editor(request.user)
    form = PoolForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.save_pool(None, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pool “%(name)s” created.") % {"name": pool.name})
            return redirect("talents:pool-list")
    return render(request, "talents/pool_form.html", {"form": form, "pool": None})


@login_required
def pool_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    pool = services.get_pool_for(request.user, pk, write=True)
    form = PoolForm(request.POST or None, actor=request.user, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pool(pool, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            pool.refresh_from_db()  # the page title shows the saved name, not the rejected one
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pool “%(name)s” saved.") % {"name": pool.name})
            return redirect("talents:pool-list")
    return render(request, "talents/pool_form.html", {"form": form, "pool": pool})


@login_required
def pool_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    pool = services.get_pool_for(request.user, pk, write=True)
    # As on the pools page, only talents the user may see: hidden ones must not show in a
    # count (they leave the pool too).
    size = pool.memberships.filter(visible_talent(request.user, "talent__")).count()
    if request.method != "POST":
        leaving = ngettext(
            "%(count)d talent will leave the pool. The talent itself is kept.",
            "%(count)d talents will leave the pool. The talents themselves are kept.",
            size,
        ) % {"count": size}
        question = _("Delete the pool “%(name)s”?") % {"name": pool.name}
        return _confirm_delete(
            request, question=question, consequence=leaving, cancel="talents:pool-list"
        )
    services.delete_pool(pool, actor=request.user)
    done = ngettext(
        "Pool “%(name)s” deleted; %(count)d talent left it.",
        "Pool “%(name)s” deleted; %(count)d talents left it.",
        size,
    )
    messages.success(request, done % {"name": pool.name, "count": size})
    return redirect("talents:pool-list")


@login_required
def tag_list(request: AuthedRequest) -> HttpResponse:
    tags = services.tags_with_counts(request.user)
    context = {"tags": tags, "talents_url": reverse("talents:talent-list")}
    return render(request, "talents/tag_list.html", context)


@login_required
def tag_create(request: AuthedRequest) -> HttpResponse:
    services.require_editor(request.user)
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.save_tag(None, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tag “%(name)s” created.") % {"name": tag.name})
            return redirect("talents:tag-list")
    return render(request, "talents/tag_form.html", {"form": form, "tag": None})


@login_required
def tag_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_editor(request.user)
    tag = get_object_or_404(Tag, pk=pk)
    form = TagForm(request.POST or None, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tag(tag, name=form.cleaned_data["name"])
        except ValidationError as exc:
            tag.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tag “%(name)s” saved.") % {"name": tag.name})
            return redirect("talents:tag-list")
    return render(request, "talents/tag_form.html", {"form": form, "tag": tag})


@login_required
def tag_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_editor(request.user)
    tag = get_object_or_404(Tag, pk=pk)
    size = tag.talent_tags.filter(visible_talent(request.user, "talent__")).count()
    if request.method != "POST":
        losing = ngettext(
            "%(count)d talent will lose this tag. The talent itself is kept.",
            "%(count)d talents will lose this tag. The talents themselves are kept.",
            size,
        ) % {"count": size}
        question = _("Delete the tag “%(name)s”?") % {"name": tag.name}
        return _confirm_delete(
            request, question=question, consequence=losing, cancel="talents:tag-list"
        )
    services.delete_tag(tag, actor=request.user)
    done = ngettext(
        "Tag “%(name)s” deleted; %(count)d talent lost it.",
        "Tag “%(name)s” deleted; %(count)d talents lost it.",
        size,
    )
    messages.success(request, done % {"name": tag.name, "count": size})
    return redirect("talents:tag-list")
