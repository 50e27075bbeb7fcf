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

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sales", verbose_name=_("site"))
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("customer"),
    )
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("The site's currency when the sale was opened.")
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("The receipt number, once closed.")
    )
    refund_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("refund of"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    net = models.DecimalField(_("net"), **AMOUNT, default=0)
    vat = models.DecimalField(_("VAT"), **AMOUNT, default=0)
    gross = models.DecimalField(_("gross"), **AMOUNT, default=0)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    parked_at = models.DateTimeField(_("parked at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    frozen = models.JSONField(
        _("frozen copy"),
        null=True,
        blank=True,
        help_text=_(
            "What the receipt shows of the seller, the site and the customer, copied when it closed."
        ),
    )

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
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

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sale"))
    position = models.PositiveIntegerField(_("position"))
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sale_lines",
        verbose_name=_("product"),
    )
    variant = models.ForeignKey(
        ProductVariant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sale_lines",
        verbose_name=_("variant"),
    )
    name = models.CharField(
        _("internal name"), max_length=200, help_text=_("The product's internal name, copied.")
    )
    short_name = models.CharField(
        _("short name"), max_length=200, help_text=_("What the receipt shows, copied.")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), **AMOUNT)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2)
    vat_category = models.CharField(
        _("VAT category"),
        max_length=2,
        choices=[(c.value, c.label) for c in VatCategory],
        default=VatCategory.STANDARD.value,
    )
    vat_exemption_reason = models.CharField(_("VAT exemption reason"), max_length=200, blank=True)
    vat_exemption_code = models.CharField(_("VAT exemption code"), max_length=30, blank=True)
    prices_include_vat = models.BooleanField(_("prices include VAT"))
    discount = models.DecimalField(
        _("discount"), **AMOUNT, default=0, help_text=_("Off the line's amount, in its price basis.")
    )
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    net = models.DecimalField(_("net"), **AMOUNT)
    vat = models.DecimalField(_("VAT"), **AMOUNT)
    gross = models.DecimalField(_("gross"), **AMOUNT)
    explanation = models.JSONField(
        _("explanation"), null=True, blank=True, help_text=_("The quote that priced it, copied.")
    )
    time_line = models.ForeignKey(
        TimeLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sale_lines",
        verbose_name=_("time line"),
    )
    refund_of_line = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund_lines",
        verbose_name=_("refund of line"),
    )

    class Meta:
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")
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

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments", verbose_name=_("sale"))
    position = models.PositiveIntegerField(_("position"))
    method = models.CharField(_("method"), max_length=5, choices=Method.choices)
    amount = models.DecimalField(
        _("amount"), **AMOUNT, help_text=_("What counts towards the sale (negative: paid back).")
    )
    tendered = models.DecimalField(
        _("tendered"), **AMOUNT, null=True, blank=True, help_text=_("Cash handed over.")
    )
    change = models.DecimalField(
        _("change given"), **AMOUNT, null=True, blank=True, help_text=_("Cash given back.")
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["sale", "position"]

    def __str__(self) -> str:
        return f"{self.method} {self.amount:f}"


class SaleStay(models.Model):
    """A stay held by a sale: linked at the till, priced on it when it stops (one sale may hold several).

    The link is kept here, on the till's side: a time line knows nothing of sales (the layers of
    ARCHITECTURE.md). The sale line that bills the stay refers to it too (SaleLine.time_line).
    """

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="stays", verbose_name=_("sale"))
    time_line = models.OneToOneField(
        TimeLine, on_delete=models.PROTECT, related_name="sale_stay", verbose_name=_("time line")
    )

    class Meta:
        verbose_name = _("stay of a sale")
        verbose_name_plural = _("stays of sales")

    def __str__(self) -> str:
        return f"{self.time_line_id} on sale {self.sale_id}"
