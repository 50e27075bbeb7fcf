"""Page addresses."""

from django.urls import path

from timetill.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("timestamp/", views.timestamp, name="timestamp"),
    path("family/", views.family, name="family"),
]
