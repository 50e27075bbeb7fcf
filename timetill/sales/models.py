"""Sales, their lines (with their VAT copied), and payments; receipt numbers come from the billing core."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from timetill.billing.money import VatCategory, VatSpec
from timetill.catalog.models import Product, ProductVariant
from timetill.customers.models import Customer
from timetill.sites.models import Site
from timetill.timelines.models import TimeLine

# Amounts keep three decimals, enough for any currency's minor unit; each is rounded to the sale's currency.
AMOUNT = {"max_digits": 14, "decimal_places": 3}


class Sale(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("state of a sale", "Open")
        PARKED = "parked", pgettext_lazy("state of a sale", "Parked")
        CLOSED = "closed", pgettext_lazy("state of a sale", "Closed (paid)")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sales")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    currency = models.CharField(max_length=3, help_text=_("The site's currency when the sale was opened."))
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("The receipt number, once closed.")
    )
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    note = models.CharField(max_length=500, blank=True)
    net = models.DecimalField(**AMOUNT, default=0)
    vat = models.DecimalField(**AMOUNT, default=0)
    gross = models.DecimalField(**AMOUNT, default=0)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frozen = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "What the receipt shows of the seller, the site and the customer, copied when it closed."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "number"],
                condition=Q(number__isnull=False),
                name="sale_number_unique_per_site",
            ),
            models.CheckConstraint(
                condition=(Q(state="closed") & Q(number__isnull=False) & Q(closed_at__isnull=False))
                | (~Q(state="closed") & Q(number__isnull=True)),
                name="sale_number_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["site", "state"])]

    def __str__(self) -> str:
        return f"Receipt {self.number}" if self.number else f"Sale {self.pk} ({self.state})"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def time_lines(self) -> models.QuerySet[TimeLine]:
        """The stays this sale holds (running ones waiting to be priced, and those it charges)."""
        return TimeLine.objects.filter(sale_stay__sale=self)

    @property
    def is_refund(self) -> bool:
        return self.refund_of_id is not None


class SaleLine(models.Model):
    """What was sold, copied from the product at the time (names, price, VAT) so that it never changes."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="sale_lines"
    )
    variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="sale_lines"
    )
    name = models.CharField(max_length=200, help_text=_("The product's internal name, copied."))
    short_name = models.CharField(max_length=200, help_text=_("What the receipt shows, copied."))
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(**AMOUNT)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_category = models.CharField(
        max_length=2, choices=[(c.value, c.label) for c in VatCategory], default=VatCategory.STANDARD.value
    )
    vat_exemption_reason = models.CharField(max_length=200, blank=True)
    vat_exemption_code = models.CharField(max_length=30, blank=True)
    prices_include_vat = models.BooleanField()
    discount = models.DecimalField(
        **AMOUNT, default=0, help_text=_("Off the line's amount, in its price basis.")
    )
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    net = models.DecimalField(**AMOUNT)
    vat = models.DecimalField(**AMOUNT)
    gross = models.DecimalField(**AMOUNT)
    explanation = models.JSONField(null=True, blank=True, help_text=_("The quote that priced it, copied."))
    time_line = models.ForeignKey(
        TimeLine, null=True, blank=True, on_delete=models.PROTECT, related_name="sale_lines"
    )
    refund_of_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refund_lines"
    )

    class Meta:
        ordering = ["sale", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity:f} × {self.short_name}"

    @property
    def vat_spec(self) -> VatSpec:
        return VatSpec(
            self.vat_rate, VatCategory(self.vat_category), self.vat_exemption_reason, self.vat_exemption_code
        )

    @property
    def amount(self) -> Decimal:
        """The line's amount after discount, in its price basis (what the VAT breakdown sums)."""
        return self.gross if self.prices_include_vat else self.net


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        OTHER = "other", _("Other")

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    position = models.PositiveIntegerField()
    method = models.CharField(max_length=5, choices=Method.choices)
    amount = models.DecimalField(**AMOUNT, help_text=_("What counts towards the sale (negative: paid back)."))
    tendered = models.DecimalField(**AMOUNT, null=True, blank=True, help_text=_("Cash handed over."))
    change = models.DecimalField(**AMOUNT, null=True, blank=True, help_text=_("Cash given back."))

    class Meta:
        ordering = ["sale", "position"]

    def __str__(self) -> str:
        return f"{self.method} {self.amount:f}"


class SaleStay(models.Model):
    """A stay held by a sale: linked at the till, priced on it when it stops (one sale may hold several).

    The link is kept here, on the till's side: a time line knows nothing of sales (the layers of
    ARCHITECTURE.md). The sale line that bills the stay refers to it too (SaleLine.time_line).
    """

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="stays")
    time_line = models.OneToOneField(TimeLine, on_delete=models.PROTECT, related_name="sale_stay")

    def __str__(self) -> str:
        return f"{self.time_line_id} on sale {self.sale_id}"
