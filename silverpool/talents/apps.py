from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "silverpool.talents"
    verbose_name = _("Talents")

    def ready(self) -> None:
        from .checks import check_search_triggers

        checks.register(check_search_triggers)
