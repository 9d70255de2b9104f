"""Which language consent mail to a talent is written in. Talents have no language field,
so it is inferred, in this order:

1. the language the talent last chose themself (the consent or privacy page, a form), else
   the language of the last consent mail they got, so that reminders follow the request;
2. German for a talent in Germany, Austria or Switzerland, English for any other country:
   the talent's own data says more about them than the recruiter's screen does;
3. without a country, the interface language of the recruiter asking, or of the talent's
   owner when the scheduler asks;
4. English.

The consent page can always be switched between German and English.
"""

from django.apps import apps

from ...accounts.models import User
from ...talents.models import Talent
from ..models import ConsentRecord, ConsentRequest
from .basis import SELF_GIVEN
from .policy import LANGUAGES

GERMAN_SPEAKING = {"DE", "AT", "CH"}


def mail_language(talent: Talent, *, actor: User | None = None) -> str:
    """The language ("de" or "en") to write to `talent` in."""
    # The webforms app builds on this one, so its model is looked up, not imported.
    submissions = apps.get_model("webforms", "Submission").objects.filter(talent=talent)
    chosen = [
        latest
        for latest in (
            ConsentRecord.objects.filter(talent=talent, method__in=SELF_GIVEN)
            .exclude(language="")
            .order_by("-created_at")
            .values_list("created_at", "language")
            .first(),
            submissions.order_by("-created_at").values_list("created_at", "language").first(),
        )
        if latest is not None and latest[1] in LANGUAGES
    ]
    if chosen:
        return str(max(chosen)[1])
    last_asked = (
        ConsentRequest.objects.filter(talent=talent).values_list("language", flat=True).first()
    )
    if last_asked in LANGUAGES:
        return last_asked
    country = talent.country.code if talent.country else ""
    if country:
        return "de" if country in GERMAN_SPEAKING else "en"
    recruiter = actor or talent.owner
    if recruiter is not None and recruiter.language in LANGUAGES:
        return recruiter.language
    return "en"
