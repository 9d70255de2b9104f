"""The talents app's use cases: the only way other code changes talents."""

from .access import (
    count_pool_talents,
    count_tag_talents,
    get_document_for,
    get_note_for,
    get_pool_for,
    get_talent_for,
    hide_private_pool_names,
    pools_visible_to,
    pools_with_counts,
    require_admin,
    require_editor,
    tags_with_counts,
    with_list_relations,
)
from .bulk import (
    bulk_add_tag,
    bulk_add_to_pool,
    bulk_delete,
    bulk_remove_from_pool,
    bulk_remove_tag,
    bulk_set_owner,
    bulk_set_status,
)
from .catalog import delete_pool, delete_tag, get_or_create_tag, save_pool, save_tag
from .documents import (
    add_document,
    delete_document,
    extract_document_text,
    stalled_extractions,
    sweep_orphan_files,
)
from .duplicates import dismiss_duplicate, open_duplicate_flags
from .events import record_event
from .intake import IntakeResult, find_by_emails, intake_talent, update_talent, update_talents
from .lifecycle import delete_talent, delete_talents
from .membership import add_tag, add_to_pool, remove_from_pool, remove_tag, set_owner, set_status
from .merge import merge_talents, undo_merge
from .notes import add_note, can_change_note, delete_note, delete_notes, edit_note
from .saved_searches import delete_search, save_search
from .settings import (
    custom_field_usage,
    delete_custom_field,
    delete_status,
    save_custom_field,
    save_status,
    status_delete_blocker,
)

__all__ = [
    "find_by_emails",
    "IntakeResult",
    "add_document",
    "add_note",
    "add_tag",
    "add_to_pool",
    "bulk_add_tag",
    "bulk_add_to_pool",
    "bulk_delete",
    "bulk_remove_from_pool",
    "bulk_remove_tag",
    "bulk_set_owner",
    "bulk_set_status",
    "can_change_note",
    "count_pool_talents",
    "count_tag_talents",
    "custom_field_usage",
    "delete_custom_field",
    "delete_document",
    "delete_note",
    "delete_notes",
    "delete_search",
    "delete_pool",
    "delete_status",
    "delete_tag",
    "delete_talent",
    "delete_talents",
    "dismiss_duplicate",
    "edit_note",
    "extract_document_text",
    "get_document_for",
    "get_note_for",
    "get_or_create_tag",
    "get_pool_for",
    "get_talent_for",
    "hide_private_pool_names",
    "intake_talent",
    "merge_talents",
    "open_duplicate_flags",
    "pools_visible_to",
    "pools_with_counts",
    "record_event",
    "remove_from_pool",
    "remove_tag",
    "require_admin",
    "require_editor",
    "save_custom_field",
    "save_pool",
    "save_search",
    "save_status",
    "save_tag",
    "set_owner",
    "set_status",
    "stalled_extractions",
    "sweep_orphan_files",
    "status_delete_blocker",
    "tags_with_counts",
    "undo_merge",
    "update_talent",
    "update_talents",
    "with_list_relations",
]
