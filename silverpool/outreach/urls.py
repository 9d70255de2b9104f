from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/<slug:key>/<slug:language>/", views.template_edit, name="template-edit"),
    path(
        "templates/<slug:key>/<slug:language>/reset/",
        views.template_reset,
        name="template-reset",
    ),
]
