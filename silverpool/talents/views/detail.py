"""Talent detail page and its in-place edits."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built")


talent_detail = _todo
talent_field = _todo
talent_status = _todo
talent_owner = _todo
talent_pool_add = _todo
talent_pool_remove = _todo
talent_tag_add = _todo
talent_tag_remove = _todo
note_add = _todo
note_edit = _todo
note_delete = _todo
document_add = _todo
document_download = _todo
document_delete = _todo
talent_merge = _todo
merge_undo = _todo
duplicate_dismiss = _todo
