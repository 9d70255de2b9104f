"""Talent list, bulk actions and saved searches (pages)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


talent_list = _todo
talent_bulk = _todo
search_save = _todo
search_delete = _todo
