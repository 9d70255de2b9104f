"""The template editor's form: it parses input; the services check that the text renders."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 20})
    )
