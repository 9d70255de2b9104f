"""Field groups: silverpool/templates/forms/field.html draws every `field.as_field_group`."""

import re

from django.test import Client
from django.urls import reverse


def test_a_field_with_help_and_an_error_points_at_both(admin_client: Client) -> None:
    response = admin_client.post(reverse("accounts:user-create"), {"role": "recruiter"})

    html = response.content.decode()
    assert 'aria-describedby="id_username_helptext id_username_error"' in html
    assert '<div class="field has-error">' in html
    assert '<div class="help" id="id_username_helptext">Used to log in.' in html
    assert '<ul class="errorlist" id="id_username_error">' in html
    described = {i for ids in re.findall(r'aria-describedby="([^"]+)"', html) for i in ids.split()}
    assert described
    assert {i for i in described if f'id="{i}"' not in html} == set()
