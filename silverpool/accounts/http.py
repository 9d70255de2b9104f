"""The request type views see behind @login_required and django-htmx's middleware."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    """A request from a logged-in user, with django-htmx's details."""

    user: User
    htmx: HtmxDetails
