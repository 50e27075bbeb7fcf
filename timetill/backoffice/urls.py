"""Back-office page addresses."""

from django.urls import path

from timetill.backoffice.views import cards, customers, families, help, home, sites, users

urlpatterns = [
    path("", home.home, name="backoffice"),
    path("users/", users.user_list, name="bo-users"),
    path("users/new/", users.user_create, name="bo-user-new"),
    path("users/<int:pk>/", users.user_edit, name="bo-user"),
    path("users/<int:pk>/active/", users.user_set_active, name="bo-user-active"),
    path("users/<int:pk>/invite/", users.user_invite, name="bo-user-invite"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="bo-user-unlock"),
    path("customers/", customers.customer_list, name="bo-customers"),
    path("customers/new/", customers.customer_create, name="bo-customer-new"),
    path("customers/<int:pk>/", customers.customer_edit, name="bo-customer"),
    path("customers/<int:pk>/codes/", customers.code_add, name="bo-code-add"),
    path("customers/<int:pk>/codes/<int:code_pk>/remove/", customers.code_remove, name="bo-code-remove"),
    path("customers/<int:pk>/guardians/", customers.guardian_add, name="bo-guardian-add"),
    path(
        "customers/<int:pk>/guardians/<int:guardian_pk>/remove/",
        customers.guardian_remove,
        name="bo-guardian-remove",
    ),
    path("customers/groups/", customers.group_list, name="bo-groups"),
    path("customers/export.<str:fmt>", customers.customer_export, name="bo-customer-export"),
    path("customers/import/", customers.customer_import, name="bo-customer-import"),
    path("customers/import/preview/", customers.customer_import_preview, name="bo-customer-import-preview"),
    path("sites/", sites.site_list, name="bo-sites"),
    path("sites/new/", sites.site_create, name="bo-site-new"),
    path("sites/<int:pk>/", sites.site_edit, name="bo-site"),
    path("sites/<int:pk>/devices/", sites.device_add, name="bo-device-add"),
    path("sites/<int:pk>/devices/<int:device_pk>/revoke/", sites.device_revoke, name="bo-device-revoke"),
    path("tariffs/help/", help.tariff_help, name="bo-tariff-help"),
    path("tariffs/help/tariff.schema.json", help.tariff_schema, name="bo-tariff-schema"),
    path("cards/", cards.printable_cards, name="bo-cards"),
    path("families/", families.family_list, name="bo-families"),
    path("families/payers/<int:pk>/invite/", families.payer_invite, name="bo-payer-invite"),
]
