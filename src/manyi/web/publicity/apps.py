from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "manyi.web.publicity"
    label = "publicity"
    verbose_name = _("公示与证书")

    def ready(self) -> None:
        from manyi.web.publicity import renewal  # noqa: F401  (registers the 复评 check)
