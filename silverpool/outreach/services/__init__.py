"""The outreach app's use cases: queue email to talents, send it, edit its texts."""

from .delivery import deliver_email, due_emails
from .outbox import cancel_emails_for, queue_email
from .templates import (
    TemplateRow,
    check_template,
    company_name,
    get_template,
    preview_email,
    render_email,
    reset_template,
    save_template,
    template_row,
    template_rows,
)

__all__ = [
    "TemplateRow",
    "cancel_emails_for",
    "check_template",
    "company_name",
    "deliver_email",
    "due_emails",
    "get_template",
    "preview_email",
    "queue_email",
    "render_email",
    "reset_template",
    "save_template",
    "template_row",
    "template_rows",
]
