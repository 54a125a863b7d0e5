from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "manyi.web.review"
    label = "review"
    verbose_name = _("评审")

    def ready(self) -> None:
        # Registers the lifecycle hooks (findings sent and resolved, proposed level).
        from manyi.web.review import services  # noqa: F401
