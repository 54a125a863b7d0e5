"""The site's URLs. There is deliberately no media route, in any setting: stored files leave only
through views that check who asks (``manyi.web.security.downloads``)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("manyi.web.core.urls")),
    path("accounts/", include("manyi.web.accounts.urls")),
    path("campaigns/", include("manyi.web.campaigns.urls")),
    path("applications/", include("manyi.web.applications.urls")),
    path("surveys/", include("manyi.web.surveys.urls")),
    path("review/", include("manyi.web.review.urls")),
    path("publicity/", include("manyi.web.publicity.urls")),
    path("admin/", admin.site.urls),
]
