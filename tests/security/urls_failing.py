"""A URL whose view fails, for the 500 page test."""

from django.urls import path


def failing_view(request):
    raise RuntimeError("内部错误")


urlpatterns = [path("fails/", failing_view)]
