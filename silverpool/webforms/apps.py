from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebformsConfig(AppConfig):
    name = "silverpool.webforms"
    verbose_name = _("Forms")
