from django.urls import path

from manyi.web.surveys import views

app_name = "surveys"

urlpatterns = [
    path("applications/<int:pk>/", views.analysis_page, name="analysis"),
    path("applications/<int:pk>/run/", views.analysis_start, name="start"),
    path("applications/<int:pk>/period/", views.period_save, name="period"),
    path("applications/<int:pk>/mapping/", views.mapping_save, name="mapping"),
    path("applications/<int:pk>/status/", views.analysis_status, name="status"),
    path("applications/<int:pk>/result/", views.analysis_result, name="result"),
    path("runs/<int:analysis_id>/<slug:kind>/", views.analysis_download, name="download"),
]
