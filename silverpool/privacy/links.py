"""Signed links that let a talent act without an account: the privacy page (in every
email) and the consent page (in a consent request).

A privacy link carries the talent's `link_key`; erasing the talent (or rotating the key)
makes every link sent before dead. A consent link names one request and is checked
against that request's expiry and answer in the database, so it works once and not
after it expired, whatever the signature says.
"""

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from .models import ConsentRequest, LegalBasis

PRIVACY_SALT = "silverpool.privacy.page"
CONSENT_SALT = "silverpool.privacy.consent"


def privacy_token(basis: LegalBasis) -> str:
    return signing.dumps([basis.talent_id, basis.link_key], salt=PRIVACY_SALT, compress=True)


def basis_for_privacy_token(token: str) -> LegalBasis | None:
    """The legal basis (and so the talent) a privacy link is for; None if the link was
    tampered with or the talent no longer exists or its links were revoked."""
    try:
        talent_id, link_key = signing.loads(token, salt=PRIVACY_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    basis = (
        LegalBasis.objects.select_related("talent")
        .filter(talent_id=talent_id, talent__merged_into__isnull=True)
        .first()
    )
    if basis is None or basis.link_key != link_key:
        return None
    return basis


def privacy_url(basis: LegalBasis) -> str:
    return settings.SITE_URL + reverse("privacy:privacy-page", args=[privacy_token(basis)])


def consent_token(request: ConsentRequest) -> str:
    return signing.dumps([request.pk, request.talent_id], salt=CONSENT_SALT)


def request_for_consent_token(token: str) -> ConsentRequest | None:
    """The consent request a link answers; None if tampered with or the request is gone.
    Expiry and a previous answer are for the caller to show."""
    try:
        request_id, talent_id = signing.loads(token, salt=CONSENT_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    # A merge moves the duplicate's requests to the primary talent; their links still work.
    return (
        ConsentRequest.objects.select_related("talent", "talent__legal_basis")
        .filter(Q(talent_id=talent_id) | Q(talent__merged_from=talent_id), pk=request_id)
        .first()
    )


def consent_url(request: ConsentRequest) -> str:
    return settings.SITE_URL + reverse("privacy:consent-page", args=[consent_token(request)])
