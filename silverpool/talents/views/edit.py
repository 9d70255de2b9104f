"""Create, edit and delete a talent (the manual channel)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


talent_create = _todo
talent_edit = _todo
talent_delete = _todo
