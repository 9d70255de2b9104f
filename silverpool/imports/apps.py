from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "silverpool.imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from .checks import check_defusedxml

        checks.register(check_defusedxml)
