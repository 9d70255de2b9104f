"""The talents app's pages, one module per page or per part of the detail page."""

from . import catalog, detail, documents, edit, inline, listing, merge, notes, settings

__all__ = [
    "catalog",
    "detail",
    "documents",
    "edit",
    "inline",
    "listing",
    "merge",
    "notes",
    "settings",
]
