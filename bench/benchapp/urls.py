from django.urls import path

from bench.benchapp import views
from bench.benchapp.api import api

urlpatterns = [
    path("ready", views.ready, name="bench-ready"),
    path("open-stays", views.open_stays, name="bench-open-stays"),
    path("", api.urls),
]
