"""How privacy and email events read on the talent's timeline: what changed, with its data,
and who did it (a user, "Talent" on the talent's own pages, "System" for the jobs)."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.models import ConsentRecord, ConsentRequest, Purpose
from silverpool.privacy.services import (
    ConsentGrant,
    ExportFormat,
    erase_at_own_request,
    expire_consents,
    lift_legal_hold,
    record_consent,
    record_export,
    set_legal_hold,
    withdraw_consent,
)
from silverpool.privacy.services.proof import export_proof
from silverpool.privacy.services.requests import request_consent
from silverpool.talents.models import Talent
from silverpool.talents.services import merge_talents, undo_merge

from ..conftest import logged_in
from ..mailserver import MailServer
from ..talents.factories import make_talent
from .factories import give_consent

Callbacks = Callable[..., AbstractContextManager[Any]]
NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")


def timeline(client: Client, talent: Talent) -> str:
    response = client.get(reverse("talents:talent-detail", args=[talent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="timeline"') :]


def test_consent_given_by_phone_shows_the_purposes_the_method_and_the_new_legal_basis(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    give_consent(lena, recruiter=rita)

    html = timeline(recruiter_client, lena)

    assert (
        "Consent given for Talent pool, Job news by email · Recorded by a recruiter · Rita" in html
    )
    assert "Legal basis: Awaiting consent → Consent valid (until 2 Mar 2028) · Rita" in html


def test_a_decision_on_the_consent_page_names_what_was_given_and_declined(
    lena: Talent, recruiter_client: Client
) -> None:
    grant = ConsentGrant(
        method=ConsentRecord.Method.CONSENT_PAGE,
        language="en",
        given=[Purpose.EMAIL_CAMPAIGNS],
        declined=[Purpose.TALENT_POOL],
    )
    record_consent(lena, grant, actor=None, actor_label="Talent")

    html = timeline(recruiter_client, lena)

    assert (
        "Consent given for Job news by email; declined for Talent pool"
        " · Consent page (link in an email) · Talent"
    ) in html
    assert (
        "Legal basis: Awaiting consent → Consent declined (deleted or anonymised from 3 Mar 2027)"
        " · Talent"
    ) in html


def test_a_withdrawal_and_an_expiry_read_as_what_happens_next(
    lena: Talent, rita: User, clock: TimeMachineFixture
) -> None:
    give_consent(lena)
    withdraw_consent(
        lena,
        [Purpose.EMAIL_CAMPAIGNS],
        method=ConsentRecord.Method.PRIVACY_PAGE,
        actor=None,
        actor_label="Talent",
    )
    clock.move_to(datetime.datetime(2028, 3, 3, 1, 0, tzinfo=datetime.UTC), tick=False)
    expire_consents(datetime.date(2028, 3, 3))

    html = timeline(logged_in(rita), lena)

    assert "Consent withdrawn for Job news by email · Privacy page (link in an email) · Talent" in (
        html
    )
    assert (
        "Legal basis: Consent valid → Consent expired (deleted or anonymised from 3 Mar 2028)"
        " · System"
    ) in html


def test_each_kind_of_consent_request_and_the_notice_have_their_own_line(
    lena: Talent, rita: User, clock: TimeMachineFixture
) -> None:
    request_consent(lena, actor=rita)
    clock.shift(datetime.timedelta(days=2))
    request_consent(lena, actor=None, kind=ConsentRequest.Kind.REMINDER, actor_label="System")
    give_consent(lena)
    clock.shift(datetime.timedelta(days=2))
    request_consent(lena, actor=None, kind=ConsentRequest.Kind.RENEWAL, actor_label="System")

    html = timeline(logged_in(rita), lena)

    assert "Consent requested by email · Rita" in html
    assert "Privacy notice (Art. 14 GDPR) sent by email · Rita" in html
    assert "Consent reminder sent by email · System" in html
    assert "Renewal of consent requested by email · System" in html


def test_a_legal_hold_shows_its_reason_and_end_and_its_lifting(
    lena: Talent, alice: User, admin_client: Client
) -> None:
    set_legal_hold(
        lena, reason="Lawsuit <b>pending</b>", until=datetime.date(2027, 9, 1), actor=alice
    )
    lift_legal_hold(lena, actor=alice)

    html = timeline(admin_client, lena)

    assert "Legal hold until 1 Sep 2027: Lawsuit &lt;b&gt;pending&lt;/b&gt; · Alice" in html
    assert "Legal hold lifted · Alice" in html


def test_exports_say_what_was_exported_and_by_whom(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    record_export(lena, what=ExportFormat.JSON, actor=rita)
    record_export(lena, what=ExportFormat.HTML, actor=None, actor_label="Talent")
    export_proof(lena, fmt="csv", actor=rita)

    html = timeline(recruiter_client, lena)

    assert "Data exported (JSON, Art. 15 and 20 GDPR) · Rita" in html
    assert "Readable copy of the data opened · Talent" in html
    assert "Consent proof exported (CSV) · Rita" in html


def test_an_erasure_request_under_a_legal_hold_says_the_data_is_kept(
    lena: Talent, alice: User, admin_client: Client
) -> None:
    set_legal_hold(lena, reason="Court case", until=datetime.date(2027, 9, 1), actor=alice)

    erase_at_own_request(lena)

    html = timeline(admin_client, lena)
    assert "Erasure requested; the legal hold keeps the data for now · Talent" in html


def test_sent_and_failed_emails_show_their_subject_and_why_one_failed(
    smtp_server: MailServer,
    rita: User,
    recruiter_client: Client,
    django_capture_on_commit_callbacks: Callbacks,
) -> None:
    sent = make_talent(first_name="Sam", email="sam@example.com")
    bounced = make_talent(first_name="Bo", email="bo@example.com")
    smtp_server.refuse_next("550 5.1.1 No such user here")

    with django_capture_on_commit_callbacks(execute=True):
        request_consent(bounced, actor=rita)
    with django_capture_on_commit_callbacks(execute=True):
        request_consent(sent, actor=rita)

    subject = OutboundEmail.objects.get(talent=sent).subject
    assert f"Email sent: {subject} · Rita" in timeline(recruiter_client, sent)
    assert f"Email failed: {subject} (550 5.1.1 No such user here) · Rita" in timeline(
        recruiter_client, bounced
    )


def test_a_merge_and_its_undo_say_why_the_legal_basis_changed(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    duplicate = make_talent(first_name="Lena", last_name="Vogel", email="l.vogel@example.com")
    give_consent(duplicate)

    merge = merge_talents(lena, duplicate, choices={}, actor=rita)
    undo_merge(merge, actor=rita)

    html = timeline(recruiter_client, lena)
    assert (
        "Legal basis after the merge: Awaiting consent → Consent valid (until 2 Mar 2028) · Rita"
        in html
    )
    assert (
        "Legal basis after undoing the merge: Consent valid → Awaiting consent"
        " (deadline 1 Apr 2027) · Rita"
    ) in html


def test_a_german_recruiter_reads_the_lines_in_german(lena: Talent, rita: User) -> None:
    rita.language = "de"
    rita.save()
    give_consent(lena, recruiter=rita)
    request_consent(lena, actor=None, kind=ConsentRequest.Kind.RENEWAL, actor_label="System")

    html = timeline(logged_in(rita), lena)

    assert (
        "Einwilligung erteilt für Talentpool, Stellen-News per E-Mail"
        " · Von Recruiter:in erfasst · Rita"
    ) in html
    assert (
        "Rechtsgrundlage: Einwilligung ausstehend → Einwilligung gültig (bis 2. März 2028) · Rita"
        in html
    )
    assert "Verlängerung der Einwilligung per E-Mail angefragt · System" in html
