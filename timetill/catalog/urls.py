"""Catalogue page addresses: products, their tariffs, and the sites' time products."""

from django.urls import path

from timetill.catalog.views import products, sites, tariffs

urlpatterns = [
    path("", products.product_list, name="products"),
    path("new/<str:kind>/", products.product_create, name="product-new"),
    path("<int:pk>/", products.product_edit, name="product-edit"),
    path("<int:pk>/duplicate/", products.product_duplicate, name="product-duplicate"),
    path("<int:pk>/delete/", products.product_delete, name="product-delete"),
    path("<int:pk>/tariff.json", tariffs.export, name="tariff-export"),
    path("<int:pk>/tariff/import/", tariffs.import_tariff, name="tariff-import"),
    path("preview/", tariffs.preview, name="tariff-preview"),
    path("sites/", sites.site_products, name="site-time-products"),
    path("sites/choose/", sites.set_site_product, name="site-time-product-set"),
]
