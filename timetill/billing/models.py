"""Billing data: VAT rates (with EN 16931 category and exemption), number counters, the seller's identity."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from timetill.billing.money import BillingError, VatCategory, VatSpec
from timetill.formats import number
from timetill.sites.models import Site

# The names the first migration gives the rates a business starts with (catalog 0002): nobody typed them, so
# they are shown in the reader's language. A name a manager typed is the business's own and shown as written.
SEEDED_RATE_NAMES = frozenset(
    {
        gettext_noop("Standard rate"),
        gettext_noop("Intermediate rate"),
        gettext_noop("Reduced rate"),
        gettext_noop("Super-reduced rate"),
        gettext_noop("No VAT"),
    }
)


class VatRate(models.Model):
    """A VAT rate a product may carry; only rates listed here (and active) can be chosen.

    An exempt, reverse-charge or out-of-scope rate (0 %) says why, in the words printed on the document
    (`exemption_reason`), and the code an e-invoice carries (`exemption_code`, a VATEX code or a natura).
    """

    name = models.CharField(_("name"), max_length=50)
    rate = models.DecimalField(
        _("rate"), max_digits=5, decimal_places=2, help_text=_("In percent, e.g. 20.00.")
    )
    category = models.CharField(
        _("category"),
        max_length=2,
        choices=[(c.value, _(c.label)) for c in VatCategory],
        default=VatCategory.STANDARD.value,
    )
    exemption_reason = models.CharField(
        _("exemption reason"),
        max_length=200,
        blank=True,
        help_text=_("Why no VAT is charged, with the law: e.g. “Exonération de TVA, art. 261-4-4° du CGI”."),
    )
    exemption_code = models.CharField(
        _("exemption code"),
        max_length=30,
        blank=True,
        help_text=_("VATEX code or natura, e.g. VATEX-EU-132-1I, N4."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["-rate", "category", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rate", "category"], name="vat_rate_unique_per_category"),
            models.CheckConstraint(
                condition=Q(category__in=("S", "Z")) | ~Q(exemption_reason=""),
                name="vat_exemption_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({number(self.rate)} %)"

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is one the rate was seeded with, else as typed."""
        return gettext(self.name) if self.name in SEEDED_RATE_NAMES else self.name

    @property
    def spec(self) -> VatSpec:
        return VatSpec(
            Decimal(self.rate), VatCategory(self.category), self.exemption_reason, self.exemption_code
        )

    def clean(self) -> None:
        try:
            self.spec  # noqa: B018  # the pure rule decides what a valid rate is
        except BillingError as error:
            raise ValidationError({error.field or "rate": error.message}) from None


class Counter(models.Model):
    """The last number of a series in a scope (the business, or a site) and a year; locked to draw one."""

    scope = models.CharField(_("scope"), max_length=40, help_text=_('"business" or "site:<id>".'))
    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveIntegerField(
        _("year"), help_text=_("0 for a series that does not restart each year.")
    )
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "series", "year"], name="counter_unique_per_scope_series_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.series} {self.year}: {self.last}"


# Which e-invoices a seller's invoices and credit notes come with (timetill.einvoice makes them). Empty: by
# the seller's country (FR: Factur-X, IT: FatturaPA, elsewhere none).
EINVOICE_FORMATS = [
    ("", _("By country (France: Factur-X, Italy: FatturaPA)")),
    ("facturx", _("Factur-X (EN 16931)")),
    ("fatturapa", _("FatturaPA")),
    ("facturx,fatturapa", _("Factur-X and FatturaPA")),
    ("none", _("None: PDF only")),
]


class SellerIdentity(models.Model):
    """The seller's legal identity printed on its documents: the business's (no site), or a site's own.

    A site with its own row invoices in its own name; every other site uses the business's row. Numbers are
    kept compact (no spaces) as python-stdnum validated them; seller.py checks them before saving.
    """

    # "business" or "site:<id>", unique: one identity for the business, at most one per site.
    scope = models.CharField(_("scope"), max_length=40, unique=True, editable=False)
    site = models.OneToOneField(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seller_identity",
        verbose_name=_("site"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    address = models.TextField(_("address"), help_text=_("Street, postcode and town, one per line."))
    country = models.CharField(_("country"), max_length=2, default="FR", help_text=_("ISO code: FR, IT…"))
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rea = models.CharField(_("REA number"), max_length=20, blank=True)
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    legal_mentions = models.TextField(_("legal mentions"), blank=True)
    einvoice_formats = models.CharField(
        _("e-invoices"), max_length=30, blank=True, choices=EINVOICE_FORMATS, default=""
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("seller's identity")
        verbose_name_plural = _("sellers' identities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(site__isnull=True) & Q(scope="business")) | Q(site__isnull=False),
                name="seller_scope_matches_site",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name
