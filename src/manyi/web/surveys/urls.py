from django.urls import path

from manyi.web.surveys import views

app_name = "surveys"

urlpatterns = [
    path("applications/<int:pk>/", views.analysis_page, name="analysis"),
    path("applications/<int:pk>/run/", views.analysis_start, name="start"),
    path("applications/<int:pk>/status/", views.analysis_status, name="status"),
    path("runs/<int:analysis_id>/<slug:kind>/", views.analysis_download, name="download"),
]
