"""Forms for tests, made with the models directly (the way the builder stores them)."""

from collections.abc import Iterable, Sequence
from typing import Any

from silverpool.accounts.models import User
from silverpool.privacy.models import Purpose
from silverpool.talents.models import Pool, Status, Tag
from silverpool.webforms.models import Form, FormField

QUESTION = "motivation"
QUESTION_LABEL = "What kind of role are you looking for?"
BOTH_PURPOSES = (Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS)
FOLLOW_UP_KEYS = ("first_name", "job_title", "city", "salary_amount", "available_from")


def _add_fields(form: Form, fields: Iterable[tuple[str, str, bool]]) -> None:
    for position, (kind, key, required) in enumerate(fields):
        label_en = QUESTION_LABEL if kind == FormField.Kind.QUESTION else ""
        FormField.objects.create(
            form=form, kind=kind, key=key, required=required, position=position, label_en=label_en
        )


def make_talent_form(
    title: str = "Careers site",
    *,
    pools: Iterable[Pool] = (),
    tags: Iterable[Tag] = (),
    status: Status | None = None,
    owner: User | None = None,
    notify: Iterable[User] = (),
    purposes: Sequence[str] = BOTH_PURPOSES,
    cv_required: bool = False,
    **fields: Any,
) -> Form:
    """A talent form asking first name, last name, email, one question and a CV, with
    consent boxes for `purposes`; `fields` sets any other Form column."""
    fields.setdefault("languages", ["en", "de"])
    form = Form.objects.create(
        kind=Form.Kind.TALENT, title=title, status=status, owner=owner, **fields
    )
    form.pools.set(pools)
    form.tags.set(tags)
    form.notify.set(notify)
    form.purposes.set(Purpose.objects.filter(key__in=purposes))
    _add_fields(
        form,
        [
            (FormField.Kind.TALENT, "first_name", True),
            (FormField.Kind.TALENT, "last_name", True),
            (FormField.Kind.TALENT, "email", True),
            (FormField.Kind.QUESTION, QUESTION, False),
            (FormField.Kind.CV, "cv", cv_required),
        ],
    )
    return form


def make_follow_up_form(
    title: str = "Keep your profile up to date",
    *,
    keys: Sequence[str] = FOLLOW_UP_KEYS,
    **fields: Any,
) -> Form:
    """A follow-up form with the talent fields `keys`, all optional."""
    fields.setdefault("languages", ["en", "de"])
    form = Form.objects.create(kind=Form.Kind.FOLLOW_UP, title=title, **fields)
    _add_fields(form, [(FormField.Kind.TALENT, key, False) for key in keys])
    return form
