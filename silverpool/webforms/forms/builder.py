"""The builder's forms: a new form, its settings, the sites that may embed it, its fields,
and the branding. They read what the user typed; the builder service decides what is valid
(its ValidationError names the setting, so the message lands next to the field)."""

from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ...privacy.models import Purpose
from ...talents.forms.talent import assignable_owners
from ...talents.models import Tag
from ...talents.services import pools_visible_to
from ..models import Form, FormField, Language
from ..services import (
    addable_custom_fields,
    addable_single_kinds,
    addable_talent_fields,
    second_step_choices,
)
from ..services.builder import SETTINGS
from ..services.catalog import default_label

# The settings on the edit page, in their order; allowed_origins has a form of its own.
SETTINGS_FIELDS = [name for name in SETTINGS if name != "allowed_origins"]


class BuilderForm(forms.Form):
    """Labels without a colon, as on the talent form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NewForm(BuilderForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Form.Kind.choices, widget=forms.RadioSelect, initial="talent"
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Talents who send the form get it as their source, e.g. “Careers page”."),
    )


class PurposesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Purpose) -> str:
        return obj.name(translation.get_language() or "en")


class SecondStepChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    # An inactive form may be chosen (to switch on later), but no link to it goes out.
    def label_from_instance(self, obj: Form) -> str:
        if obj.is_active:
            return obj.title
        return _("%(title)s (inactive: no link is sent)") % {"title": obj.title}


class SettingsForm(BuilderForm):
    """Everything about a form but its fields and the sites that may embed it."""

    def __init__(self, data: Any = None, *, form: Form, user: User) -> None:
        initial = model_to_dict(form, fields=SETTINGS_FIELDS)
        super().__init__(data, initial=initial)
        self.fields.update(
            fields_for_model(
                Form,
                fields=SETTINGS_FIELDS,
                widgets={
                    "description_en": forms.Textarea(attrs={"rows": 3}),
                    "description_de": forms.Textarea(attrs={"rows": 3}),
                    "thank_you_en": forms.Textarea(attrs={"rows": 2}),
                    "thank_you_de": forms.Textarea(attrs={"rows": 2}),
                },
            )
        )
        owners = assignable_owners().order_by("first_name", "last_name", "username")
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Languages"),
            choices=Language.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Candidates see the form in their browser's language if it is offered."),
        )
        for name in ("heading_de", "heading_en"):
            self.fields[name].help_text = _(
                "What candidates read above the form; when empty, the title. The title "
                "stays the talents' source."
            )
        self.fields["redirect_url"].help_text = _(
            "Instead of the thank-you text, open this page after sending (not inside an "
            "embedding site: there the thank-you text shows)."
        )
        # The widget first: setting a queryset hands its choices to the widget of the moment.
        self.fields["pools"].widget = forms.CheckboxSelectMultiple()
        self.fields["pools"].queryset = pools_visible_to(user)  # type: ignore[attr-defined]
        self.fields["tags"].widget = forms.CheckboxSelectMultiple()
        self.fields["tags"].queryset = Tag.objects.all()  # type: ignore[attr-defined]
        self.fields["status"].empty_label = _("The default status")  # type: ignore[attr-defined]
        self.fields["status"].help_text = _("Talents the form adds get it; known ones keep theirs.")
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Owner for new talents"),
            queryset=owners,
            required=False,
            empty_label=_("The recruiter the candidate names, if any"),
        )
        self.fields["notify"] = forms.ModelMultipleChoiceField(
            label=_("Recruiters to notify"),
            queryset=owners,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("They get an email for each sent form."),
        )
        self.fields["is_active"].help_text = _(
            "An inactive form keeps its address but says it is no longer available."
        )
        if form.kind == Form.Kind.FOLLOW_UP:
            # The talent is known and consented already; a follow-up form ends there.
            for name in ("pools", "tags", "status", "owner", "purposes", "second_step"):
                del self.fields[name]
        else:
            self.fields["purposes"] = PurposesChoice(
                label=_("Consent boxes"),
                queryset=Purpose.objects.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "One box per purpose, unticked, with the current consent text in the "
                    "candidate's language."
                ),
            )
            step = self.fields["second_step"]
            self.fields["second_step"] = SecondStepChoice(
                label=step.label,
                queryset=second_step_choices(form),
                required=False,
                empty_label=_("None"),
                help_text=step.help_text,
            )
        self.order_fields(SETTINGS_FIELDS)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The settings grouped the way the page shows them, in fieldsets."""
        groups: list[tuple[Any, tuple[str, ...]]] = [
            (
                _("Texts"),
                (
                    "title",
                    "heading_de",
                    "heading_en",
                    "description_de",
                    "description_en",
                    "languages",
                ),
            ),
            (_("After sending"), ("thank_you_de", "thank_you_en", "redirect_url", "notify")),
            (_("New talents"), ("pools", "tags", "status", "owner")),
            (_("Consent and second step"), ("purposes", "second_step")),
            (_("Availability"), ("is_active",)),
        ]
        return [
            (str(legend), [self[n] for n in names if n in self.fields])
            for legend, names in groups
            if any(n in self.fields for n in names)
        ]

    def values(self) -> dict[str, Any]:
        """The settings for update_form (after is_valid)."""
        return {name: self.cleaned_data[name] for name in self.fields}


