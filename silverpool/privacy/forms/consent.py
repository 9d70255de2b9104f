"""The form on the talent's privacy panel for consent a talent gave by phone or in person."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import ConsentText, Purpose


class RecordedConsentForm(forms.Form):
    """What the talent agreed to, in which language the text was read out, and the
    recruiter's note: the only proof there is of a consent given without a click."""

    purposes = forms.MultipleChoiceField(
        label=_("The talent agreed to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one purpose the talent agreed to.")},
    )
    language = forms.ChoiceField(
        label=_("Text read to the talent in"), choices=ConsentText.Language.choices
    )
    note = forms.CharField(
        label=_("How and when"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For example: “Phone call on 3 March, read out both texts, agreed to both.”"),
        error_messages={"required": _("Write down how and when the talent agreed.")},
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, language: str = "en") -> None:
        super().__init__(data, prefix="recorded", initial={"language": language})
        field = self.fields["purposes"]
        assert isinstance(field, forms.MultipleChoiceField)
        # Purposes are named in the recruiter's language, whatever the talent's.
        shown_in = translation.get_language()
        field.choices = [(p.key, p.name(shown_in)) for p in Purpose.objects.all()]
