from django.urls import path

from .views import detail, export, mapping, result, upload

app_name = "imports"
urlpatterns = [
    path("", upload.import_upload, name="import-upload"),
    path("template.xlsx", upload.import_template, name="import-template"),
    path("<int:pk>/", detail.import_detail, name="import-detail"),
    path("<int:pk>/mapping/", mapping.import_mapping, name="import-mapping"),
    path("<int:pk>/start/", detail.import_start, name="import-start"),
    path("<int:pk>/cancel/", detail.import_cancel, name="import-cancel"),
    path("<int:pk>/discard/", detail.import_discard, name="import-discard"),
    path("<int:pk>/rejected.xlsx", result.import_rejected, name="import-rejected"),
    path("<int:pk>/undo/", result.import_undo, name="import-undo"),
    path("export/", export.talent_export, name="talent-export"),
]
