"""The email texts Silverpool ships, in German and English. Admins can override each one
on the "Email templates" page; these stay the fallback.

Placeholders use Django's template syntax (`{{ first_name }}`, `{% if notice %}…{% endif %}`)
and only the names in `PLACEHOLDERS`. Dates are written the way the email's language writes
them. The line with the privacy-page link is added below every email to a talent, so the
texts here do not carry it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONSENT_REQUEST = "consent_request"
CONSENT_REMINDER = "consent_reminder"
CONSENT_RENEWAL = "consent_renewal"
PRIVACY_NOTICE = "privacy_notice"
FORM_CONFIRMATION = "form_confirmation"
FORM_LINK = "form_link"
FORM_NOTIFICATION = "form_notification"

PLACEHOLDERS: dict[str, Promise] = {
    "first_name": _("The talent's first name"),
    "last_name": _("The talent's last name"),
    "company": _("Your company, as named in the privacy settings"),
    "consent_url": _("The link to the consent page"),
    "deadline": _("The day the talent's data is deleted without consent"),
    "valid_until": _("The day the current consent ends"),
    "notice": _("The privacy information under Art. 14 GDPR (may be empty)"),
    "privacy_url": _("The link to the talent's privacy page (also added below every email)"),
    "form_title": _("The title of the form"),
    "form_url": _("The link to the form, made for this talent"),
    "talent_url": _("The link to the talent's profile in Silverpool (for recruiters)"),
    "new_talent": _("Whether the form brought a new talent (for {% if new_talent %})"),
}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


# What every email to a talent is given (see outbox.queue_email).
TO_TALENT = ("first_name", "last_name", "company", "privacy_url")


@dataclass(frozen=True)
class Template:
    """A shipped email: what it is for, its text per language, and the placeholders its
    sender fills in (the editor offers those, and refuses the others)."""

    key: str
    name: Promise
    purpose: Promise
    texts: dict[str, Text]
    placeholders: tuple[str, ...]
    # Emails to talents end with the link to their privacy page; those to recruiters do not.
    to_talent: bool = True


TEMPLATES: dict[str, Template] = {
    CONSENT_REQUEST: Template(
        key=CONSENT_REQUEST,
        placeholders=(*TO_TALENT, "consent_url", "deadline", "notice"),
        name=_("Consent request"),
        purpose=_("Asks a talent for consent to keep their profile."),
        texts={
            "de": Text(
                subject="Dürfen wir Ihr Profil in unserem Talent-Pool behalten?",
                body="""Guten Tag {{ first_name }} {{ last_name }},

gern würden wir Sie auf künftige Stellen ansprechen, die zu Ihnen passen. Dafür möchten wir \
Ihr Profil in unserem Talent-Pool speichern – aber nur mit Ihrer Einwilligung.

Hier können Sie zustimmen oder ablehnen, es dauert keine Minute:
{{ consent_url }}
{% if deadline %}
Wenn wir bis zum {{ deadline }} nichts von Ihnen hören, löschen wir Ihre Daten.
{% endif %}
Viele Grüße
{{ company }}
{% if notice %}

{{ notice }}
{% endif %}""",
            ),
            "en": Text(
                subject="May we keep your profile in our talent pool?",
                body="""Hello {{ first_name }},

We would like to contact you about future roles that suit you. To do so, we would like to \
keep your profile in our talent pool – but only with your consent.

You can agree or decline here; it takes less than a minute:
{{ consent_url }}
{% if deadline %}
If we do not hear from you by {{ deadline }}, we will delete your data.
{% endif %}
Best regards
{{ company }}
{% if notice %}

{{ notice }}
{% endif %}""",
            ),
        },
    ),
    CONSENT_REMINDER: Template(
        key=CONSENT_REMINDER,
        placeholders=(*TO_TALENT, "consent_url", "deadline", "notice"),
        name=_("Consent reminder"),
        purpose=_("Reminds a talent who has not answered before the deadline."),
        texts={
            "de": Text(
                subject="Erinnerung: Dürfen wir Ihr Profil behalten?",
                body="""Guten Tag {{ first_name }} {{ last_name }},

vor Kurzem haben wir Sie gefragt, ob wir Ihr Profil in unserem Talent-Pool behalten dürfen. \
Eine Antwort haben wir noch nicht von Ihnen erhalten.

Hier können Sie zustimmen oder ablehnen:
{{ consent_url }}
{% if deadline %}
Ohne Ihre Zustimmung löschen wir Ihre Daten am {{ deadline }}.
{% endif %}
Viele Grüße
{{ company }}""",
            ),
            "en": Text(
                subject="Reminder: may we keep your profile?",
                body="""Hello {{ first_name }},

We recently asked whether we may keep your profile in our talent pool and have not heard \
back from you yet.

You can agree or decline here:
{{ consent_url }}
{% if deadline %}
Without your consent we will delete your data on {{ deadline }}.
{% endif %}
Best regards
{{ company }}""",
            ),
        },
    ),
    CONSENT_RENEWAL: Template(
        key=CONSENT_RENEWAL,
        placeholders=(*TO_TALENT, "consent_url", "valid_until", "notice"),
        name=_("Consent renewal"),
        purpose=_("Asks a talent to renew consent before it ends."),
        texts={
            "de": Text(
                subject="Möchten Sie in unserem Talent-Pool bleiben?",
                body="""Guten Tag {{ first_name }} {{ last_name }},

Ihre Einwilligung, dass wir Ihr Profil in unserem Talent-Pool speichern, endet \
{% if valid_until %}am {{ valid_until }}{% else %}bald{% endif %}. Wenn Sie \
weiterhin von uns hören möchten, bestätigen Sie sie bitte hier:
{{ consent_url }}

