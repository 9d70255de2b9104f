"""Top-level URLs: pages per app, the JSON API, health."""

from django.urls import include, path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="talents:talent-list", permanent=False)),
    path("accounts/", include("silverpool.accounts.urls")),
    path("talents/", include("silverpool.talents.urls")),
    path("imports/", include("silverpool.imports.urls")),
    path("privacy/", include("silverpool.privacy.urls")),
    path("outreach/", include("silverpool.outreach.urls")),
    path("", include("silverpool.webforms.urls")),
    path("api/v1/", api.urls),
]
