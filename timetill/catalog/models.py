"""Products (pointing down at their VAT rate in billing), ladder steps, stored tariffs, the default time
product of each site, and packages (the daycare's bundles of monthly products and Daily Time)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from timetill.billing.models import VatRate
from timetill.customers.models import CustomerGroup
from timetill.sites.models import Site


class Product(models.Model):
    class Kind(models.TextChoices):
        SIMPLE = "simple", _("Simple product")
        LADDER = "ladder", _("Price ladder (steps as variants)")
        TIME = "time", _("Time product (rate tariff)")
        DAILY_TIME = "daily_time", _("Daily Time (daycare extra time)")

    internal_name = models.CharField(
        _("internal name"), max_length=100, help_text=_('What staff see, e.g. "Extra Hours 8-16".')
    )
    short_name = models.CharField(
        _("short name"), max_length=60, help_text=_('What customers see on receipts: "Extra Hours".')
    )
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    vat_rate = models.ForeignKey(
        VatRate, on_delete=models.PROTECT, related_name="products", verbose_name=_("VAT rate")
    )
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    # Three decimals hold any currency's minor unit; the sale checks the price against its own currency.
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=3, null=True, blank=True)
    tariff = models.JSONField(
        _("tariff"),
        null=True,
        blank=True,
        help_text=_("The tariff document (time and Daily Time products), canonical form."),
    )
    sold_by_unit = models.BooleanField(
        _("sold by the unit"),
        default=True,
        help_text=_(
            "Sold in whole quantities only (a coffee, a ticket); off for what is measured (1.5 hours)."
        ),
    )
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Sold once, then deleted: kept for past sales.")
    )
    invoice_shows_period = models.BooleanField(
        _("invoice shows the period"),
        default=True,
        help_text=_("Daily Time: the invoice line says the period it bills."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["internal_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="product_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.internal_name

    @property
    def is_timed(self) -> bool:
        """Whether a stay is priced with it (a ladder, a rate tariff or Daily Time)."""
        return self.kind != self.Kind.SIMPLE

    @property
    def vat_percent(self) -> Decimal:
        return self.vat_rate.rate


class ProductVariant(models.Model):
    """A step of a price ladder: a duration and its price (1 h – 6.00), with an optional barcode."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    label = models.CharField(_("label"), max_length=80)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=3)
    # NULL, not "": the unique constraint must ignore steps without a barcode.
    barcode = models.CharField(_("barcode"), max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["product", "duration_minutes"]
        constraints = [
            models.UniqueConstraint(fields=["product", "duration_minutes"], name="variant_duration_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_not_negative"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="variant_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product.short_name} {self.label}"


class SiteTimeProduct(models.Model):
    """The time product that prices stays at a site: one for everyone (group empty), or for one group."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="time_products", verbose_name=_("site")
    )
    group = models.ForeignKey(
        CustomerGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_products",
        verbose_name=_("group"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="site_defaults", verbose_name=_("product")
    )

    class Meta:
        verbose_name = _("site time product")
        verbose_name_plural = _("site time products")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "group"], condition=Q(group__isnull=False), name="site_group_time_product"
            ),
            models.UniqueConstraint(
                fields=["site"], condition=Q(group__isnull=True), name="site_default_time_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.group or 'everyone'} → {self.product}"


class Package(models.Model):
    """A named bundle of products with quantities: monthly ones (the fee, meals) and Daily Time ones
    (the extra time of the previous month), with the rule that prorates a month begun or left midway."""

    class Proration(models.TextChoices):
        NONE = "none", _("None: a month begun is billed whole")
        CALENDAR_DAYS = "calendar_days", _("Calendar days enrolled")
        PLANNED_DAYS = "planned_days", _("Planned days enrolled (the included weekdays of its Daily Time)")

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    proration = models.CharField(
        _("proration"), max_length=14, choices=Proration.choices, default=Proration.NONE
    )
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("No new enrolments; past ones and invoices stay.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PackageItem(models.Model):
    """A product of a package and how many of it a month holds (a Daily Time product's quantity is 1)."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="items", verbose_name=_("package")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="package_items", verbose_name=_("product")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=3, default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["package", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "product"], name="package_product_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="package_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.package}: {self.quantity:f} × {self.product}"
