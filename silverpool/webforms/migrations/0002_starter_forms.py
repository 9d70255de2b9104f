"""Three forms to start from, in German and English: a talent form with the fields the
source document recommends (name, email, the last recruiter contact, areas of interest,
CV) and consent to the talent pool; a follow-up form with which talents keep their
profile fresh; and an application form. Only in an installation without forms."""

from django.db import migrations

# (kind, key, required, label_en, label_de); an empty label shows the field's usual one.
TALENT_FIELDS = [
    ("talent", "first_name", True, "", ""),
    ("talent", "last_name", True, "", ""),
    ("talent", "email", True, "", ""),
    ("recruiter", "recruiter", False, "", ""),
    (
        "question",
        "interests",
        False,
        "I am interested in roles in these areas",
        "Ich interessiere mich für Stellen in folgenden Bereichen",
    ),
    ("cv", "cv", False, "", ""),
]
# (help_en, help_de) by key: what a free-text answer could look like.
HELP = {
    "interests": (
        "For example: software development, sales, finance.",
        "Zum Beispiel: Softwareentwicklung, Vertrieb, Finanzen.",
    ),
}
FOLLOW_UP_FIELDS = [
    ("talent", "job_title", False, "", ""),
    ("talent", "skills", False, "", ""),
    ("talent", "salary_amount", False, "", ""),
    ("talent", "salary_period", False, "", ""),
    ("talent", "available_from", False, "", ""),
    ("talent", "city", False, "", ""),
    ("cv", "cv", False, "Your current CV", "Ihr aktueller Lebenslauf"),
]
APPLICATION_FIELDS = [
    ("talent", "first_name", True, "", ""),
    ("talent", "last_name", True, "", ""),
    ("talent", "email", True, "", ""),
    ("talent", "phone", False, "", ""),
    ("cv", "cv", True, "", ""),
]
FORMS = [
    {
        "kind": "talent",
        "title": "Talent pool sign-up",
        "description_en": (
            "Not the right job for you right now? Join our talent pool and we will get in "
            "touch when a role fits you. It takes a minute."
        ),
        "description_de": (
            "Gerade nicht die passende Stelle dabei? Werden Sie Teil unseres Talentpools: "
            "Wir melden uns, sobald eine Stelle zu Ihnen passt. Es dauert nur eine Minute."
        ),
        # No "you are in the pool now": without the consent box ticked, that waits for
        # consent; and the email confirms, it asks the candidate to do nothing.
        "thank_you_en": (
            "Thank you! Your details have arrived, and we will get in touch when a role fits "
            "you. A confirmation is on its way to your inbox."
        ),
        "thank_you_de": (
            "Vielen Dank! Ihre Angaben sind bei uns angekommen, und wir melden uns, sobald "
            "eine Stelle zu Ihnen passt. Eine Bestätigung ist per E-Mail unterwegs."
        ),
        "fields": TALENT_FIELDS,
        "purposes": ["talent_pool"],
    },
    {
        "kind": "follow_up",
        "title": "Profile update",
        "description_en": (
            "Please check your details and change what is no longer true, so that we only "
            "suggest roles that suit you."
        ),
        "description_de": (
            "Bitte prüfen Sie Ihre Angaben und ändern Sie, was nicht mehr stimmt, damit wir "
            "Ihnen nur passende Stellen vorschlagen."
        ),
        "thank_you_en": "Thank you! Your profile is up to date.",
        "thank_you_de": "Vielen Dank! Ihr Profil ist auf dem neuesten Stand.",
        "fields": FOLLOW_UP_FIELDS,
        "purposes": [],
    },
    {
        "kind": "application",
        "title": "Application",
        "description_en": "Apply in two minutes: your name, your contact details and your CV.",
        "description_de": (
            "Bewerben Sie sich in zwei Minuten: Ihr Name, Ihre Kontaktdaten und Ihr Lebenslauf."
        ),
        "thank_you_en": "Thank you for your application! We will be in touch soon.",
        "thank_you_de": "Vielen Dank für Ihre Bewerbung! Wir melden uns bald bei Ihnen.",
        "fields": APPLICATION_FIELDS,
        "purposes": [],
    },
]


def forwards(apps, schema_editor):
    Form = apps.get_model("webforms", "Form")
    FormField = apps.get_model("webforms", "FormField")
    Purpose = apps.get_model("privacy", "Purpose")
    if Form.objects.exists():
        return
    for spec in FORMS:
        values = {k: v for k, v in spec.items() if k not in ("fields", "purposes")}
        form = Form.objects.create(languages=["de", "en"], **values)
        FormField.objects.bulk_create(
            FormField(
                form=form,
                kind=kind,
                key=key,
                required=required,
                label_en=label_en,
                label_de=label_de,
                help_en=HELP.get(key, ("", ""))[0],
                help_de=HELP.get(key, ("", ""))[1],
                position=position,
            )
            for position, (kind, key, required, label_en, label_de) in enumerate(spec["fields"])
        )
        form.purposes.set(Purpose.objects.filter(key__in=spec["purposes"]))


class Migration(migrations.Migration):
    dependencies = [
        ("webforms", "0001_initial"),
        ("privacy", "0002_defaults"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
