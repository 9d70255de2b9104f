"""Pools and tags pages."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


pool_list = _todo
pool_create = _todo
pool_edit = _todo
pool_delete = _todo
tag_list = _todo
tag_create = _todo
tag_edit = _todo
tag_delete = _todo
