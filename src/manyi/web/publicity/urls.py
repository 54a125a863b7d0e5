from django.urls import path

from manyi.web.publicity import manage_views, views

app_name = "publicity"

urlpatterns = [
    # Public: no login.
    path("", views.publication_list, name="list"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/objection/", views.objection_create, name="objection"),
    path("certificates/", views.certificate_search, name="certificate_search"),
    path("certificates/<str:number>/", views.certificate_verify, name="certificate_verify"),
    # Whoever may see the application (and the secretariat).
    path(
        "certificates/<str:number>/pdf/",
        manage_views.certificate_download,
        name="certificate_pdf",
    ),
    # Secretariat.
    path("manage/", manage_views.manage_index, name="manage"),
    path("manage/open/<int:campaign_pk>/", manage_views.publication_open, name="open"),
    path("manage/<int:pk>/", manage_views.manage_publication, name="manage_publication"),
    path("manage/<int:pk>/publish/", manage_views.publication_publish, name="publish"),
    path("manage/objections/<int:pk>/", manage_views.objection_detail, name="objection_detail"),
    path("manage/attachments/<int:pk>/", manage_views.attachment_download, name="attachment"),
    path("manage/certificates/", manage_views.certificate_list, name="certificates"),
    path(
        "manage/certificates/issue/<int:application_pk>/",
        manage_views.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "manage/certificates/<str:number>/revoke/",
        manage_views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("audit/", manage_views.audit_log, name="audit"),
]
