"""Login, profile, users and roles, API tokens."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


login = _todo
logout = _todo
password_change = _todo
profile = _todo
user_list = _todo
user_create = _todo
user_edit = _todo
token_list = _todo
token_revoke = _todo
