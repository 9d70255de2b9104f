"""The privacy panel on the talent profile: what each role sees and may do, the consent
proof, recording a consent given by phone, and exporting the proof."""

import csv
import datetime
import io
import json
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from silverpool.accounts.models import User
from silverpool.outreach.models import OutboundEmail
from silverpool.privacy.models import AuditEntry, ConsentRecord, LegalBasis, Purpose
from silverpool.privacy.services import current_texts
from silverpool.privacy.services.requests import answer_consent_request, request_consent
from silverpool.talents.models import Event, Talent

from ..conftest import logged_in
from ..talents.factories import make_pool, make_talent
from .factories import give_consent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def lena(db: None) -> Talent:
    return make_talent(first_name="Lena", last_name="Vogel", email="lena@example.com")


def page(client: Client, talent: Talent) -> str:
    response = client.get(reverse("talents:talent-detail", args=[talent.pk]))
    assert response.status_code == 200
    return response.content.decode()


def ask(client: Client, talent: Talent, **headers: str) -> "Response":
    return client.post(reverse("privacy:talent-consent-ask", args=[talent.pk]), headers=headers)


def record(client: Client, talent: Talent, **data: object) -> "Response":
    url = reverse("privacy:talent-consent-record", args=[talent.pk])
    return client.post(
        url, {f"recorded-{k}": v for k, v in data.items()}, headers={"HX-Request": "true"}
    )


def export(client: Client, talent: Talent, fmt: str) -> "Response":
    return client.get(reverse("privacy:talent-consent-export", args=[talent.pk, fmt]))


