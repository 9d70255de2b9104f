"""Public form pages under /f/; the builder under /forms/."""

from django.urls import path

from .views import builder, framing, public

app_name = "webforms"

urlpatterns = [
    path("f/brand.css", framing.brand_css, name="brand-css"),
    path("f/logo", framing.brand_logo, name="brand-logo"),
    path("f/<str:public_id>/", public.form_page, name="form"),
    path("f/<str:public_id>/thanks/", public.thanks_page, name="thanks"),
    path("f/<str:public_id>/u/<str:link>/", public.follow_up_page, name="follow-up"),
    # The builder (recruiters and admins).
    path("forms/", builder.form_list, name="form-list"),
    path("forms/new/", builder.form_create, name="form-create"),
    path("forms/branding/", builder.branding_edit, name="branding"),
    path("forms/<int:pk>/", builder.form_edit, name="form-edit"),
    path("forms/<int:pk>/preview/", builder.form_preview, name="form-preview"),
    path("forms/<int:pk>/sites/", builder.form_sites, name="form-sites"),
    path("forms/<int:pk>/delete/", builder.form_delete, name="form-delete"),
    path("forms/<int:pk>/duplicate/", builder.form_duplicate, name="form-duplicate"),
    path("forms/<int:pk>/submissions/", builder.submission_list, name="submission-list"),
    path("forms/<int:pk>/fields/", builder.field_add, name="field-add"),
    path("forms/<int:pk>/questions/", builder.question_add, name="question-add"),
    path("forms/<int:pk>/fields/<int:field_pk>/", builder.field_edit, name="field-edit"),
    path(
        "forms/<int:pk>/fields/<int:field_pk>/required/",
        builder.field_required,
        name="field-required",
    ),
    path("forms/<int:pk>/fields/<int:field_pk>/move/", builder.field_move, name="field-move"),
    path("forms/<int:pk>/fields/<int:field_pk>/remove/", builder.field_remove, name="field-remove"),
]
