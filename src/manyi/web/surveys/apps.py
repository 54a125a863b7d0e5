from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "manyi.web.surveys"
    label = "surveys"
    verbose_name = _("满意度测评复核")

    def ready(self) -> None:
        from manyi.web.surveys import checks, services  # noqa: F401  (register the hooks)
