"""Customer page addresses."""

from django.urls import path

from timetill.customers import views

urlpatterns = [path("codes/", views.printable_cards, name="printable-cards")]
