from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "silverpool.outreach"
    verbose_name = _("Outreach")
