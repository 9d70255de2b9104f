"""The form builder: who may use it, creating a form, its settings and what is refused,
the fields and their order, the live preview, publishing, submissions, deleting and
copying a form, the branding, and the starter forms."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.privacy.models import Purpose
from silverpool.talents.models import Status
from silverpool.webforms import services
from silverpool.webforms.models import Branding, Form, FormField, Submission

from ..talents.factories import make_pool, make_tag, make_talent
from ..talents.test_detail_page import text_of
from .factories import make_follow_up_form, make_talent_form

Callbacks = Callable[..., AbstractContextManager[Any]]
HTMX = {"HX-Request": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64

pytestmark = pytest.mark.django_db


def edit_url(form: Form) -> str:
    return reverse("webforms:form-edit", args=[form.pk])


def keys(form: Form) -> list[str]:
    return list(form.fields.values_list("key", flat=True))


def field(form: Form, key: str) -> FormField:
    return form.fields.get(key=key)


def field_url(name: str, f: FormField) -> str:
    return reverse(f"webforms:{name}", args=[f.form_id, f.pk])


# --- who may use it ------------------------------------------------------------------------


def test_viewers_get_403_on_every_builder_page(viewer_client: Client) -> None:
    form = make_talent_form()
    email = field(form, "email")
    pages = [
        ("get", reverse("webforms:form-list")),
        ("get", reverse("webforms:form-create")),
        ("get", edit_url(form)),
        ("get", reverse("webforms:form-preview", args=[form.pk])),
        ("get", reverse("webforms:submission-list", args=[form.pk])),
        ("post", edit_url(form)),
        ("post", reverse("webforms:form-sites", args=[form.pk])),
        ("post", reverse("webforms:field-add", args=[form.pk])),
        ("post", reverse("webforms:question-add", args=[form.pk])),
        ("post", field_url("field-edit", email)),
        ("post", field_url("field-required", email)),
        ("post", field_url("field-move", email)),
        ("post", field_url("field-remove", email)),
        ("post", reverse("webforms:form-delete", args=[form.pk])),
        ("post", reverse("webforms:form-duplicate", args=[form.pk])),
    ]

    for method, url in pages:
        assert getattr(viewer_client, method)(url).status_code == 403, url
    assert Form.objects.filter(pk=form.pk).exists()


def test_the_menu_shows_forms_to_recruiters_and_not_to_viewers(
    recruiter_client: Client, viewer_client: Client
) -> None:
    forms_url = reverse("webforms:form-list")

    assert forms_url in recruiter_client.get(reverse("talents:talent-list")).content.decode()
    assert forms_url not in viewer_client.get(reverse("talents:talent-list")).content.decode()


def test_the_branding_is_for_admins_only(recruiter_client: Client, admin_client: Client) -> None:
    url = reverse("webforms:branding")

    assert recruiter_client.get(url).status_code == 403
    assert admin_client.get(url).status_code == 200


def test_the_access_helper_refuses_readers_and_unknown_forms(victor: User, rita: User) -> None:
    with pytest.raises(PermissionDenied):
        services.get_form_for(victor, make_talent_form().pk)
    with pytest.raises(Http404, match="No such form"):
        services.get_form_for(rita, 999_999)


# --- creating a form -----------------------------------------------------------------------


def test_a_new_talent_form_asks_first_name_and_email_and_every_consent(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.TALENT, title=" Job fair ", actor=rita)

    assert form.title == "Job fair"
    assert form.languages == ["de", "en"]
    assert [(f.key, f.required) for f in form.fields.all()] == [
        ("first_name", True),
        ("email", True),
    ]
    assert set(form.purposes.all()) == set(Purpose.objects.all())
    assert form.created_by == rita


def test_a_new_application_form_asks_first_name_and_email_without_consent(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.APPLICATION, title="Apply", actor=rita)

    assert keys(form) == ["first_name", "email"]
    assert not form.purposes.exists()


def test_a_new_follow_up_form_starts_empty(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.FOLLOW_UP, title="Update", actor=rita)

    assert keys(form) == []
    assert not form.purposes.exists()


def test_a_recruiter_creates_a_form_and_lands_on_its_page(recruiter_client: Client) -> None:
    response = recruiter_client.post(
        reverse("webforms:form-create"), {"kind": "talent", "title": "Careers page"}
    )

    form = Form.objects.get(title="Careers page")
    assert response.status_code == 302
    assert response["Location"] == edit_url(form)
    page = text_of(recruiter_client.get(response["Location"]).content.decode())
    assert "Form “Careers page” created." in page
    assert "First name" in page


def test_a_form_without_a_title_is_not_created(recruiter_client: Client) -> None:
    count = Form.objects.count()

    response = recruiter_client.post(
        reverse("webforms:form-create"), {"kind": "talent", "title": "  "}
    )

    assert response.status_code == 422
    assert Form.objects.count() == count


# --- settings ------------------------------------------------------------------------------


def test_the_settings_are_saved(recruiter_client: Client, rita: User) -> None:
    form = make_talent_form()
    pool = make_pool("Backend")
    follow_up = make_follow_up_form()
    status = Status.objects.get(key="new")

    response = recruiter_client.post(
        edit_url(form),
        {
            "title": "Careers page",
            "description_en": "Join us",
            "description_de": "Mach mit",
            "languages": ["en"],
            "thank_you_en": "Thanks!",
            "thank_you_de": "Danke!",
            "redirect_url": "https://example.com/thanks",
            "pools": [pool.pk],
            "status": status.pk,
            "owner": rita.pk,
            "notify": [rita.pk],
            "purposes": [Purpose.objects.get(key=Purpose.TALENT_POOL).pk],
            "second_step": follow_up.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    form.refresh_from_db()
    assert (form.title, form.description_de, form.languages) == ("Careers page", "Mach mit", ["en"])
    assert form.redirect_url == "https://example.com/thanks"
    assert list(form.pools.all()) == [pool]
    assert (form.status, form.owner, form.second_step) == (status, rita, follow_up)
    assert list(form.notify.all()) == [rita]
    assert list(form.purposes.values_list("key", flat=True)) == [Purpose.TALENT_POOL]
    assert form.is_active


def test_a_form_is_offered_in_german_or_english_or_both(rita: User) -> None:
    form = make_talent_form()

    for languages in ([], ["fr"], ["en", "fr"]):
        with pytest.raises(ValidationError) as refused:
            services.update_form(form, {"languages": languages}, actor=rita)
        assert refused.value.message_dict == {
            "languages": ["Choose at least one language: German or English."]
        }
    services.update_form(form, {"languages": ["en", "de"]}, actor=rita)
    assert Form.objects.get(pk=form.pk).languages == ["de", "en"]


def test_the_redirect_goes_to_a_web_address_only(rita: User) -> None:
    form = make_talent_form()

    with pytest.raises(ValidationError) as refused:
        services.update_form(form, {"redirect_url": "javascript:alert(1)"}, actor=rita)

    assert refused.value.message_dict["redirect_url"] == [
        "Enter an address that starts with https:// or http://."
    ]


def test_the_second_step_is_another_follow_up_form(rita: User) -> None:
    form = make_talent_form()
    other_talent_form = make_talent_form("Other")
    follow_up = make_follow_up_form(is_active=False)

    with pytest.raises(ValidationError, match="must be a follow-up form"):
        services.update_form(form, {"second_step": other_talent_form}, actor=rita)
    with pytest.raises(ValidationError, match="must be a follow-up form"):
        services.update_form(form, {"second_step": form}, actor=rita)
    services.update_form(form, {"second_step": follow_up}, actor=rita)

    assert Form.objects.get(pk=form.pk).second_step == follow_up


def test_a_follow_up_form_has_no_second_step_and_no_consent(rita: User) -> None:
    form = make_follow_up_form()
    other = make_follow_up_form("Other")

    with pytest.raises(ValidationError) as refused:
        services.update_form(
            form, {"second_step": other, "purposes": list(Purpose.objects.all())}, actor=rita
        )

    assert set(refused.value.message_dict) == {"second_step", "purposes"}
    assert Form.objects.get(pk=form.pk).second_step is None


def test_the_settings_page_of_a_follow_up_form_offers_no_pools_consent_or_second_step(
    recruiter_client: Client,
) -> None:
    form = make_follow_up_form()

    page = recruiter_client.get(edit_url(form)).content.decode()

    for name in ("pools", "tags", "status", "owner", "purposes", "second_step"):
        assert f'name="{name}"' not in page
    assert 'name="notify"' in page
    assert "personal link" in page


def test_nothing_is_saved_when_one_setting_is_refused(recruiter_client: Client) -> None:
    form = make_talent_form("Careers site")

    response = recruiter_client.post(
        edit_url(form),
        {"title": "New title", "languages": ["de"], "redirect_url": "ftp://example.com/x"},
    )

    assert response.status_code == 422
    assert "Enter an address that starts with https:// or http://." in response.content.decode()
    assert Form.objects.get(pk=form.pk).title == "Careers site"


def test_a_recruiter_keeps_the_private_pool_an_admin_chose(
    recruiter_client: Client, rita: User
) -> None:
    secret = make_pool("Executive search", is_private=True)
    public = make_pool("Backend")
    form = make_talent_form(pools=[secret])

    page = recruiter_client.get(edit_url(form)).content.decode()
    recruiter_client.post(
        edit_url(form), {"title": form.title, "languages": ["de"], "pools": [public.pk]}
    )

    assert "Executive search" not in page
    assert f'name="pools" value="{public.pk}"' in page
    assert set(Form.objects.get(pk=form.pk).pools.all()) == {secret, public}


def test_an_inactive_second_step_is_marked_as_sending_nothing(recruiter_client: Client) -> None:
    make_follow_up_form("Profile update", is_active=False)
    form = make_talent_form()

    page = recruiter_client.get(edit_url(form)).content.decode()

    assert "Profile update (inactive: no link is sent)" in page


def test_the_settings_offer_the_pools_and_tags_to_choose_from(recruiter_client: Client) -> None:
    pool = make_pool("Backend")
    tag = make_tag("Runner-up")
    form = make_talent_form()

    page = recruiter_client.get(edit_url(form)).content.decode()

    assert f'name="pools" value="{pool.pk}"' in page
    assert f'name="tags" value="{tag.pk}"' in page


# --- allowed sites -------------------------------------------------------------------------


def test_allowed_sites_are_stored_as_origins() -> None:
    lines = [
        "https://Careers.Example.com/",
        "",
        "https://careers.example.com",
        "http://localhost:8000",
        "https://example.com:443",
        "http://192.168.1.5:8080",
        "https://Karriere.Müller.de",
    ]

    assert services.normalise_origins(lines) == [
        "https://careers.example.com",
        "http://localhost:8000",
        "https://example.com",
        "http://192.168.1.5:8080",
        "https://karriere.xn--mller-kva.de",
    ]


def test_each_bad_site_gets_its_own_message() -> None:
    lines = [
        "www.example.com",
        "ftp://example.com",
        "https://example.com/careers",
        "https://*.example.com",
        "https://user@example.com",
        "https://example.com:99999",
    ]

    with pytest.raises(ValidationError) as refused:
        services.normalise_origins(lines)

    assert refused.value.messages == [
        "“www.example.com”: start with https:// (or http://), e.g. https://www.example.com.",
        "“ftp://example.com”: start with https:// (or http://), e.g. https://example.com.",
        "“https://example.com/careers”: enter the site without a path, e.g. https://example.com.",
        "“https://*.example.com”: enter the site's address only, e.g. https://www.example.com.",
        "“https://user@example.com”: enter the site's address only, e.g. https://www.example.com.",
        "“https://example.com:99999” is not a web address.",
    ]


def test_the_sites_form_saves_the_list_and_shows_what_is_wrong(recruiter_client: Client) -> None:
    form = make_talent_form()
    url = reverse("webforms:form-sites", args=[form.pk])

    refused = recruiter_client.post(url, {"allowed_origins": "https://ok.example\nexample.org"})
    saved = recruiter_client.post(url, {"allowed_origins": "https://ok.example/\r\n\r\n"})

    assert refused.status_code == 422
    assert "“example.org”: start with https://" in refused.content.decode()
    assert saved.status_code == 302
    assert Form.objects.get(pk=form.pk).allowed_origins == ["https://ok.example"]


def test_saving_the_settings_keeps_the_sites_saved_meanwhile(rita: User) -> None:
    form = make_talent_form()
    page_loaded_before = Form.objects.get(pk=form.pk)
    services.update_form(form, {"allowed_origins": ["https://ok.example"]}, actor=rita)

    services.update_form(page_loaded_before, {"title": "Job fair"}, actor=rita)

    form.refresh_from_db()
    assert (form.title, form.allowed_origins) == ("Job fair", ["https://ok.example"])


# --- fields --------------------------------------------------------------------------------


def test_fields_are_added_at_the_end_and_optional(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.TALENT, title="Fair", actor=rita)

    services.add_field(form, kind=FormField.Kind.TALENT, key="city")
    services.add_field(form, kind=FormField.Kind.CV)
    services.add_field(form, kind=FormField.Kind.RECRUITER)

    assert [(f.key, f.position, f.required) for f in form.fields.all()] == [
        ("first_name", 0, True),
        ("email", 1, True),
        ("city", 2, False),
        ("cv", 3, False),
        ("recruiter", 4, False),
    ]


def test_a_field_is_on_a_form_once(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.TALENT, title="Fair", actor=rita)
    services.add_field(form, kind=FormField.Kind.RECRUITER)

    for kind, key in [(FormField.Kind.RECRUITER, ""), (FormField.Kind.TALENT, "email")]:
        with pytest.raises(ValidationError, match="The form has this field already."):
            services.add_field(form, kind=kind, key=key)


def test_only_known_fields_can_be_added(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.TALENT, title="Fair", actor=rita)

    with pytest.raises(ValidationError, match="no such talent field"):
        services.add_field(form, kind=FormField.Kind.TALENT, key="is_restricted")
    with pytest.raises(ValidationError, match="no such custom field"):
        services.add_field(form, kind=FormField.Kind.CUSTOM, key="shoe_size")


def test_questions_get_keys_of_their_own_and_need_words(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.TALENT, title="Fair", actor=rita)

    first = services.add_field(form, kind=FormField.Kind.QUESTION, label_en="Why us?")
    second = services.add_field(form, kind=FormField.Kind.QUESTION, label_de="Wann?")
    services.remove_field(first)
    third = services.add_field(form, kind=FormField.Kind.QUESTION, label_en="Where?")

    assert (first.key, second.key, third.key) == ("question_1", "question_2", "question_1")
    with pytest.raises(ValidationError, match="Write the question in German or English."):
        services.add_field(form, kind=FormField.Kind.QUESTION, label_en=" ")


def test_first_name_and_email_stay_required_on_forms_that_add_talents(rita: User) -> None:
    form = services.create_form(kind=Form.Kind.APPLICATION, title="Apply", actor=rita)
    email = field(form, "email")

    with pytest.raises(ValidationError, match="always require the first name and the email"):
        services.edit_field(email, {"required": False})
    with pytest.raises(ValidationError, match="always have the first name and the email"):
        services.remove_field(field(form, "first_name"))

    assert [(f.key, f.required) for f in form.fields.all()] == [
        ("first_name", True),
        ("email", True),
    ]


def test_a_follow_up_form_may_leave_out_the_first_name(rita: User) -> None:
    form = make_follow_up_form()

    services.remove_field(field(form, "first_name"))

    assert "first_name" not in keys(form)


def test_moving_a_field_swaps_it_with_its_neighbour_and_renumbers(rita: User) -> None:
    form = make_talent_form()
    FormField.objects.filter(form=form).update(position=7)  # e.g. a form made elsewhere

    services.move_field(field(form, "cv"), up=True)
    services.move_field(field(form, "first_name"), up=True)
    services.move_field(field(form, "first_name"), up=False)

    assert [(f.key, f.position) for f in form.fields.all()] == [
        ("last_name", 0),
        ("first_name", 1),
        ("email", 2),
        ("cv", 3),
        ("motivation", 4),
    ]


def test_removing_a_field_closes_the_gap(rita: User) -> None:
    form = make_talent_form()

    services.remove_field(field(form, "last_name"))

    assert [(f.key, f.position) for f in form.fields.all()] == [
        ("first_name", 0),
        ("email", 1),
        ("motivation", 2),
        ("cv", 3),
    ]


def test_labels_and_help_are_edited_in_both_languages(recruiter_client: Client) -> None:
    form = make_talent_form()
    city = services.add_field(form, kind=FormField.Kind.TALENT, key="city")
    prefix = f"field-{city.pk}-"

    response = recruiter_client.post(
        field_url("field-edit", city),
        {
            prefix + "label_de": " Wohnort ",
            prefix + "label_en": "Where do you live?",
            prefix + "help_de": "Stadt genügt",
            prefix + "help_en": "The city is enough",
        },
        headers=HTMX,
    )

    city.refresh_from_db()
    assert response.status_code == 200
    assert (city.label_de, city.label_en) == ("Wohnort", "Where do you live?")
    assert (city.help_de, city.help_en) == ("Stadt genügt", "The city is enough")
    assert "“Where do you live?” saved." in response.content.decode()


def test_a_label_that_is_too_long_is_refused_with_the_label_named(
    recruiter_client: Client,
) -> None:
    form = make_talent_form()
    city = services.add_field(form, kind=FormField.Kind.TALENT, key="city")

    response = recruiter_client.post(
        field_url("field-edit", city), {f"field-{city.pk}-label_en": "x" * 201}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Label (English): Ensure this value has at most 200 characters" in text_of(html)
    assert f'value="{"x" * 201}"' in html  # still there to shorten, in the open section
    assert "<details open>" in html
    assert FormField.objects.get(pk=city.pk).label_en == ""


def test_adding_a_field_with_htmx_answers_with_the_panel_and_reloads_the_preview(
    recruiter_client: Client,
) -> None:
    form = make_talent_form()

    response = recruiter_client.post(
        reverse("webforms:field-add", args=[form.pk]), {"field": "talent:city"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "form-changed"
    assert html.lstrip().startswith('<section class="panel" id="fields"')
    assert "“City” added." in html
    assert 'hx-swap-oob="true"' in html
    assert keys(form)[-1] == "city"


def test_adding_a_field_without_javascript_goes_back_to_the_page(recruiter_client: Client) -> None:
    form = make_talent_form()

    response = recruiter_client.post(
        reverse("webforms:question-add", args=[form.pk]),
        {"label_de": "Warum wir?", "label_en": "Why us?"},
        follow=True,
    )

    assert response.redirect_chain == [(edit_url(form) + "#fields", 302)]
    assert "Question “Why us?” added." in response.content.decode()
    assert field(form, "question_1").label_de == "Warum wir?"


def test_a_refused_field_change_tells_why_and_does_not_reload_the_preview(
    recruiter_client: Client,
) -> None:
    form = make_talent_form()
    email = field(form, "email")

    response = recruiter_client.post(field_url("field-required", email), {}, headers=HTMX)

    assert response.status_code == 422
    assert "HX-Trigger" not in response
    assert "always require the first name and the email" in response.content.decode()
    assert FormField.objects.get(pk=email.pk).required


def test_the_required_switch_and_the_arrows_change_the_form(recruiter_client: Client) -> None:
    form = make_talent_form()
    question = field(form, "motivation")

    recruiter_client.post(field_url("field-required", question), {"required": "1"}, headers=HTMX)
    recruiter_client.post(field_url("field-move", question), {"direction": "up"}, headers=HTMX)
    recruiter_client.post(field_url("field-remove", field(form, "cv")), headers=HTMX)

    assert FormField.objects.get(pk=question.pk).required
    assert keys(form) == ["first_name", "last_name", "motivation", "email"]


def test_a_moved_field_says_where_it_is_now(recruiter_client: Client) -> None:
    form = make_talent_form()
    email = field(form, "email")

    response = recruiter_client.post(
        field_url("field-move", email), {"direction": "up"}, headers=HTMX
    )

    assert response["HX-Trigger"] == "form-changed"
    assert "“Email” is now field 2 of 5." in response.content.decode()
    assert keys(form)[:3] == ["first_name", "email", "last_name"]


def test_the_fields_of_another_form_are_not_found(recruiter_client: Client) -> None:
    form = make_talent_form()
    other = make_talent_form("Other")

    response = recruiter_client.post(
        reverse("webforms:field-remove", args=[form.pk, field(other, "cv").pk])
    )

    assert response.status_code == 404
    assert "cv" in keys(other)


# --- preview and publishing ----------------------------------------------------------------


def test_the_preview_may_be_framed_by_silverpool_only(recruiter_client: Client) -> None:
    form = make_talent_form(allowed_origins=["https://careers.example.com"])

    response = recruiter_client.get(reverse("webforms:form-preview", args=[form.pk]))

    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "careers.example.com" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_preview_shows_the_form_in_the_language_asked_for(recruiter_client: Client) -> None:
    form = make_talent_form()
    services.add_field(
        form, kind=FormField.Kind.QUESTION, label_en="Why us?", label_de="Warum wir?"
    )
    url = reverse("webforms:form-preview", args=[form.pk])

    german = recruiter_client.get(url, {"lang": "de"}).content.decode()
    english = recruiter_client.get(url, {"lang": "en"}).content.decode()
    unknown = recruiter_client.get(url, {"lang": "fr"}).content.decode()

    assert "Warum wir?" in german
    assert "Why us?" not in german
    assert "Why us?" in english
    assert '<html lang="en">' in unknown  # the form's first language


def test_the_edit_page_shows_the_public_address_and_the_embed_snippet(
    recruiter_client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://talents.example.com"
    form = make_talent_form('Careers "site"')

    page = recruiter_client.get(edit_url(form)).content.decode()

    public = f"https://talents.example.com/f/{form.public_id}/"
    assert f'value="{public}"' in page
    snippet = services.embed_snippet(form)
    assert snippet == (
        f'<iframe src="{public}?embed=1" title="Careers &quot;site&quot;" '
        f'data-silverpool-form="{form.public_id}" style="width:100%;border:0" '
        'loading="lazy"></iframe>'
        '<script src="https://talents.example.com/static/silverpool/embed.js" async></script>'
    )
    assert "&lt;iframe src=&quot;" + public in page
    assert reverse("webforms:form-preview", args=[form.pk]) + "?lang=en" in page


def test_the_list_shows_each_form_with_its_submissions(recruiter_client: Client) -> None:
    form = make_talent_form("Careers site")
    talent = make_talent()
    Submission.objects.create(form=form, talent=talent, language="en")
    Submission.objects.create(form=form, talent=talent, language="de")
    follow_up = make_follow_up_form("Keep it fresh")

    html = recruiter_client.get(reverse("webforms:form-list")).content.decode()

    rows = [text_of(row) for row in html.split("<tr>")[2:]]
    careers = next(row for row in rows if "Careers site" in row)
    fresh = next(row for row in rows if "Keep it fresh" in row)
    assert "Careers site Talent form (joins the talent pool) active 2 " in careers
    assert services.public_url(form) in html
    assert "Follow-up form (a talent updates their data) active 0 — Personal links only" in fresh
    assert edit_url(follow_up) in html


# --- submissions ---------------------------------------------------------------------------


def test_submissions_show_the_talent_answers_and_campaign(recruiter_client: Client) -> None:
    form = make_talent_form()
    lena = make_talent(first_name="Lena", last_name="Vogel")
    Submission.objects.create(
        form=form,
        talent=lena,
        created_talent=True,
        language="en",
        answers=[{"question": "Why us?", "answer": "The people"}],
        campaign={"utm_source": "linkedin"},
    )

    page = text_of(
        recruiter_client.get(reverse("webforms:submission-list", args=[form.pk])).content.decode()
    )

    assert "Lena Vogel" in page
    assert "new" in page
    assert "Why us? The people" in page
    assert "utm_source=linkedin" in page


def test_submissions_do_not_name_talents_the_user_may_not_see(recruiter_client: Client) -> None:
    form = make_talent_form()
    secret = make_pool("Executive search", is_private=True)
    hidden = make_talent(first_name="Hanna", last_name="Geheim", pools=[secret])
    Submission.objects.create(
        form=form, talent=hidden, language="en", answers=[{"question": "Q", "answer": "Secret"}]
    )

    page = recruiter_client.get(reverse("webforms:submission-list", args=[form.pk]))

    html = page.content.decode()
    assert "Geheim" not in html
    assert "Secret" not in html
    assert "Not visible to you" in html
    assert reverse("talents:talent-detail", args=[hidden.pk]) not in html


def test_submissions_come_in_pages(recruiter_client: Client) -> None:
    form = make_talent_form()
    talent = make_talent()
    Submission.objects.bulk_create(
        Submission(form=form, talent=talent, language="en") for _ in range(51)
    )
    url = reverse("webforms:submission-list", args=[form.pk])

    first = recruiter_client.get(url).content.decode()
    second = recruiter_client.get(url, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert second.count("<time datetime") == 1


# --- deleting and copying ------------------------------------------------------------------


def test_a_form_nobody_sent_is_deleted(recruiter_client: Client) -> None:
    form = make_talent_form()
    url = reverse("webforms:form-delete", args=[form.pk])

    question = recruiter_client.get(url).content.decode()
    response = recruiter_client.post(url)

    assert "Delete the form “Careers site”?" in question
    assert response["Location"] == reverse("webforms:form-list")
    assert not Form.objects.filter(pk=form.pk).exists()


def test_a_sent_form_is_not_deleted_but_may_be_deactivated(recruiter_client: Client) -> None:
    form = make_talent_form()
    Submission.objects.create(form=form, talent=make_talent(), language="en")
    url = reverse("webforms:form-delete", args=[form.pk])

    question = text_of(recruiter_client.get(url).content.decode())
    response = recruiter_client.post(url, follow=True)

    assert "This form was sent 1 time." in question
    assert "deactivate it instead" in question
    assert "deactivate it instead" in response.content.decode()
    assert Form.objects.filter(pk=form.pk).exists()
    with pytest.raises(ValidationError):
        services.delete_form(form)


def test_deleting_a_follow_up_form_says_which_links_and_second_steps_end(
    recruiter_client: Client,
) -> None:
    follow_up = make_follow_up_form("Profile update")
    make_talent_form("Careers site", second_step=follow_up)

    page = text_of(
        recruiter_client.get(reverse("webforms:form-delete", args=[follow_up.pk])).content.decode()
    )

    assert "The personal links already emailed to talents stop working." in page
    assert "These forms then send no second step: Careers site." in page


def test_a_copy_of_a_form_with_a_long_title_fits(rita: User) -> None:
    form = make_talent_form("Job fair " + "x" * 191)

    copy = services.duplicate_form(form, actor=rita)

    assert len(copy.title) == 200
    assert copy.title.endswith("x… (copy)")


def test_a_copy_has_the_settings_and_fields_and_starts_inactive(
    recruiter_client: Client, rita: User
) -> None:
    pool = make_pool("Backend")
    form = make_talent_form(pools=[pool], allowed_origins=["https://careers.example.com"])

    response = recruiter_client.post(reverse("webforms:form-duplicate", args=[form.pk]))

    copy = Form.objects.get(title="Careers site (copy)")
    assert response["Location"] == edit_url(copy)
    assert copy.public_id != form.public_id
    assert not copy.is_active
    assert copy.created_by == rita
    assert list(copy.pools.all()) == [pool]
    assert copy.allowed_origins == ["https://careers.example.com"]
    assert set(copy.purposes.all()) == set(form.purposes.all())
    assert keys(copy) == keys(form)


# --- branding ------------------------------------------------------------------------------


def upload(content: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.mark.parametrize(
    ("content", "mime"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")]
)
def test_a_logo_is_known_by_its_content(
    admin_client: Client, content: bytes, mime: str, settings: Any
) -> None:
    response = admin_client.post(
        reverse("webforms:branding"), {"colour": "#AA3300", "logo": upload(content, "x.bin")}
    )

    brand = Branding.objects.get()
    assert response.status_code == 302
    assert brand.logo_type == mime
    assert brand.colour == "#aa3300"
    served = Client().get(reverse("webforms:brand-logo"))
    assert served["Content-Type"] == mime
    # A file that is also HTML or script stays an image: no sniffing, nothing to run.
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(served.streaming_content) == content  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "must be a PNG, JPEG or WebP image"),
        (b"GIF89a" + b"\x00" * 20, "must be a PNG, JPEG or WebP image"),
        (PNG + b"\x00" * (1024 * 1024), "The logo is 1.0 MB; at most 1 MB is allowed."),
    ],
)
def test_a_logo_that_is_not_a_small_image_is_refused(
    admin_client: Client, content: bytes, message: str
) -> None:
    response = admin_client.post(
        reverse("webforms:branding"), {"colour": "#aa3300", "logo": upload(content)}
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Branding.objects.exists()


def test_a_colour_is_six_hex_digits(admin_client: Client) -> None:
    response = admin_client.post(reverse("webforms:branding"), {"colour": "red"})

    assert response.status_code == 422
    assert "Enter a colour as #rrggbb" in response.content.decode()


def test_a_colour_too_light_for_white_text_is_refused(admin_client: Client) -> None:
    url = reverse("webforms:branding")

    yellow = admin_client.post(url, {"colour": "#ffcc00"})
    grey = admin_client.post(url, {"colour": "#767676"})

    assert yellow.status_code == 422
    assert "White text on #ffcc00 is hard to read (contrast 1.5 to 1" in text_of(
        yellow.content.decode()
    )
    assert grey.status_code == 302
    assert Branding.objects.get().colour == "#767676"


def test_a_new_logo_replaces_the_old_file(
    alice: User, settings: Any, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.save_branding(colour="#123456", logo=upload(PNG)).logo.path
    with django_capture_on_commit_callbacks(execute=True):
        second = services.save_branding(colour="#123456", logo=upload(JPEG, "b.jpg")).logo.path

    assert not Path(first).exists()
    assert Path(second).read_bytes() == JPEG
    assert Path(second).name.endswith(".jpg")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_branding(colour="#123456", remove_logo=True)
    assert not Path(second).exists()
    assert not Branding.objects.get().logo


def test_a_logo_whose_file_is_gone_is_simply_not_shown(
    client: Client, django_capture_on_commit_callbacks: Callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        path = services.save_branding(colour="#123456", logo=upload(PNG)).logo.path
    Path(path).unlink()

    assert client.get(reverse("webforms:brand-logo")).status_code == 404


# --- starter forms -------------------------------------------------------------------------


def test_three_starter_forms_ship_with_the_product() -> None:
    talent = Form.objects.get(kind=Form.Kind.TALENT, title="Talent pool sign-up")
    follow_up = Form.objects.get(kind=Form.Kind.FOLLOW_UP, title="Profile update")
    application = Form.objects.get(kind=Form.Kind.APPLICATION, title="Application")

    assert keys(talent) == ["first_name", "last_name", "email", "recruiter", "interests", "cv"]
    interests = field(talent, "interests")
    assert interests.label_de == "Ich interessiere mich für Stellen in folgenden Bereichen"
    assert interests.help_de == "Zum Beispiel: Softwareentwicklung, Vertrieb, Finanzen."
    assert list(talent.purposes.values_list("key", flat=True)) == [Purpose.TALENT_POOL]
    assert talent.description_de
    assert talent.thank_you_en
    assert (talent.heading_de, talent.heading_en) == (
        "Werden Sie Teil unseres Talentpools",
        "Join our talent pool",
    )
    assert keys(follow_up) == [
        "job_title",
        "skills",
        "salary_amount",
        "salary_period",
        "available_from",
        "city",
        "cv",
    ]
    assert keys(application) == ["first_name", "last_name", "email", "phone", "cv"]


def test_the_starter_talent_form_can_be_sent(client: Client, settings: Any) -> None:
    settings.FORM_MIN_FILL_SECONDS = 0
    form = Form.objects.get(title="Talent pool sign-up")
    page = client.get(reverse("webforms:form", args=[form.public_id]), {"lang": "de"})
    token = page.context["public"]["form_token"].value()

    response = client.post(
        reverse("webforms:form", args=[form.public_id]),
        {
            "form_token": token,
            "lang": "de",
            "first_name": "Lena",
            "last_name": "Vogel",
            "email": "lena.vogel@example.com",
            "q_interests": "Data, Backend",
            "consent_talent_pool": "on",
        },
        headers={"Origin": "http://testserver"},
    )

    assert response.status_code == 303
    submission = Submission.objects.get(form=form)
    assert submission.talent.last_name == "Vogel"
    assert submission.answers == [
        {
            "question": "Ich interessiere mich für Stellen in folgenden Bereichen",
            "answer": "Data, Backend",
        }
    ]
