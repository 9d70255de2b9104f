"""Forms of the data-subject request pages: register, extend and close a request."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...accounts.models import User
from ...talents.models import Talent
from ..models import DataSubjectRequest
from ..services.dsr import MAX_EXTENSION_MONTHS
from .audit import DateInput


class RequestForm(forms.Form):
    """A new request. The talent is found by id or email among the talents the user may
    see; a request from someone not in the pool has no talent."""

    kind = forms.ChoiceField(label=_("Request"), choices=DataSubjectRequest.Kind.choices)
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=DataSubjectRequest.Channel.choices,
        initial=DataSubjectRequest.Channel.EMAIL,
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DateInput(),
        help_text=_("The answer is due one month after this day."),
    )
    talent_id = forms.IntegerField(label=_("Talent id"), required=False, min_value=1)
    email = forms.EmailField(
        label=_("or the talent's email"),
        required=False,
        help_text=_("Leave both empty if the person is not in the talent pool."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_received_on(self) -> Any:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise ValidationError(_("A request cannot be received in the future."))
        return received

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        talent_id, email = cleaned.get("talent_id"), cleaned.get("email")
        visible = Talent.objects.visible_to(self.user)
        talent = None
        if talent_id:
            talent = visible.filter(pk=talent_id).first()
            if talent is None:
                self.add_error("talent_id", _("No talent with this id."))
        elif email:
            talent = visible.filter(email__iexact=email).first()
            if talent is None:
                self.add_error("email", _("No talent with this email address."))
        cleaned["talent"] = talent
        return cleaned


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Extend by"),
        coerce=int,
        choices=[(1, _("1 month")), (MAX_EXTENSION_MONTHS, _("2 months"))],
        initial=MAX_EXTENSION_MONTHS,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the request needs more time; the person must be told within a month."),
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (DataSubjectRequest.Status.DONE, _("Done")),
            (DataSubjectRequest.Status.REFUSED, _("Refused")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, or why the request was refused."),
    )
    withdraw_all = forms.BooleanField(
        label=_("Withdraw all consents of this talent"),
        required=False,
        help_text=_(
            "The objection is granted: the talent gets no more email and is deleted at the "
            "next daily run, unless a legal hold applies."
        ),
    )

    def __init__(
        self, *args: Any, request: DataSubjectRequest, talent_visible: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only a granted objection about a talent the user may see can withdraw consent.
        if request.kind != DataSubjectRequest.Kind.OBJECTION or not talent_visible:
            del self.fields["withdraw_all"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("withdraw_all") and cleaned.get("status") != DataSubjectRequest.Status.DONE:
            self.add_error(
                "withdraw_all", _("Consents are withdrawn only when the objection is done.")
            )
        return cleaned
