"""App config for the billing core."""

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "timetill.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # The money rules and the pricing engine raise their errors as message ids (they know no Django):
        # read them in the language of whoever is answered.
        from timetill.billing.explanations import text_in_language
        from timetill.billing.money import BillingError
        from timetill.pricing import PricingError

        BillingError.translate = text_in_language
        PricingError.translate = text_in_language
