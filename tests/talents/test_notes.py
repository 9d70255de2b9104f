"""Notes on the detail page: who may add, edit and delete them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Event, Note, Talent

from ..conftest import logged_in
from .factories import make_talent
from .test_detail_page import HTMX, detail, text_of


def other_recruiter() -> User:
    return User.objects.create_user("otto", "otto@example.com", "pw", first_name="Otto")


def note_by(author: User, text: str = "Strong Django skills") -> tuple[Talent, Note]:
    talent = make_talent(author)
    return talent, services.add_note(talent, text, author=author)


def test_a_recruiter_adds_a_note_and_sees_it_with_the_timeline(
    recruiter_client: Client, rita: User
) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:note-add", args=[talent.pk]), {"text": "Call back in May"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel" id="notes"')
    assert "Call back in May" in html
    assert "Rita added a note: Call back in May" in text_of(html)
    assert Note.objects.get(talent=talent).author == rita


def test_an_empty_note_is_refused_with_a_message(recruiter_client: Client, rita: User) -> None:
    talent = make_talent(rita)

    response = recruiter_client.post(
        reverse("talents:note-add", args=[talent.pk]), {"text": "   "}, headers=HTMX
    )
    plain = recruiter_client.post(
        reverse("talents:note-add", args=[talent.pk]), {"text": ""}, follow=True
    )

    assert response.status_code == 422
    assert "A note needs some text." in response.content.decode()
    assert "A note needs some text." in plain.content.decode()
    assert not Note.objects.exists()


def test_the_author_edits_their_note(recruiter_client: Client, rita: User) -> None:
    talent, note = note_by(rita)

    response = recruiter_client.post(
        reverse("talents:note-edit", args=[note.pk]), {"text": "Strong Django and htmx skills"}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Strong Django and htmx skills"
    assert "Rita edited a note: Strong Django and htmx skills" in text_of(
        detail(recruiter_client, talent)
    )


def test_another_recruiter_sees_no_buttons_on_a_note_and_gets_403(rita: User) -> None:
    talent, note = note_by(rita)
    otto = logged_in(other_recruiter())

    html = detail(otto, talent)
    edit = otto.post(reverse("talents:note-edit", args=[note.pk]), {"text": "Mine now"})
    delete = otto.post(reverse("talents:note-delete", args=[note.pk]))
    confirm = otto.get(reverse("talents:note-delete", args=[note.pk]))

    assert "Strong Django skills" in html
    assert reverse("talents:note-edit", args=[note.pk]) not in html
    assert reverse("talents:note-delete", args=[note.pk]) not in html
    assert (edit.status_code, delete.status_code, confirm.status_code) == (403, 403, 403)
    note.refresh_from_db()
    assert note.text == "Strong Django skills"


def test_an_admin_edits_and_deletes_anyones_note(admin_client: Client, rita: User) -> None:
    talent, note = note_by(rita)

    html = detail(admin_client, talent)
    admin_client.post(reverse("talents:note-edit", args=[note.pk]), {"text": "Checked by Alice"})
    note.refresh_from_db()
    edited = note.text
    response = admin_client.post(reverse("talents:note-delete", args=[note.pk]), headers=HTMX)

    assert reverse("talents:note-edit", args=[note.pk]) in html
    assert edited == "Checked by Alice"
    assert response.status_code == 200
    assert not Note.objects.filter(pk=note.pk).exists()
    assert "Alice deleted a note" in text_of(detail(admin_client, talent))


def test_deleting_a_note_without_javascript_asks_first(
    recruiter_client: Client, rita: User
) -> None:
    talent, note = note_by(rita)

    confirm = recruiter_client.get(reverse("talents:note-delete", args=[note.pk]))
    deleted = recruiter_client.post(reverse("talents:note-delete", args=[note.pk]), follow=True)

    assert "Delete this note on" in confirm.content.decode()
    assert Note.objects.filter(pk=note.pk).exists() is False
    assert "Note deleted." in deleted.content.decode()
    assert Event.objects.filter(talent=talent, kind=Event.Kind.NOTE_DELETED).exists()


def test_a_viewer_reads_notes_but_cannot_add_edit_or_delete_them(
    viewer_client: Client, rita: User
) -> None:
    talent, note = note_by(rita)

    html = detail(viewer_client, talent)
    add = viewer_client.post(reverse("talents:note-add", args=[talent.pk]), {"text": "Hi"})
    edit = viewer_client.post(reverse("talents:note-edit", args=[note.pk]), {"text": "Hi"})
    delete = viewer_client.post(reverse("talents:note-delete", args=[note.pk]))

    assert "Strong Django skills" in html
    assert 'name="text"' not in html
    assert (add.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert Note.objects.get().text == "Strong Django skills"


def test_a_note_on_a_hidden_talent_is_not_found(alice: User, rita: User) -> None:
    secret = services.save_pool(None, name="Secret", is_private=True, actor=alice)
    talent = make_talent(alice, pools=[secret])
    note = services.add_note(talent, "Confidential", author=alice)

    response = logged_in(rita).post(reverse("talents:note-edit", args=[note.pk]), {"text": "x"})

    assert response.status_code == 404


def test_markup_in_a_note_is_shown_as_text(recruiter_client: Client, rita: User) -> None:
    talent, _note = note_by(rita, "<script>alert('x')</script> **bold**")

    html = detail(recruiter_client, talent)

    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_deleting_notes_of_several_talents_takes_their_words_out_of_the_search(
    rita: User,
) -> None:
    first, on_first = note_by(rita, "Mag Kubernetes")
    kept = services.add_note(first, "Spricht Portugiesisch", author=rita)
    second, on_second = note_by(rita, "Kubernetes im Team")

    services.delete_notes([on_first, on_second], actor=rita)

    assert list(Note.objects.values_list("pk", flat=True)) == [kept.pk]
    found = Talent.objects.filter(search_text__contains="kubernetes")
    assert not found.exists()
    assert Talent.objects.get(pk=first.pk).search_text.endswith("spricht portugiesisch")
    deleted = Event.objects.filter(kind=Event.Kind.NOTE_DELETED)
    assert sorted(deleted.values_list("talent_id", "data")) == sorted(
        [(first.pk, {"note_id": on_first.pk}), (second.pk, {"note_id": on_second.pk})]
    )


def test_notes_are_deleted_all_or_none_by_who_may_delete_them(rita: User) -> None:
    _, mine = note_by(rita)
    _, theirs = note_by(other_recruiter())

    with pytest.raises(PermissionDenied):
        services.delete_notes([mine, theirs], actor=rita)

    assert Note.objects.count() == 2
    assert not Event.objects.filter(kind=Event.Kind.NOTE_DELETED).exists()