class SitesForm(BuilderForm):
    allowed_origins = forms.CharField(
        label=_("Sites allowed to embed the form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One address per line, e.g. https://www.example.com."),
    )

    def __init__(self, data: Any = None, *, form: Form) -> None:
        initial = {"allowed_origins": "\n".join(form.allowed_origins)}
        super().__init__(data, initial=initial)

    def lines(self) -> list[str]:
        return str(self.cleaned_data["allowed_origins"]).splitlines()


class AddFieldForm(BuilderForm):
    """Which field to add: a talent or custom field, the CV or the recruiter question,
    as "kind:key"."""

    def __init__(self, data: Any = None, *, form: Form) -> None:
        super().__init__(data, auto_id="add-%s")
        probe = FormField(form=form)
        choices: list[tuple[Any, Any]] = [("", "—")]
        talent = []
        for key in addable_talent_fields(form):
            probe.kind, probe.key = FormField.Kind.TALENT, key
            talent.append((f"talent:{key}", default_label(probe)))
        if talent:
            choices.append((_("Talent fields"), talent))
        custom = [(f"custom:{c.key}", c.label) for c in addable_custom_fields(form)]
        if custom:
            choices.append((_("Custom fields"), custom))
        other = []
        for kind in addable_single_kinds(form):
            probe.kind, probe.key = kind, kind
            other.append((f"{kind}:{kind}", default_label(probe)))
        if other:
            choices.append((_("More"), other))
        self.fields["field"] = forms.ChoiceField(label=_("Add a field"), choices=choices)

    def kind_and_key(self) -> tuple[str, str]:
        kind, _sep, key = str(self.cleaned_data["field"]).partition(":")
        return kind, key


class QuestionForm(BuilderForm):
    label_de = forms.CharField(label=_("Question (German)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=200, required=False)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, auto_id="question-%s")


FIELD_FIELDS = ["label_de", "label_en", "help_de", "help_en"]


class FieldForm(BuilderForm):
    """A field's labels and help texts (whether it is required has a switch of its own);
    a label left empty shows the field's usual one. Prefixed: the page has one per field."""

    def __init__(self, data: Any = None, *, field: FormField) -> None:
        self.field = field
        initial = model_to_dict(field, fields=FIELD_FIELDS)
        super().__init__(data, initial=initial, prefix=f"field-{field.pk}")
        self.fields.update(fields_for_model(FormField, fields=FIELD_FIELDS))


class BrandingForm(BuilderForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("PNG, JPEG or WebP, at most 1 MB. It shows at the top of the form pages."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    colour = forms.CharField(
        label=_("Colour"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_(
            "Buttons, links and the focus outline of the form pages. Buttons have white "
            "text on it, so it has to be dark enough to read."
        ),
    )
