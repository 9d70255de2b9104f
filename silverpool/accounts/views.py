"""Login, profile, users and roles, API tokens."""

import math

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .forms import LoginForm, ProfileForm, TokenForm, UserCreateForm, UserEditForm
from .http import AuthedRequest
from .models import ApiToken, User


class _LoginView(LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if isinstance(form, LoginForm) and form.locked_until is not None:
            # Scripts read the status and Retry-After; people read the form's message.
            wait = form.locked_until - timezone.now()
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(wait.total_seconds()))
        return response


login = _LoginView.as_view()
# POST only (Django's LogoutView refuses GET); redirects to LOGOUT_REDIRECT_URL.
logout = LogoutView.as_view()


class _PasswordChangeView(SuccessMessageMixin[PasswordChangeForm], PasswordChangeView):
    # PasswordChangeView requires login and keeps the session valid after the change.
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your password has been changed.")


password_change = _PasswordChangeView.as_view()


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(user, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Say it in the language just chosen, not the one this request started in.
            translation.activate(user.language)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    services.require_admin(request.user)
    return render(request, "accounts/user_list.html", {"users": User.objects.all()})


@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    services.require_admin(request.user)
    form = UserCreateForm(request.POST or None, initial={"role": User.Role.RECRUITER})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("User “%(user)s” created.") % {"user": user})
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": None})


@login_required
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    user = get_object_or_404(User, pk=pk)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(user, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if user.pk == request.user.pk:
                # A new own password would otherwise end this very session.
                update_session_auth_hash(request, user)
            messages.success(request, _("User “%(user)s” saved.") % {"user": user})
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": user})


def _tokens_page(
    request: AuthedRequest, form: TokenForm, new_token: tuple[ApiToken, str] | None = None
) -> HttpResponse:
    # htmx swaps only the tokens block; without JS the whole page comes back.
    template = "accounts/token_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#tokens"
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token}
    response = render(request, template, context)
    if new_token is not None:
        # The raw key is on this page once: no cache may keep a copy.
        add_never_cache_headers(response)
    return response


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.issue_token(request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the raw key must not travel through the session.
            return _tokens_page(request, TokenForm(), new_token)
    return _tokens_page(request, form)


@require_POST
@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = services.get_token_for(request.user, pk)
    services.revoke_token(token)
    if request.htmx:
        return _tokens_page(request, TokenForm())
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token-list")
