"""App config for the catalogue."""

from django.apps import AppConfig
from django.utils.translation import gettext as _


def ladder_barcodes(values: list[str]) -> dict[str, str]:
    """Which of these codes are ladder steps' barcodes: a customer's card may not carry one."""
    from timetill.catalog.models import ProductVariant

    steps = ProductVariant.objects.filter(barcode__in=values).select_related("product")
    return {
        step.barcode: _("the barcode of the ladder step “{product} – {step}”").format(
            product=step.product.internal_name, step=step.label
        )
        for step in steps
        if step.barcode
    }


class CatalogConfig(AppConfig):
    name = "timetill.catalog"
    label = "catalog"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from timetill.customers.claims import register_code_owners

        register_code_owners(ladder_barcodes)
