from django.urls import path

from . import export_views

app_name = "imports"
urlpatterns = [
    path("export/", export_views.talent_export, name="talent-export"),
]