Wenn Sie nicht antworten, löschen wir Ihre Daten, sobald die Einwilligung abgelaufen ist.

Viele Grüße
{{ company }}""",
            ),
            "en": Text(
                subject="Would you like to stay in our talent pool?",
                body="""Hello {{ first_name }},

Your consent for us to keep your profile in our talent pool ends \
{% if valid_until %}on {{ valid_until }}{% else %}soon{% endif %}. If you would \
like to keep hearing from us, please confirm it here:
{{ consent_url }}

If you do not reply, we will delete your data once your consent has ended.

Best regards
{{ company }}""",
            ),
        },
    ),
    PRIVACY_NOTICE: Template(
        key=PRIVACY_NOTICE,
        placeholders=(*TO_TALENT, "notice"),
        name=_("Privacy notice"),
        purpose=_(
            "Informs a talent whose data did not come from them (Art. 14 GDPR), "
            "within a month of their arrival."
        ),
        texts={
            "de": Text(
                subject="Datenschutzhinweis: Wie wir mit Ihren Daten umgehen",
                body="""Guten Tag {{ first_name }} {{ last_name }},

wir haben Ihre Kontaktdaten und Angaben zu Ihrem beruflichen Werdegang gespeichert, weil wir \
Sie auf passende Stellen ansprechen möchten. Da wir diese Daten nicht direkt von Ihnen \
erhalten haben, informieren wir Sie nach Art. 14 DSGVO, wie wir sie verarbeiten und welche \
Rechte Sie haben.
{% if notice %}
{{ notice }}
{% endif %}
Sie müssen nichts weiter tun. Über den Link unten können Sie Ihre Daten jederzeit einsehen, \
herunterladen oder löschen lassen.

Viele Grüße
{{ company }}""",
            ),
            "en": Text(
                subject="Privacy information: how we handle your data",
                body="""Hello {{ first_name }},

We have stored your contact details and information about your career because we would like \
to contact you about suitable roles. As we did not receive this data from you directly, we \
are letting you know under Art. 14 GDPR how we process it and what your rights are.
{% if notice %}
{{ notice }}
{% endif %}
You do not need to do anything. Using the link below, you can see, download or delete your \
data at any time.

Best regards
{{ company }}""",
            ),
        },
    ),
    FORM_CONFIRMATION: Template(
        key=FORM_CONFIRMATION,
        placeholders=(*TO_TALENT, "form_title"),
        name=_("Form confirmation"),
        purpose=_("Confirms to a candidate that their form arrived."),
        texts={
            "de": Text(
                subject="Danke – wir haben Ihre Angaben erhalten",
                body="""Guten Tag {{ first_name }} {{ last_name }},

vielen Dank, dass Sie unser Formular „{{ form_title }}“ ausgefüllt haben. Ihre Angaben sind \
bei uns angekommen. Sobald wir eine passende Stelle für Sie haben, melden wir uns.

Viele Grüße
{{ company }}""",
            ),
            "en": Text(
                subject="Thank you – we have received your details",
                body="""Hello {{ first_name }},

Thank you for filling in our form "{{ form_title }}". Your details have reached us, and we \
will be in touch as soon as we have a suitable role for you.

Best regards
{{ company }}""",
            ),
        },
    ),
    FORM_LINK: Template(
        key=FORM_LINK,
        placeholders=(*TO_TALENT, "form_title", "form_url"),
        name=_("Form link"),
        purpose=_(
            "Asks a talent to complete or update their profile: the second step of a "
            "two-step form, or a follow-up form."
        ),
        texts={
            "de": Text(
                subject="{{ form_title }} – Ihr persönlicher Link",
                body="""Guten Tag {{ first_name }} {{ last_name }},

damit wir Ihnen wirklich passende Stellen vorschlagen können, bitten wir Sie um ein paar \
aktuelle Angaben. Was wir schon von Ihnen wissen, ist bereits eingetragen – es dauert nur \
wenige Minuten:
{{ form_url }}

Bitte geben Sie den Link nicht weiter: Er ist nur für Sie bestimmt und zeigt Ihre Daten.

Viele Grüße
{{ company }}""",
            ),
            "en": Text(
                subject="{{ form_title }} – your personal link",
                body="""Hello {{ first_name }},

So that we can suggest roles that really suit you, we would like to ask you for a few \
up-to-date details. What we already know is filled in – it only takes a few minutes:
{{ form_url }}

Please do not pass the link on: it is meant for you only and shows your data.

Best regards
{{ company }}""",
            ),
        },
    ),
    FORM_NOTIFICATION: Template(
        key=FORM_NOTIFICATION,
        placeholders=("company", "form_title", "talent_url", "new_talent"),
        name=_("Form notification (to recruiters)"),
        purpose=_(
            "Tells recruiters that someone sent in a form: those the form notifies, and "
            "the one the candidate names as their contact. It names nobody, so that it holds "
            "no personal data when the talent is erased later: the link opens the profile."
        ),
        to_talent=False,
        texts={
            "de": Text(
                subject="Formular „{{ form_title }}“ ausgefüllt",
                body="""Hallo,

über das Formular „{{ form_title }}“ ist \
{% if new_talent %}ein neues Talent{% else %}ein Update eines bekannten Talents{% endif %} \
eingegangen.

Zum Profil:
{{ talent_url }}""",
            ),
            "en": Text(
                subject='Form "{{ form_title }}" sent in',
                body="""Hello,

{% if new_talent %}A new talent{% else %}A talent you know{% endif %} has sent in the form \
"{{ form_title }}".

Open the profile:
{{ talent_url }}""",
            ),
        },
    ),
}
