"""The suppression list at intake (R24): a person who withdrew or was erased does not come
back into campaigns through an import, the ATS, the API or a public form (anyone can type
any address into one); consent given through a link emailed to them (the consent or privacy
page) lifts the suppression."""

import pytest

from silverpool.privacy import services
from silverpool.privacy.models import ConsentRecord, LegalBasis, Purpose, Suppression
from silverpool.talents import services as talents
from silverpool.talents.models import Talent

BOTH = (Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)


def arrive(method: ConsentRecord.Method, source: Talent.SourceKind) -> Talent:
    grant = services.ConsentGrant(method=method, language="en", given=BOTH)
    return talents.intake_talent(
        {"first_name": "Mara", "email": "Mara@Example.com"},
        actor=None,
        actor_label="Nightly import",
        source_kind=source,
        consent=grant,
    ).talent


@pytest.mark.parametrize(
    ("method", "source"),
    [
        (ConsentRecord.Method.IMPORT, Talent.SourceKind.IMPORT),
        (ConsentRecord.Method.ATS, Talent.SourceKind.ATS),
        (ConsentRecord.Method.API, Talent.SourceKind.API),
    ],
)
def test_an_erased_person_is_not_brought_back_into_campaigns_by_a_channel(
    db: None, method: ConsentRecord.Method, source: Talent.SourceKind
) -> None:
    services.suppress("mara@example.com", Suppression.Reason.ERASED)

    talent = arrive(method, source)

    given = set(
        ConsentRecord.objects.filter(talent=talent, decision="given").values_list(
            "purpose__key", flat=True
        )
    )
    assert given == {Purpose.TALENT_POOL}
    assert LegalBasis.objects.get(talent=talent).purposes == [Purpose.TALENT_POOL]
    assert services.is_suppressed(talent.email)
    assert not services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)


def test_a_known_talent_who_withdrew_is_not_resubscribed_by_the_next_import(db: None) -> None:
    talent = arrive(ConsentRecord.Method.IMPORT, Talent.SourceKind.IMPORT)
    services.withdraw_consent(
        talent, [Purpose.EMAIL_CAMPAIGNS], method=ConsentRecord.Method.PRIVACY_PAGE, actor=None
    )

    again = arrive(ConsentRecord.Method.IMPORT, Talent.SourceKind.IMPORT)

    assert again.pk == talent.pk
    assert LegalBasis.objects.get(talent=talent).purposes == [Purpose.TALENT_POOL]
    assert not services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)


def test_consent_ticked_on_a_public_form_does_not_lift_the_suppression(db: None) -> None:
    services.suppress("mara@example.com", Suppression.Reason.WITHDRAWN)

    talent = arrive(ConsentRecord.Method.FORM, Talent.SourceKind.FORM)

    assert services.is_suppressed(talent.email)
    assert LegalBasis.objects.get(talent=talent).purposes == [Purpose.TALENT_POOL]
    assert not services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)


def test_a_person_not_on_the_list_keeps_the_campaign_consent_of_an_import(db: None) -> None:
    talent = arrive(ConsentRecord.Method.IMPORT, Talent.SourceKind.IMPORT)

    assert LegalBasis.objects.get(talent=talent).purposes == sorted(BOTH)
    assert services.may_email(talent, Purpose.EMAIL_CAMPAIGNS)
