"""Compare and merge two talents from the duplicate banner, and undo it from the timeline."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Merge, Talent

from .factories import make_pool, make_tag, make_talent
from .test_detail_page import detail, text_of
from .test_documents import minimal_pdf


def pair(rita: User) -> tuple[Talent, Talent]:
    """Anna twice: the older profile in Berlin, a newer one from Köln with more attached."""
    anna = make_talent(
        rita, first_name="Anna", last_name="Müller", phone="030 1234567", city="Berlin"
    )
    other = make_talent(
        rita,
        first_name="Anna",
        last_name="Müller",
        phone="030 1234567",
        city="Köln",
        job_title="Data engineer",
        pools=[make_pool("Finalists 2026")],
        tags=[make_tag("Spark")],
    )
    services.add_note(other, "Met at PyCon", author=rita)
    services.add_note(other, "Prefers remote", author=rita)
    services.add_document(other, SimpleUploadedFile("cv.pdf", minimal_pdf("Spark")), actor=rita)
    return anna, other


def merge_url(primary: Talent, secondary: Talent) -> str:
    return reverse("talents:talent-merge", args=[primary.pk, secondary.pk])


def test_the_merge_page_compares_both_and_says_what_moves(
    recruiter_client: Client, rita: User
) -> None:
    anna, other = pair(rita)

    response = recruiter_client.get(merge_url(anna, other))

    html = response.content.decode()
    page = text_of(html)
    assert response.status_code == 200
    assert re.search(r'name="keep_city"\s+value="primary"\s+checked', html)
    assert "Berlin" in page
    assert "Köln" in page
    # The primary has no job title: the other one's is preselected to fill the gap.
    assert re.search(r'name="keep_job_title"\s+value="secondary"\s+checked', html)
    assert 'name="keep_phone"' not in html, "equal values need no choice"
    for moved in ["2 notes", "1 document", "1 pool membership", "1 tag"]:
        assert moved in page
    assert merge_url(other, anna) in html, "the swap link makes the other one primary"


def test_merge_and_undo_give_back_exactly_what_each_talent_had(
    recruiter_client: Client, rita: User
) -> None:
    anna, other = pair(rita)

    # when merging, keeping the other one's city
    response = recruiter_client.post(
        merge_url(anna, other), {"keep_city": "secondary", "keep_job_title": "primary"}, follow=True
    )

    # then the primary has everything
    assert response.redirect_chain[-1][0] == reverse("talents:talent-detail", args=[anna.pk])
    anna.refresh_from_db()
    assert (anna.city, anna.job_title) == ("Köln", "")
    assert sorted(anna.notes.values_list("text", flat=True)) == ["Met at PyCon", "Prefers remote"]
    assert list(anna.pools.values_list("name", flat=True)) == ["Finalists 2026"]
    assert list(anna.tags.values_list("name", flat=True)) == ["Spark"]
    assert anna.documents.count() == 1
    page = text_of(response.content.decode())
    assert "Rita merged with Anna Müller" in page
    assert "Rita added a note: Met at PyCon (from Anna Müller)" in page
    assert "Undo merge" in page
    other_page = recruiter_client.get(reverse("talents:talent-detail", args=[other.pk]))
    assert other_page.status_code == 404

    # when undoing it from the timeline
    merge = Merge.objects.get()
    undone = recruiter_client.post(reverse("talents:merge-undo", args=[merge.pk]), follow=True)

    # then each talent has its own things back
    assert "Merge undone: Anna Müller is a separate profile again." in undone.content.decode()
    anna.refresh_from_db()
    other.refresh_from_db()
    assert anna.city == "Berlin"
    assert anna.notes.count() == 0
    assert anna.pools.count() == 0
    assert anna.tags.count() == 0
    assert other.city == "Köln"
    assert other.merged_into is None
    assert sorted(other.notes.values_list("text", flat=True)) == ["Met at PyCon", "Prefers remote"]
    assert list(other.pools.values_list("name", flat=True)) == ["Finalists 2026"]
    assert list(other.tags.values_list("name", flat=True)) == ["Spark"]
    assert other.documents.count() == 1
    assert "Rita undid the merge with Anna Müller" in text_of(detail(recruiter_client, other))
    assert "Undo merge" not in text_of(detail(recruiter_client, anna))


def test_undoing_a_merge_twice_says_it_was_already_undone(
    recruiter_client: Client, rita: User
) -> None:
    anna, other = pair(rita)
    merge = services.merge_talents(anna, other, choices={}, actor=rita)
    url = reverse("talents:merge-undo", args=[merge.pk])
    recruiter_client.post(url)

    response = recruiter_client.post(url, follow=True)

    assert "This merge has already been undone." in response.content.decode()


def test_an_older_merge_is_undone_only_after_the_later_one(
    recruiter_client: Client, rita: User
) -> None:
    anna, other = pair(rita)
    third = make_talent(rita, first_name="Anne")
    first = services.merge_talents(anna, other, choices={}, actor=rita)
    services.merge_talents(third, anna, choices={}, actor=rita)

    response = recruiter_client.post(reverse("talents:merge-undo", args=[first.pk]))

    # Anna is now hidden inside Anne, so the first merge is out of reach until the second goes.
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.undone_at is None


def test_a_merge_that_is_out_of_order_is_refused_by_the_service(rita: User) -> None:
    anna, other = pair(rita)
    third = make_talent(rita, first_name="Anne")
    first = services.merge_talents(anna, other, choices={}, actor=rita)
    services.merge_talents(third, anna, choices={}, actor=rita)

    with pytest.raises(ValidationError, match="undo that merge first"):
        services.undo_merge(first, actor=rita)

    assert third.notes.count() == 2


def test_a_viewer_can_neither_merge_nor_undo(viewer_client: Client, rita: User) -> None:
    anna, other = pair(rita)
    merge = services.merge_talents(anna, other, choices={}, actor=rita)
    third = make_talent(rita)

    html = detail(viewer_client, anna)
    page = viewer_client.get(merge_url(anna, third))
    post = viewer_client.post(merge_url(anna, third))
    undo = viewer_client.post(reverse("talents:merge-undo", args=[merge.pk]))

    assert "Undo merge" not in html
    assert (page.status_code, post.status_code, undo.status_code) == (403, 403, 403)
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_a_talent_cannot_be_merged_with_itself(recruiter_client: Client, rita: User) -> None:
    anna = make_talent(rita)

    response = recruiter_client.post(merge_url(anna, anna))

    assert response.status_code == 404


def test_an_unknown_choice_value_keeps_the_primary_value(
    recruiter_client: Client, rita: User
) -> None:
    anna, other = pair(rita)

    recruiter_client.post(merge_url(anna, other), {"keep_city": "both", "keep_status_id": "x"})

    anna.refresh_from_db()
    assert anna.city == "Berlin"
    assert anna.merges.count() == 1
