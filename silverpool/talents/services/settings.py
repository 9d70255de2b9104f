"""Admin settings: the status list and the custom talent fields."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ..models import CustomField, Event, Status, Talent
from .derived import refresh_search_text
from .events import record_event


def status_usage(status: Status) -> int:
    """How many talents (merged ones included: they keep their row) have this status."""
    return Talent.objects.filter(status=status).count()


@transaction.atomic
def save_status(
    status: Status | None,
    *,
    key: str,
    name_en: str,
    name_de: str,
    position: int = 0,
    is_default: bool = False,
) -> Status:
    """Create a status (status=None) or change one. At most one status is the default.

    The key is fixed once created: timeline events and saved searches refer to it.
    """
    key = key.strip().lower()
    if status is not None and key != status.key:
        raise ValidationError({"key": [_("The key of an existing status cannot be changed.")]})
    status = status or Status(key=key)
    status.name_en = name_en.strip()
    status.name_de = name_de.strip()
    status.position = position
    status.is_default = is_default
    status.full_clean()
    status.save()
    if is_default:
        Status.objects.exclude(pk=status.pk).update(is_default=False)
    return status


def status_delete_blocker(status: Status) -> str:
    """Why `status` cannot be deleted now, or "" if it can."""
    used = status_usage(status)
    if used:
        return ngettext(
            "%(count)d talent has the status “%(name)s”. Give it another status first.",
            "%(count)d talents have the status “%(name)s”. Give them another status first.",
            used,
        ) % {"count": used, "name": status.name}
    if not Status.objects.exclude(pk=status.pk).exists():
        return _("The last status cannot be deleted: every talent needs one.")
    return ""


@transaction.atomic
def delete_status(status: Status) -> None:
    """Delete a status no talent has. Refuses (ValidationError) while talents use it."""
    if blocker := status_delete_blocker(status):
        raise ValidationError(blocker)
    try:
        with transaction.atomic():
            status.delete()
    except ProtectedError as exc:
        # A talent got this status between the count and the delete.
        message = _("Talents use this status. Give them another status first.")
        raise ValidationError(message) from exc


def custom_field_usage(field: CustomField, value: str | None = None) -> int:
    """How many talents have a value in `field` (or exactly `value`, for a choice)."""
    talents = Talent.objects.filter(custom_values__has_key=field.key)
    if value is not None:
        in_field = KeyTransform(field.key, "custom_values")
        return talents.alias(field_value=in_field).filter(field_value=value).count()
    return talents.count()


def _clean_choices(kind: str, choices: Iterable[str]) -> list[str]:
    if kind != CustomField.Kind.CHOICE:
        return []
    cleaned: list[str] = []
    for choice in (c.strip() for c in choices):
        if choice and choice not in cleaned:
            cleaned.append(choice)
    if not cleaned:
        raise ValidationError({"choices": [_("A choice field needs at least one choice.")]})
    return cleaned


@transaction.atomic
def save_custom_field(
    field: CustomField | None,
    *,
    key: str,
    label_en: str,
    label_de: str,
    kind: str,
    choices: Iterable[str] = (),
    position: int = 0,
) -> CustomField:
    """Create a custom field (field=None) or change one.

    Values already on talents must stay valid, so while talents have a value the key and
    kind cannot change, and a choice in use cannot be removed.
    """
    key = key.strip().lower()
    cleaned_choices = _clean_choices(kind, choices)
    if field is not None:
        if key != field.key:
            raise ValidationError({"key": [_("The key of an existing field cannot be changed.")]})
        _check_values_stay_valid(field, kind, cleaned_choices)
    field = field or CustomField(key=key)
    field.label_en = label_en.strip()
    field.label_de = label_de.strip()
    field.kind = kind
    field.choices = cleaned_choices
    field.position = position
    field.full_clean()
    field.save()
    return field


def _check_values_stay_valid(field: CustomField, kind: str, choices: list[str]) -> None:
    if kind != field.kind and (used := custom_field_usage(field)):
        raise ValidationError(
            {
                "kind": ngettext(
                    "%(count)d talent has a value in this field, so its kind cannot change.",
                    "%(count)d talents have a value in this field, so its kind cannot change.",
                    used,
                )
                % {"count": used}
            }
        )
    if kind != CustomField.Kind.CHOICE or field.kind != CustomField.Kind.CHOICE:
        return
    for removed in (c for c in field.choices if c not in choices):
        if used := custom_field_usage(field, removed):
            raise ValidationError(
                {
                    "choices": ngettext(
                        "%(count)d talent has the choice “%(choice)s”; keep it.",
                        "%(count)d talents have the choice “%(choice)s”; keep it.",
                        used,
                    )
                    % {"count": used, "choice": removed}
                }
            )


@transaction.atomic
def delete_custom_field(field: CustomField, *, actor: User) -> int:
    """Delete a custom field and its value on every talent; returns how many lost a value.

    Each such talent's timeline records the change, as any other field change.
    """
    talents = Talent.objects.filter(custom_values__has_key=field.key).select_for_update()
    count = 0
    for talent in talents.iterator():
        old = dict(talent.custom_values)
        talent.custom_values = {k: v for k, v in old.items() if k != field.key}
        talent.save(update_fields=["custom_values", "updated_at"])
        refresh_search_text(talent)
        record_event(
            talent,
            Event.Kind.FIELD_CHANGED,
            actor=actor,
            field="custom_values",
            old=old,
            new=talent.custom_values,
        )
        count += 1
    field.delete()
    return count
