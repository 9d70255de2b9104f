from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("export/", views.talent_export, name="talent-export"),
]
