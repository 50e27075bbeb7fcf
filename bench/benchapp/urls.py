from django.urls import path

from bench.benchapp.api import api

urlpatterns = [path("", api.urls)]
