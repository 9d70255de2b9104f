"""The imports app's use cases: upload, mapping, check (preview), run, cancel, undo and
the rejected-rows report."""

from .check import check_report, expected_rows, request_check
from .cleanup import discard_job
from .report import write_rejected_rows
from .run import cancel_import, start_import, stop_refusal
from .spool import discard_upload
from .undo import can_undo, keeps_recorded_consent, request_undo, undo_import
from .upload import (
    MAPPABLE,
    MappingProblem,
    apply_saved_mapping,
    check_mapping,
    choose_sheet,
    create_job,
    glance_at,
    imported_before,
    keep_sheets_and_examples,
    save_mapping,
    save_suggestion,
    saved_mapping_in_use,
    targets_of,
)

__all__ = [
    "MAPPABLE",
    "MappingProblem",
    "apply_saved_mapping",
    "can_undo",
    "cancel_import",
    "check_mapping",
    "check_report",
    "choose_sheet",
    "create_job",
    "discard_job",
    "discard_upload",
    "expected_rows",
    "glance_at",
    "imported_before",
    "keep_sheets_and_examples",
    "keeps_recorded_consent",
    "request_check",
    "request_undo",
    "save_mapping",
    "save_suggestion",
    "saved_mapping_in_use",
    "start_import",
    "stop_refusal",
    "targets_of",
    "undo_import",
    "write_rejected_rows",
]
