"""Changes an admin makes on the privacy settings page: the policy, purposes and their
consent texts. Every change is in the audit log."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...accounts.models import User
from ..models import AuditEntry, ConsentText, Policy, Purpose
from .basis import audit, postpone_past_deadlines
from .policy import LANGUAGES, get_policy, publish_text

# The policy fields the settings page edits, in the order of the page.
POLICY_FIELDS = (
    "enabled",
    "consent_deadline_days",
    "reminder_days",
    "consent_validity_months",
    "renewal_notice_days",
    "hold_months",
    "end_action",
    "batch_weekday",
    "batch_time",
    "controller_name",
    "controller_contact",
    "dpo_contact",
)


@dataclass(frozen=True)
class PolicyUpdate:
    """What saving the settings did: the fields that changed, and how many consent
    deadlines were moved because the GDPR function was switched on."""

    changed: list[str]
    postponed: int | None = None


@transaction.atomic
def update_policy(values: Mapping[str, Any], *, actor: User) -> PolicyUpdate:
    """Save the policy fields in `values` (already validated by the form). Switching the
    GDPR function on moves deadlines that passed while it was off, so that nobody is
    deleted by the next run for a deadline no reminder announced."""
    policy = Policy.objects.select_for_update().get(pk=get_policy().pk)
    changed = [
        name for name in POLICY_FIELDS if name in values and getattr(policy, name) != values[name]
    ]
    if not changed:
        return PolicyUpdate(changed=[])
    switched_on = "enabled" in changed and values["enabled"]
    for name in changed:
        setattr(policy, name, values[name])
    policy.save(update_fields=[*changed, "updated_at"])
    postponed = postpone_past_deadlines(timezone.localdate()) if switched_on else None
    detail: dict[str, Any] = {"fields": changed}
    if postponed is not None:
        detail["postponed"] = postponed
    audit(actor=actor, action=AuditEntry.Action.POLICY_CHANGED, **detail)
    return PolicyUpdate(changed=changed, postponed=postponed)


def latest_texts(purpose: Purpose) -> dict[str, ConsentText | None]:
    """The current version of the purpose's text in each language (None if it has none)."""
    return {
        language: ConsentText.objects.filter(purpose=purpose, language=language).first()
        for language in LANGUAGES
    }


def _publish(purpose: Purpose, texts: Mapping[str, str], actor: User) -> list[ConsentText]:
    """A new version of each text in `texts` that differs from the current one."""
    before = latest_texts(purpose)
    published = []
    for language in LANGUAGES:
        text = texts.get(language, "").strip()
        current = before[language]
        if not text or (current is not None and current.text == text):
            continue
        published.append(publish_text(purpose, language=language, text=text, actor=actor))
    return published


@transaction.atomic
def create_purpose(
    *, key: str, name_en: str, name_de: str, texts: Mapping[str, str], actor: User
) -> Purpose:
    """A new purpose talents can consent to, with its first texts (version 1)."""
    position = (
        Purpose.objects.order_by("-position").values_list("position", flat=True).first()
    ) or 0
    purpose = Purpose.objects.create(
        key=key, name_en=name_en, name_de=name_de, position=position + 1
    )
    published = _publish(purpose, texts, actor)
    audit(
        actor=actor,
        action=AuditEntry.Action.POLICY_CHANGED,
        purpose=key,
        fields=["purpose_added"],
        texts=[f"{t.language} v{t.version}" for t in published],
    )
    return purpose


@transaction.atomic
def update_purpose(
    purpose: Purpose, *, name_en: str, name_de: str, texts: Mapping[str, str], actor: User
) -> list[ConsentText]:
    """Rename a purpose and publish a new version of each text that changed; texts that
    did not change keep their version. Returns the new versions."""
    changed = [
        name
        for name, value in (("name_en", name_en), ("name_de", name_de))
        if getattr(purpose, name) != value
    ]
    if changed:
        purpose.name_en, purpose.name_de = name_en, name_de
        purpose.save(update_fields=changed)
    published = _publish(purpose, texts, actor)
    if changed or published:
        audit(
            actor=actor,
            action=AuditEntry.Action.POLICY_CHANGED,
            purpose=purpose.key,
            fields=[*changed, *(f"text_{t.language}" for t in published)],
            texts=[f"{t.language} v{t.version}" for t in published],
        )
    return published


def text_history(purpose: Purpose, language: str) -> list[ConsentText]:
    """Every version of a purpose's text in one language, newest first."""
    return list(
        ConsentText.objects.filter(purpose=purpose, language=language).select_related("created_by")
    )
