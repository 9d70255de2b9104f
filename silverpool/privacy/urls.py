from django.urls import path

from . import views

app_name = "privacy"

urlpatterns: list = [
    # Public pages (signed links, no login): consent page, privacy page.
    # Staff pages: forecast and legal holds, audit log, data-subject requests, settings.
]
