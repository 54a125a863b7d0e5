from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "manyi.web.campaigns"
    label = "campaigns"
    verbose_name = _("评价年度")
