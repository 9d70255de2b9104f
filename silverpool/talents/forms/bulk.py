"""Bulk actions on the talent list: which talents, which action, with what argument."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...privacy.services.requests import ask_selection
from ...webforms import services as webforms
from .. import services
from ..models import Pool, Status, Tag, Talent
from ..search import filter_talents
from .filters import NO_OWNER, ListChoices, TalentFilterForm, filter_query, offer
from .follow_up import FollowUpFormChoice, SendKeyField
from .widgets import FastSelect

# One page shows 50 rows; anything bigger than this did not come from the page.
MAX_IDS = 500
MAX_ID = 2**63 - 1


class BulkAction(models.TextChoices):
    ADD_TO_POOL = "add_to_pool", _("Add to pool")
    REMOVE_FROM_POOL = "remove_from_pool", _("Remove from pool")
    ADD_TAG = "add_tag", _("Add tag")
    REMOVE_TAG = "remove_tag", _("Remove tag")
    SET_STATUS = "set_status", _("Set status")
    SET_OWNER = "set_owner", _("Set owner")
    ASK_CONSENT = "ask_consent", _("Ask for consent")
    SEND_FOLLOW_UP = "send_follow_up", _("Send follow-up form")
    # Not run here: the list sends the selection on to the export page (export_query).
    EXPORT = "export", _("Export selected")
    DELETE = "delete", _("Delete")


# The field each action needs, and what to say when it was left empty.
ARGUMENTS = {
    BulkAction.ADD_TO_POOL: ("pool", _("Choose a pool.")),
    BulkAction.REMOVE_FROM_POOL: ("pool", _("Choose a pool.")),
    BulkAction.ADD_TAG: ("tag", _("Choose a tag.")),
    BulkAction.REMOVE_TAG: ("tag", _("Choose a tag.")),
    BulkAction.SET_STATUS: ("status", _("Choose a status.")),
    BulkAction.SET_OWNER: ("owner", _("Choose an owner, or “No owner”.")),
    BulkAction.SEND_FOLLOW_UP: ("follow_up_form", _("Choose a follow-up form.")),
}


class IdListField(forms.Field):
    """Talent ids from repeated checkboxes (`ids=3&ids=7`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > MAX_IDS:
            raise forms.ValidationError(_("Invalid selection."), code="invalid")
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Invalid selection."), code="invalid") from None
        if ids and not (ids[0] > 0 and ids[-1] <= MAX_ID):
            raise forms.ValidationError(_("Invalid selection."), code="invalid")
        return ids


class BulkActionForm(forms.Form):
    """The bulk bar of the talent list.

    The selection is either the ticked rows (`ids`, or every row of the page with
    `all_on_page`, which also works without JavaScript) or, with `all_matching`, every
    talent matching the filters in `query`. Either way it is narrowed to what the user
    may see, so a guessed id is never touched.
    """

    action = forms.ChoiceField(choices=BulkAction.choices, widget=FastSelect)
    ids = IdListField(required=False)
    page_ids = IdListField(required=False)
    all_on_page = forms.BooleanField(required=False)
    all_matching = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
    pool = forms.ModelChoiceField[Pool](
        label=_("Pool"),
        queryset=Pool.objects.none(),
        required=False,
        empty_label=_("Pool…"),
        widget=FastSelect,
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        required=False,
        empty_label=_("Tag…"),
        widget=FastSelect,
    )
    status = forms.ModelChoiceField(
        label=_("Status"),
        queryset=Status.objects.all(),
        required=False,
        empty_label=_("Status…"),
        widget=FastSelect,
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=FastSelect)
    follow_up_form = FollowUpFormChoice(required=False, widget=FastSelect)
    # Rendered with the page: a double click on "Send follow-up form" sends once.
    batch_key = SendKeyField(required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(
        self, data: QueryDict | None = None, *, user: User, choices: ListChoices | None = None
    ) -> None:
        # Its own ids: the filter form on the same page has fields of the same names.
        super().__init__(data, auto_id="bulk_%s")
        self.user = user
        self.choices = choices or ListChoices.load(user)
        pool_field = self.fields["pool"]
        assert isinstance(pool_field, forms.ModelChoiceField)
        pool_field.queryset = services.pools_visible_to(user)
        offer(pool_field, self.choices.pools)
        offer(self.fields["tag"], self.choices.tags)
        offer(self.fields["status"], self.choices.statuses)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [
            ("", _("Owner…")),
            (NO_OWNER, _("No owner")),
            # The active admins and recruiters (assignable_owners), picked from the users read.
            *((str(u.pk), str(u)) for u in self.choices.users if u.can_edit),
        ]
        self.follow_up_forms = list(webforms.follow_up_forms()) if user.can_edit else []
        offer(self.fields["follow_up_form"], self.follow_up_forms)
        if len(self.follow_up_forms) == 1:
            self.fields["follow_up_form"].initial = self.follow_up_forms[0].pk
        self.fields["batch_key"].initial = webforms.new_send_key()
        for name in ("pool", "tag", "status", "owner", "follow_up_form"):
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        argument = ARGUMENTS.get(cleaned.get("action", ""))
        if argument and not cleaned.get(argument[0]):
            self.add_error(argument[0], argument[1])
        if cleaned.get("action") == BulkAction.SEND_FOLLOW_UP and not cleaned.get("batch_key"):
            self.add_error("batch_key", self.fields["batch_key"].error_messages["required"])
        if not cleaned.get("all_matching") and not self.selected_ids:
            raise forms.ValidationError(_("Select at least one talent."), code="empty")
        return cleaned

    @property
    def selected_ids(self) -> set[int]:
        ids = set(self.cleaned_data.get("ids") or ())
        if self.cleaned_data.get("all_on_page"):
            ids.update(self.cleaned_data.get("page_ids") or ())
        return ids

    @property
    def back_query(self) -> str:
        """The list's query string to go back to: its filters and page, nothing else."""
        data = QueryDict(self.data.get("query", "")[:4000])
        query = filter_query(data)
        page = data.get("page", "")
        if page.isdigit():
            query = f"{query}&page={page}" if query else f"page={page}"
        return query

    @property
    def export_query(self) -> str:
        """The export page's query string for this selection: the list's filters (for its
        way back), and the ticked rows unless every matching talent is selected."""
        query = filter_query(QueryDict(self.data.get("query", "")[:4000]))
        if self.cleaned_data["all_matching"]:
            return query
        ids = urlencode([("ids", pk) for pk in sorted(self.selected_ids)])
        return f"{query}&{ids}" if query else ids

    @property
    def needs_confirmation(self) -> bool:
        return bool(
            self.cleaned_data["action"] == BulkAction.DELETE and not self.cleaned_data["confirm"]
        )

    def talents(self) -> QuerySet[Talent]:
        visible = Talent.objects.visible_to(self.user)
        if self.cleaned_data["all_matching"]:
            filters = TalentFilterForm(
                QueryDict(self.cleaned_data["query"]), user=self.user, choices=self.choices
            )
            return filter_talents(visible, filters.to_filters())
        return visible.filter(pk__in=sorted(self.selected_ids))

    def owner_user(self) -> User | None:
        owner: str = self.cleaned_data["owner"]
        return None if owner == NO_OWNER else User.objects.get(pk=int(owner))


def run_bulk_action(form: BulkActionForm, *, actor: User) -> str:
    """Apply the form's action through the bulk services; return what to tell the user."""
    data = form.cleaned_data
    talents = form.talents()
    match data["action"]:
        case BulkAction.ADD_TO_POOL:
            n = services.bulk_add_to_pool(talents, data["pool"], actor=actor)
            text = ngettext(
                "%(count)s talent added to pool %(name)s",
                "%(count)s talents added to pool %(name)s",
                n,
            )
            name = data["pool"].name
        case BulkAction.REMOVE_FROM_POOL:
            n = services.bulk_remove_from_pool(talents, data["pool"], actor=actor)
            text = ngettext(
                "%(count)s talent removed from pool %(name)s",
                "%(count)s talents removed from pool %(name)s",
                n,
            )
            name = data["pool"].name
        case BulkAction.ADD_TAG:
            n = services.bulk_add_tag(talents, data["tag"], actor=actor)
            text = ngettext(
                "Tag %(name)s added to %(count)s talent",
                "Tag %(name)s added to %(count)s talents",
                n,
            )
            name = data["tag"].name
        case BulkAction.REMOVE_TAG:
            n = services.bulk_remove_tag(talents, data["tag"], actor=actor)
            text = ngettext(
                "Tag %(name)s removed from %(count)s talent",
                "Tag %(name)s removed from %(count)s talents",
                n,
            )
            name = data["tag"].name
        case BulkAction.SET_STATUS:
            n = services.bulk_set_status(talents, data["status"], actor=actor)
            text = ngettext(
                "Status of %(count)s talent set to %(name)s",
                "Status of %(count)s talents set to %(name)s",
                n,
            )
            name = data["status"].name
        case BulkAction.SET_OWNER:
            owner = form.owner_user()
            n = services.bulk_set_owner(talents, owner, actor=actor)
            text = ngettext(
                "Owner of %(count)s talent set to %(name)s",
                "Owner of %(count)s talents set to %(name)s",
                n,
            )
            name = str(owner) if owner else str(_("no owner"))
        case BulkAction.ASK_CONSENT:
            return ask_selection(talents, actor=actor)
        case BulkAction.SEND_FOLLOW_UP:
            return webforms.send_to_selection(
                data["follow_up_form"],
                list(talents.values_list("pk", flat=True)),
                actor=actor,
                batch_key=data["batch_key"],
            )
        case BulkAction.DELETE:
            n = services.bulk_delete(talents, actor=actor)
            text = ngettext("%(count)s talent deleted", "%(count)s talents deleted", n)
            name = ""
        case other:
            raise ValueError(f"unknown bulk action {other!r}")
    return text % {"count": number_format(n, force_grouping=True), "name": name}
