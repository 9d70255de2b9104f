"""The two purposes every talent pool needs, with first consent texts, and a legal basis
for talents that existed before the privacy app: awaiting consent, with a full deadline
from today so that nobody is deleted by surprise."""

import datetime
import hashlib
import secrets

from django.db import migrations
from django.utils import timezone

PURPOSES = [
    {
        "key": "talent_pool",
        "position": 0,
        "name_en": "Talent pool",
        "name_de": "Talentpool",
        "texts": {
            "en": (
                "I agree that my profile, my CV and my contact details are kept in the talent "
                "pool so that I can be contacted about suitable job openings. My consent is "
                "valid for the period stated and I can withdraw it at any time, as easily as I "
                "gave it, through the link in every email; my data is then deleted."
            ),
            "de": (
                "Ich willige ein, dass mein Profil, mein Lebenslauf und meine Kontaktdaten im "
                "Talentpool gespeichert werden, damit ich zu passenden offenen Stellen "
                "kontaktiert werden kann. Meine Einwilligung gilt für den genannten Zeitraum; "
                "ich kann sie jederzeit so einfach widerrufen, wie ich sie erteilt habe, über "
                "den Link in jeder E-Mail. Meine Daten werden dann gelöscht."
            ),
        },
    },
    {
        "key": "email_campaigns",
        "position": 1,
        "name_en": "Job news by email",
        "name_de": "Stellen-News per E-Mail",
        "texts": {
            "en": (
                "I would like to receive emails about job openings, events and news from the "
                "company. I can unsubscribe at any time through the link in every email."
            ),
            "de": (
                "Ich möchte E-Mails zu offenen Stellen, Veranstaltungen und Neuigkeiten des "
                "Unternehmens erhalten. Ich kann mich jederzeit über den Link in jeder E-Mail "
                "abmelden."
            ),
        },
    },
]
BATCH = 2000


def forwards(apps, schema_editor):
    Purpose = apps.get_model("privacy", "Purpose")
    ConsentText = apps.get_model("privacy", "ConsentText")
    Policy = apps.get_model("privacy", "Policy")
    LegalBasis = apps.get_model("privacy", "LegalBasis")
    Talent = apps.get_model("talents", "Talent")
    Policy.objects.get_or_create(pk=1, defaults={"reminder_days": [7, 2]})
    for spec in PURPOSES:
        purpose, created = Purpose.objects.get_or_create(
            key=spec["key"],
            defaults={k: spec[k] for k in ("position", "name_en", "name_de")},
        )
        if created:
            for language, text in spec["texts"].items():
                ConsentText.objects.create(
                    purpose=purpose,
                    language=language,
                    version=1,
                    text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                )
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    pending = Talent.objects.filter(legal_basis__isnull=True).values_list("pk", flat=True)
    ids = list(pending)
    for start in range(0, len(ids), BATCH):
        LegalBasis.objects.bulk_create(
            LegalBasis(
                talent_id=pk,
                state="awaiting_consent",
                consent_deadline=deadline,
                due_on=deadline,
                notice_due_on=deadline,
                link_key=secrets.token_urlsafe(24),
            )
            for pk in ids[start : start + BATCH]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("talents", "0005_alter_event_kind"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