def test_the_profile_shows_the_legal_basis_and_the_consent_proof(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    request = request_consent(lena, actor=rita)
    answer_consent_request(
        request,
        given=[Purpose.TALENT_POOL],
        language="en",
        shown_texts=[text.pk for text in current_texts("en").values()],
        ip_address="203.0.113.7",
        user_agent="Firefox/140.0",
    )

    html = page(recruiter_client, lena)

    assert "Privacy and consent" in html
    assert "Consent valid" in html
    assert "Consent valid until" in html
    assert "2 Mar 2028" in html
    assert "Purposes consented to" in html
    assert "Consent page (link in an email)" in html
    assert "IP 203.0.113.7" in html
    assert "Firefox/140.0" in html
    assert "asked by Rita" in html
    text = ConsentRecord.objects.get(purpose__key=Purpose.TALENT_POOL).text
    assert text is not None
    versions = reverse("privacy:text-versions", args=[Purpose.TALENT_POOL, "en"])
    assert f'href="{versions}#v{text.version}"' in html
    assert "version 1, English" in html


def test_a_viewer_sees_the_proof_but_no_buttons_and_cannot_act(
    lena: Talent, victor: User, viewer_client: Client
) -> None:
    give_consent(lena)

    html = page(viewer_client, lena)

    assert "Consent proof" in html
    assert "Recorded by a recruiter" in html
    for button in ("Ask for consent", "Export proof", "Record consent", "Erase this talent now"):
        assert button not in html
    assert ask(viewer_client, lena).status_code == 403
    assert record(viewer_client, lena, purposes=[Purpose.TALENT_POOL], note="x").status_code == 403
    assert export(viewer_client, lena, "csv").status_code == 403
    assert ConsentRecord.objects.count() == 2
    assert not OutboundEmail.objects.exists()


def test_a_recruiter_asks_for_consent_with_one_click(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    response = ask(recruiter_client, lena)

    assert response.status_code == 302
    assert response["Location"] == reverse("talents:talent-detail", args=[lena.pk]) + "#privacy"
    [email] = OutboundEmail.objects.all()
    assert email.to_email == "lena@example.com"
    html = page(recruiter_client, lena)
    assert "Consent request sent to lena@example.com." in html
    assert "Last consent request" in html
    assert "not answered; the link works until" in html
    # A second click within a day sends nothing; the button says why.
    assert "was asked less than a day ago" in html
    assert ask(recruiter_client, lena).status_code == 302
    assert OutboundEmail.objects.count() == 1


def test_asking_with_htmx_answers_with_the_panel_the_timeline_and_the_message(
    lena: Talent, recruiter_client: Client
) -> None:
    response = ask(recruiter_client, lena, HX_Request="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel privacy-panel" id="privacy"')
    assert 'id="timeline"' in html
    assert 'hx-swap-oob="true"' in html
    assert "Consent request sent" in html


def test_a_refused_request_says_why(db: None, alice: User, admin_client: Client) -> None:
    talent = make_talent(first_name="Nomail", last_name="Jones", email="")

    html = page(admin_client, talent)
    response = ask(admin_client, talent, HX_Request="true")

    assert "Nomail Jones has no email address to ask." in html
    assert "disabled" in html
    assert response.status_code == 422
    assert "Nomail Jones has no email address to ask." in response.content.decode()


def test_a_recruiter_records_consent_given_by_phone_with_a_note(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    response = record(
        recruiter_client,
        lena,
        purposes=[Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS],
        language="de",
        note="Phone call on 2 March, read out both texts.",
    )

    assert response.status_code == 200
    records = ConsentRecord.objects.filter(talent=lena)
    assert {r.purpose.key for r in records} == {Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS}
    for consent in records:
        assert consent.method == ConsentRecord.Method.RECRUITER
        assert consent.recorded_by == rita
        assert consent.asked_by == rita
        assert consent.note == "Phone call on 2 March, read out both texts."
        assert consent.language == "de"
    assert LegalBasis.objects.get(talent=lena).state == LegalBasis.State.CONSENT_VALID
    assert "Note: Phone call on 2 March" in response.content.decode()


def test_recording_consent_needs_a_purpose_and_a_note(
    lena: Talent, recruiter_client: Client
) -> None:
    response = record(recruiter_client, lena, language="en", note=" ")

    html = response.content.decode()
    assert response.status_code == 422
    assert "Tick at least one purpose the talent agreed to." in html
    assert "Write down how and when the talent agreed." in html
    assert '<details class="record-consent" open>' in html
    assert not ConsentRecord.objects.exists()


def test_the_proof_exports_as_csv_and_json_and_the_export_is_audited(
    lena: Talent, rita: User, recruiter_client: Client
) -> None:
    give_consent(lena, recruiter=rita)

    as_csv = export(recruiter_client, lena, "csv")
    as_json = export(recruiter_client, lena, "json")

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert f"consent-proof-talent-{lena.pk}-2027-03-02.csv" in as_csv["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert {row["purpose"] for row in rows} == {Purpose.TALENT_POOL, Purpose.EMAIL_CAMPAIGNS}
    assert rows[0]["method"] == "recruiter"
    assert rows[0]["recorded_by"] == "Rita (rita)"
    assert rows[0]["text_version"] == "1"
    assert rows[0]["valid_until"] == "2028-03-02"
    document = json.loads(as_json.content)
    assert document["talent"]["email"] == "lena@example.com"
    assert len(document["consent_records"]) == 2
    assert document["consent_records"][0]["text"].startswith("I ")
    audits = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED, talent_id=lena.pk)
    assert [a.detail["format"] for a in audits.order_by("id")] == ["csv", "json"]
    assert all(a.actor == rita for a in audits)
    assert lena.events.filter(kind=Event.Kind.DATA_EXPORTED).count() == 2


def test_a_formula_in_a_note_stays_text_in_the_csv(lena: Talent, recruiter_client: Client) -> None:
    record(
        recruiter_client, lena, purposes=[Purpose.TALENT_POOL], language="en", note="=HYPERLINK(1)"
    )

    rows = list(csv.DictReader(io.StringIO(export(recruiter_client, lena, "csv").content.decode())))

    assert rows[0]["note"] == "'=HYPERLINK(1)"


def test_the_erase_link_leads_to_erasure_on_request(lena: Talent, recruiter_client: Client) -> None:
    html = page(recruiter_client, lena)

    assert f'href="{reverse("privacy:talent-erase", args=[lena.pk])}"' in html


def test_a_talent_hidden_in_a_private_pool_answers_404_to_every_panel_action(
    db: None, alice: User, rita: User, recruiter_client: Client
) -> None:
    secret = make_pool("Board search", is_private=True)
    talent = make_talent(email="hidden@example.com", pools=[secret], actor=alice)

    assert ask(recruiter_client, talent).status_code == 404
    assert (
        record(recruiter_client, talent, purposes=[Purpose.TALENT_POOL], note="x").status_code
        == 404
    )
    assert export(recruiter_client, talent, "json").status_code == 404
    assert not OutboundEmail.objects.exists()
    assert (
        logged_in(alice)
        .get(reverse("privacy:talent-consent-export", args=[talent.pk, "json"]))
        .status_code
        == 200
    )
