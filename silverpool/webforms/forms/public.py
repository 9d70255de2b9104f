"""The form a candidate fills in, built from a Form's fields.

It is the talent form of the manual channel cut down to the fields the form has (so
values are read and checked exactly as everywhere else), plus what only public forms
have: the CV, free-text questions, the last recruiter contact, the consent boxes, the
honeypot and the signed token.
"""

import hashlib
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ...privacy import services as privacy
from ...talents import documents
from ...talents.forms.talent import CUSTOM_PREFIX, TalentForm, assignable_owners
from ...talents.models import Talent
from ..models import Form, FormField
from ..services import HONEYPOT, Entry
from ..services.catalog import default_label

CV = "cv"
RECRUITER = "recruiter"
QUESTION_PREFIX = "q_"
CONSENT_PREFIX = "consent_"
TOKEN = "form_token"  # noqa: S105 - the input's name, not a secret
# What browsers fill in for people, and read out with the field (WCAG 1.3.5).
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "postcode": "postal-code",
    "city": "address-level2",
    "country": "country",
    "job_title": "organization-title",
}


def field_name(field: FormField) -> str:
    """The name of a form field's input on the page."""
    match field.kind:
        case FormField.Kind.CUSTOM:
            return CUSTOM_PREFIX + field.key
        case FormField.Kind.CV:
            return CV
        case FormField.Kind.RECRUITER:
            return RECRUITER
        case FormField.Kind.QUESTION:
            return QUESTION_PREFIX + field.key
    return field.key


class RecruiterChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


class PublicForm(TalentForm):
    """A Form as candidates see it, in the active language."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        form: Form,
        talent: Talent | None = None,
        token: str = "",
    ) -> None:
        self.form = form
        fields = list(form.fields.all())
        super().__init__(data, files=files, talent=talent, only={field_name(f) for f in fields})
        # A custom field an admin deleted since the form was built is left out.
        profile = {FormField.Kind.TALENT, FormField.Kind.CUSTOM}
        self.form_fields = [
            f for f in fields if f.kind not in profile or field_name(f) in self.fields
        ]
        for field in self.form_fields:
            name = field_name(field)
            self.fields[name] = self._field_for(field, self.fields.get(name))
        self.order_fields([field_name(f) for f in self.form_fields])
        self.purposes = self._consent_boxes() if form.kind != Form.Kind.FOLLOW_UP else []
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[TOKEN] = forms.CharField(widget=forms.HiddenInput, initial=token)

    def _field_for(self, field: FormField, talent_field: forms.Field | None) -> forms.Field:
        made: forms.Field
        if field.kind == FormField.Kind.CV:
            made = forms.FileField(
                widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.odt"}),
                help_text=_("PDF, Word (docx) or OpenDocument (odt)."),
            )
        elif field.kind == FormField.Kind.RECRUITER:
            # By name only: a public page must not show login names.
            named = assignable_owners().exclude(first_name="", last_name="")
            made = RecruiterChoice(
                queryset=named.order_by("first_name", "last_name"),
                empty_label=_("— I don't remember / nobody —"),
            )
        elif field.kind == FormField.Kind.QUESTION:
            made = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
        else:
            assert talent_field is not None
            made = talent_field
        made.required = field.required
        # A custom field's form field already has its label; others get a default.
        if field.kind != FormField.Kind.CUSTOM:
            made.label = default_label(field)
        made.label = field.label or made.label
        if field.help_text:
            made.help_text = field.help_text
        if field.kind == FormField.Kind.TALENT and field.key in AUTOCOMPLETE:
            made.widget.attrs["autocomplete"] = AUTOCOMPLETE[field.key]
        return made

    def _consent_boxes(self) -> list[str]:
        language = self.form_language()
        texts = privacy.current_texts(language)
        keys = []
        for purpose in self.form.purposes.all():
            text = texts.get(purpose.key)
            if text is None:
                continue
            self.fields[CONSENT_PREFIX + purpose.key] = forms.BooleanField(
                label=text.text, required=False
            )
            keys.append(purpose.key)
        return keys

    def form_language(self) -> str:
        return translation.get_language() or "en"

    def clean_cv(self) -> Any:
        upload = self.cleaned_data.get(CV)
        if upload:
            documents.detect_type(upload, upload.size or 0)
            upload.seek(0)
        return upload

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[CONSENT_PREFIX + key] for key in self.purposes]

    def visible_fields_in_order(self) -> list[forms.BoundField]:
        return [self[field_name(f)] for f in self.form_fields]

    def entry(self, *, campaign: dict[str, str], ip_address: str | None, user_agent: str) -> Entry:
        """What the candidate sent, for the submit service (after is_valid)."""
        data = self.talent_data()
        answers = [
            {"question": f.label or default_label(f), "answer": self.cleaned_data[field_name(f)]}
            for f in self.form_fields
            if f.kind == FormField.Kind.QUESTION and self.cleaned_data.get(field_name(f))
        ]
        return Entry(
            language=self.form_language(),
            values=data,
            answers=answers,
            consents=[k for k in self.purposes if self.cleaned_data.get(CONSENT_PREFIX + k)],
            cv=self.cleaned_data.get(CV) or None,
            recruiter=self.cleaned_data.get(RECRUITER),
            campaign=campaign,
            ip_address=ip_address,
            user_agent=user_agent,
            once=hashlib.sha256(self.cleaned_data[TOKEN].encode()).hexdigest(),
        )
