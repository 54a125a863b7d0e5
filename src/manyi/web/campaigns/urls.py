from django.urls import path

from manyi.web.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/toggle/", views.campaign_toggle, name="toggle"),
]
