"""A recruiter builds a talent form in the browser: a question of her own, required and
moved up, seen in the live preview in both languages, then published on one site."""

from playwright.sync_api import Page, expect

from silverpool.accounts.models import User
from silverpool.webforms.models import Form

from .conftest import log_in, make_user


def test_recruiter_builds_a_talent_form_and_gets_its_embed_snippet(page: Page) -> None:
    make_user("rita", User.Role.RECRUITER, first_name="Rita")
    log_in(page, "rita")

    # given a new talent form
    page.get_by_role("link", name="Forms", exact=True).click()
    page.get_by_role("link", name="New form").click()
    page.get_by_label("Talent form (joins the talent pool)").check()
    page.get_by_label("Title").fill("Job fair Leipzig")
    page.get_by_role("button", name="Create form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Job fair Leipzig")
    fields = page.locator("#fields")
    preview = page.frame_locator("#form-preview")
    expect(preview.get_by_label("First name")).to_be_visible()

    # when she adds a question, makes it required and moves it above the email
    fields.get_by_label("Question (German)").fill("Was reizt Sie an uns?")
    fields.get_by_label("Question (English)").fill("What draws you to us?")
    fields.get_by_role("button", name="Add question").click()
    expect(page.get_by_role("status")).to_have_text("Question “What draws you to us?” added.")
    question = fields.locator("li", has_text="What draws you to us?")
    question.get_by_label("Required").check()
    expect(page.get_by_role("status")).to_have_text("“What draws you to us?” is required now.")
    move_up = fields.get_by_role("button", name="Move “What draws you to us?” up")
    move_up.click()

    # then the list and the preview show it second, required, and the page says so
    expect(page.get_by_role("status")).to_have_text("“What draws you to us?” is now field 2 of 3.")
    expect(fields.locator("li.builder-field strong")).to_have_text(
        ["First name", "What draws you to us?", "Email"]
    )
    expect(question.get_by_label("Required")).to_be_checked()
    expect(move_up).to_be_focused()  # a keyboard user goes on where they were
    expect(preview.locator(".field label")).to_have_text(
        ["First name *", "What draws you to us? *", "Email *"]
    )

    # and in German once she switches the preview
    page.get_by_role("navigation", name="Language of the preview").get_by_role(
        "link", name="Deutsch"
    ).click()
    expect(preview.get_by_label("Was reizt Sie an uns?")).to_be_visible()

    # when she rewords the German question
    question.get_by_text("Labels and help").click()
    question.get_by_label("Label (German)").fill("Was reizt Sie besonders an uns?")
    question.get_by_role("button", name="Save", exact=True).click()

    # then the preview shows the new words, and the keyboard focus stays where it was
    expect(preview.get_by_label("Was reizt Sie besonders an uns?")).to_be_visible()
    expect(question.get_by_role("button", name="Save", exact=True)).to_be_focused()

    # when she allows one site to embed the form
    sites = page.get_by_label("Sites allowed to embed the form")
    sites.fill("https://Careers.example.com/")
    page.get_by_role("button", name="Save sites").click()

    # then the site is stored as its origin, and the snippet embeds this form
    expect(page.get_by_role("status")).to_contain_text("The sites allowed to embed the form")
    expect(sites).to_have_value("https://careers.example.com")
    form = Form.objects.get(title="Job fair Leipzig")
    assert form.allowed_origins == ["https://careers.example.com"]
    snippet = page.get_by_label("Embed on your site").input_value()
    copy = page.locator("button[data-copy=embed-snippet]")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert f'data-silverpool-form="{form.public_id}"' in snippet
    assert f"/f/{form.public_id}/?embed=1" in snippet
    assert "/static/silverpool/embed.js" in snippet
