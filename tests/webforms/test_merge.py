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
