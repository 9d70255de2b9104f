"""The filters of the audit log page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ..models import AuditEntry
from ..services.audit import AuditFilters, actor_labels

LABEL_PREFIX = "label:"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        # A date input sends and expects ISO dates whatever the interface language.
        super().__init__(format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """Every field is optional; an invalid one is ignored rather than emptying the log."""

    talent = forms.IntegerField(label=_("Talent id"), required=False, min_value=1)
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEntry.Action.choices],
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ChoiceField)
        actor.choices = [
            ("", _("Everyone")),
            *((str(user.pk), user.with_username) for user in User.objects.all()),
            *((LABEL_PREFIX + label, label) for label in actor_labels()),
        ]

    def to_filters(self) -> AuditFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        actor = data.get("actor", "")
        return AuditFilters(
            talent_id=data.get("talent"),
            actor_id=int(actor) if actor.isdigit() else None,
            actor_label=actor.removeprefix(LABEL_PREFIX) if actor.startswith(LABEL_PREFIX) else "",
            action=data.get("action", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
