from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "manyi.web.applications"
    label = "applications"
    verbose_name = _("申报")
