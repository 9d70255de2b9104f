"""What forms bring under the GDPR: the talent's copy holds every form they sent in
(Art. 15), and erasing the talent removes all of it (Art. 17)."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.links import privacy_token
from silverpool.privacy.models import ConsentRecord
from silverpool.privacy.services import erase_talent, export_talent_data
from silverpool.privacy.services.language import mail_language
from silverpool.talents.models import Document, Event, Talent
from silverpool.webforms.models import Form, Submission

from ..talents.factories import make_talent
from ..talents.test_detail_page import text_of
from .factories import QUESTION_LABEL, make_talent_form
from .test_public_page import cv, filled, open_form, send

Callbacks = Callable[..., AbstractContextManager[Any]]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings: Any) -> None:
    settings.FORM_MIN_FILL_SECONDS = 0


def sent_in(client: Client, form: Form, callbacks: Callbacks) -> Talent:
    """Lena sends the form from a newsletter link, with an answer and a CV."""
    hidden = open_form(client, form, "?utm_source=newsletter")
    with callbacks(execute=True):
        send(client, form, {**hidden, **filled(cv=cv("lena-cv.pdf"))})
    return Talent.objects.get()


def test_the_talents_copy_holds_the_forms_they_sent_in_with_answers_and_campaign(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form("Careers site")
    talent = sent_in(client, form, django_capture_on_commit_callbacks)

    data = export_talent_data(talent, for_talent=True)
    url = reverse("privacy:privacy-copy", args=[privacy_token(talent.legal_basis)])
    copy = text_of(Client().get(url + "?lang=en").content.decode())

    [sent] = data["forms"]
    assert sent["form"] == "Careers site"
    assert sent["answers"] == [{"question": QUESTION_LABEL, "answer": "Backend roles in Berlin"}]
    assert sent["campaign"] == {"utm_source": "newsletter"}
    assert data["data_confirmed_at"] is not None
    for shown in [
        "Forms sent in",
        "Careers site",
        QUESTION_LABEL,
        "Backend roles in Berlin",
        "Campaign: utm_source=newsletter",
        "Data last confirmed by you",
    ]:
        assert shown in copy, shown


def test_erasing_a_talent_removes_everything_their_form_brought_but_keeps_the_form(
    client: Client, alice: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form("Careers site")
    talent = sent_in(client, form, django_capture_on_commit_callbacks)
    path = str(Document.objects.get(talent=talent).file.name)
    assert default_storage.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        erase_talent(talent, actor=alice, reason="request")

    assert not Submission.objects.exists()
    assert not Document.objects.exists()
    assert not default_storage.exists(path)
    assert not ConsentRecord.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.FORM_SUBMITTED).exists()
    assert talent.pk not in Talent.objects.values_list("pk", flat=True)
    assert Form.objects.filter(pk=form.pk).exists()


def test_the_erasure_page_counts_the_forms_the_talent_sent_in(
    client: Client, rita: User, django_capture_on_commit_callbacks: Callbacks
) -> None:
    form = make_talent_form("Careers site")
    talent = sent_in(client, form, django_capture_on_commit_callbacks)
    Submission.objects.create(form=form, talent=talent, language="de")
    client.force_login(rita)

    html = client.get(reverse("privacy:talent-erase", args=[talent.pk])).content.decode()

    assert "2 forms sent in, with their answers" in html
    assert "1 document, with its file" in html  # the CV the form brought


def test_a_talent_is_written_to_in_the_language_of_the_last_form_they_sent(db: None) -> None:
    form = make_talent_form()
    talent = make_talent(first_name="Lena", email="lena@example.com")
    assert mail_language(talent) == "en"

    Submission.objects.create(form=form, talent=talent, language="de")

    assert mail_language(talent) == "de"
