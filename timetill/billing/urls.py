"""Addresses of the billing settings pages."""

from django.urls import path

from timetill.billing import views

urlpatterns = [
    path("seller/", views.seller_page, name="billing-seller"),
    path("seller/sites/<int:site_id>/", views.seller_page, name="billing-seller-site"),
    path("seller/sites/<int:site_id>/remove/", views.seller_remove, name="billing-seller-remove"),
    path("vat-rates/", views.vat_rates_page, name="billing-vat-rates"),
    path("vat-rates/<int:pk>/active/", views.vat_rate_active, name="billing-vat-rate-active"),
]
