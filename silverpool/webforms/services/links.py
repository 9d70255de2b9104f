"""Signed links to a follow-up form for one talent (a follow-up request, or the second
step of a two-step form). The link names the talent, the form and the talent's link key:
erasing the talent (or revoking their links) kills it, and it expires after
FORM_LINK_DAYS. Only the talent's own mailbox gets it, since the form shows their data."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ...privacy.models import LegalBasis
from ...talents.models import Talent
from ..models import Form

LINK_SALT = "silverpool.webforms.follow-up"


class LinkProblem(Exception):
    """A follow-up link that cannot be used; `expired` tells an old link from a bad one."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def follow_up_token(form: Form, talent: Talent) -> str:
    basis = LegalBasis.objects.get(talent=talent)
    return signing.dumps([form.pk, talent.pk, basis.link_key], salt=LINK_SALT, compress=True)


def follow_up_url(form: Form, talent: Talent) -> str:
    path = reverse("webforms:follow-up", args=[form.public_id, follow_up_token(form, talent)])
    return settings.SITE_URL + path


def talent_for_link(form: Form, token: str) -> Talent:
    """The talent a link to `form` was made for; raises LinkProblem."""
    try:
        form_id, talent_id, link_key = signing.loads(
            token, salt=LINK_SALT, max_age=datetime.timedelta(days=settings.FORM_LINK_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise LinkProblem(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkProblem(expired=False) from exc
    basis = (
        LegalBasis.objects.select_related("talent")
        .filter(talent_id=talent_id, talent__merged_into__isnull=True)
        .first()
    )
    if form_id != form.pk or basis is None or basis.link_key != link_key:
        raise LinkProblem(expired=False)
    return basis.talent
