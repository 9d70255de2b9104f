"""Merging talents keeps the forms each sent in, and an undo gives them back."""

import datetime

import pytest
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.webforms.models import Submission

from ..talents.factories import make_talent
from .factories import make_talent_form

pytestmark = pytest.mark.django_db


def test_a_merge_moves_the_forms_and_the_latest_confirmation_and_an_undo_returns_them(
    rita: User,
) -> None:
    form = make_talent_form()
    primary = make_talent(first_name="Anna", email="anna@example.com")
    duplicate = make_talent(first_name="Anna", email="anna.b@example.com")
    earlier = timezone.now() - datetime.timedelta(days=90)
    later = timezone.now() - datetime.timedelta(days=2)
    primary.data_confirmed_at = earlier
    primary.save()
    duplicate.data_confirmed_at = later
    duplicate.save()
    sent = Submission.objects.create(form=form, talent=duplicate, language="de")

    merge = services.merge_talents(primary, duplicate, choices={}, actor=rita)

    sent.refresh_from_db()
    primary.refresh_from_db()
    assert sent.talent == primary
    assert primary.data_confirmed_at == later

    services.undo_merge(merge, actor=rita)

    sent.refresh_from_db()
    primary.refresh_from_db()
    assert sent.talent == duplicate
    assert primary.data_confirmed_at == earlier


def test_an_undo_keeps_a_form_the_person_sent_in_after_the_merge(rita: User) -> None:
    form = make_talent_form()
    primary = make_talent(first_name="Anna", email="anna@example.com")
    duplicate = make_talent(first_name="Anna", email="anna.b@example.com")
    merge = services.merge_talents(primary, duplicate, choices={}, actor=rita)
    since = Submission.objects.create(form=form, talent=primary, language="de")

    services.undo_merge(merge, actor=rita)

    primary.refresh_from_db()
    assert primary.data_confirmed_at == since.created_at
    assert list(primary.form_submissions.all()) == [since]


@pytest.mark.django_db(transaction=True)
def test_a_merge_is_undone_outside_a_test_transaction(rita: User) -> None:
    # The undo locks the merge row, which PostgreSQL allows inside a transaction only:
    # the service must open its own, as a request does not.
    primary = make_talent(first_name="Anna", email="anna@example.com")
    duplicate = make_talent(first_name="Anna", email="anna.b@example.com")
    merge = services.merge_talents(primary, duplicate, choices={}, actor=rita)

    services.undo_merge(merge, actor=rita)

    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
