"""Admin settings: statuses and custom fields."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


settings_page = _todo
status_create = _todo
status_edit = _todo
status_delete = _todo
field_create = _todo
field_edit = _todo
field_delete = _todo
