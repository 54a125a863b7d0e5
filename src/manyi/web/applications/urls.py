from django.urls import path

from manyi.web.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_overview, name="overview"),
    path("<int:pk>/form/", views.application_form, name="form"),
    path("<int:pk>/materials/", views.application_materials, name="materials"),
    path("<int:pk>/materials/<slug:key>/upload/", views.material_upload, name="upload"),
    path("<int:pk>/check/", views.application_check, name="check"),
    path("<int:pk>/report/template.docx", views.report_template, name="report_template"),
    path("<int:pk>/report/check/", views.report_check, name="report_check"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/documents/<slug:key>.pdf", views.generated_document, name="document"),
    path("<int:pk>/package.pdf", views.application_package, name="package"),
    path("files/<int:file_id>/", views.material_download, name="file"),
    path("files/<int:file_id>/remove/", views.material_remove, name="remove_file"),
]
