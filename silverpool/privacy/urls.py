from django.urls import path

from .views import (
    audit,
    consent_page,
    data_export,
    erase,
    forecast,
    overview,
    privacy_page,
    records,
    requests,
    settings,
    talent_panel,
)

app_name = "privacy"

urlpatterns = [
    # Public pages for talents: signed links, no login.
    path("me/<str:token>/", privacy_page.privacy_page, name="privacy-page"),
    path("me/<str:token>/withdraw/", privacy_page.privacy_withdraw, name="privacy-withdraw"),
    path("me/<str:token>/consent/", privacy_page.privacy_consent, name="privacy-consent"),
    path("me/<str:token>/my-data.json", privacy_page.privacy_export, name="privacy-export"),
    path("me/<str:token>/copy/", privacy_page.privacy_copy, name="privacy-copy"),
    path(
        "me/<str:token>/documents/<str:document>/",
        privacy_page.privacy_document,
        name="privacy-document",
    ),
    path("me/<str:token>/delete/", privacy_page.privacy_erase, name="privacy-erase"),
    path("goodbye/", privacy_page.privacy_goodbye, name="privacy-goodbye"),
    path("consent/<str:token>/", consent_page.consent_page, name="consent-page"),
    # Pages for recruiters and admins.
    path("talents/<int:pk>/export.json", data_export.talent_export, name="talent-export"),
    path("talents/<int:pk>/copy/", data_export.talent_copy, name="talent-copy"),
    path("talents/<int:pk>/erase/", erase.talent_erase, name="talent-erase"),
    path("talents/<int:pk>/consent/ask/", talent_panel.consent_ask, name="talent-consent-ask"),
    path(
        "talents/<int:pk>/consent/record/",
        talent_panel.consent_record,
        name="talent-consent-record",
    ),
    path(
        "talents/<int:pk>/consent-proof.<str:fmt>",
        talent_panel.consent_export,
        name="talent-consent-export",
    ),
    path("forecast/", forecast.forecast, name="forecast"),
    path("forecast/<int:pk>/hold/", forecast.legal_hold_set, name="legal-hold-set"),
    path("forecast/<int:pk>/hold/lift/", forecast.legal_hold_lift, name="legal-hold-lift"),
    path("forecast/<int:pk>/ask/", forecast.consent_ask, name="consent-ask"),
    path("", overview.overview, name="overview"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/purposes/new/", settings.purpose_create, name="purpose-create"),
    path("settings/purposes/<slug:key>/edit/", settings.purpose_edit, name="purpose-edit"),
    path(
        "settings/purposes/<slug:key>/<str:language>/versions/",
        settings.text_versions,
        name="text-versions",
    ),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/export.csv", audit.audit_export, name="audit-export"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_create, name="request-create"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/extend/", requests.request_extend, name="request-extend"),
    path("requests/<int:pk>/close/", requests.request_close, name="request-close"),
    path("records/", records.records_page, name="records"),
    path(
        "records/records-of-processing-<str:language>.<str:fmt>",
        records.records_download,
        name="records-download",
    ),
]
