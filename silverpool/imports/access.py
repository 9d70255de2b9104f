"""Who may see and act on an import: recruiters and admins import; a recruiter sees the
imports they uploaded, an admin sees all of them."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..accounts.models import User
from ..talents.services import require_editor
from .models import ImportJob


def jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """The imports `user` may open: their own, or all for an admin (none for viewers)."""
    if user.is_admin:
        return ImportJob.objects.all()
    if not user.can_edit:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(uploaded_by=user)


def get_job_for(user: User, pk: int) -> ImportJob:
    """The import `pk` if `user` may act on it; 403 for viewers, 404 for someone else's."""
    require_editor(user)
    job = jobs_visible_to(user).select_related("uploaded_by").filter(pk=pk).first()
    if job is None:
        raise Http404(_("There is no such import."))
    return job
