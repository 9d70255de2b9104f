"""The privacy policy, the purposes and their versioned consent texts."""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from ...accounts.models import User
from ..models import ConsentText, Policy, Purpose

LANGUAGES = ("de", "en")


def get_policy() -> Policy:
    policy, _ = Policy.objects.get_or_create(
        pk=1, defaults={"reminder_days": [7, 2], "last_batch_at": timezone.now()}
    )
    return policy


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def current_texts(language: str) -> dict[str, ConsentText]:
    """The newest text of every purpose in `language` (falling back to English), by key."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.select_related("purpose").filter(language__in=LANGUAGES):
        key = text.purpose.key
        have = texts.get(key)
        # Ordering is newest version first per language: keep the first of the wanted
        # language, else the first English one.
        if have is None or (have.language != language and text.language == language):
            texts[key] = text
    return texts


@transaction.atomic
def publish_text(purpose: Purpose, *, language: str, text: str, actor: User | None) -> ConsentText:
    """A new version of a purpose's consent text; an unchanged text makes no new version."""
    latest = ConsentText.objects.filter(purpose=purpose, language=language).first()
    if latest is not None and latest.text == text:
        return latest
    version = (latest.version + 1) if latest else 1
    return ConsentText.objects.create(
        purpose=purpose, language=language, version=version, text=text, created_by=actor
    )


def purposes() -> list[Purpose]:
    return list(Purpose.objects.all())
