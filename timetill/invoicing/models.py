"""Families (the billing accounts), their payers and children, enrolments in packages, the monthly runs,
invoices and their lines, review acceptances, credit notes, payments and what was e-mailed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from timetill.catalog.models import Package, Product
from timetill.customers.models import Customer
from timetill.invoicing.explanation import ExplanationField
from timetill.sites.models import Site
from timetill.timelines.models import TimeLine

# Amounts keep three decimals, enough for any currency's minor unit; each is rounded to the currency.
AMOUNT = {"max_digits": 14, "decimal_places": 3}


class InvoiceTerms(models.Model):
    """How a site's invoices are paid and sent: the days from issue to due date, and the sender's address.
    Who the seller is (legal name, address, numbers, IBAN, legal mentions) is the billing core's
    SellerIdentity, copied onto each invoice issued."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="invoice_terms", verbose_name=_("site")
    )
    payment_days = models.PositiveIntegerField(
        _("payment days"), default=30, help_text=_("Days from the issue date to the due date.")
    )
    email_from = models.EmailField(
        _("sender's e-mail"), blank=True, help_text=_("The sender of invoices sent by e-mail.")
    )

    class Meta:
        verbose_name = _("invoice terms")
        verbose_name_plural = _("invoice terms")

    def __str__(self) -> str:
        return f"{self.site}: {self.payment_days} days"


class Family(models.Model):
    """A billing account: the children of a daycare (a site) and the payers their invoices are made out to."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="families", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Payer(models.Model):
    """Who an invoice is made out to: the name, address and tax code, and the guardian who logs in to see
    it. A family has one payer, or two when separated parents split their children's invoices."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="payers", verbose_name=_("family")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payers",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    tax_code = models.CharField(_("tax code"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # For e-invoices: the country (empty: the seller's) and, in Italy, the certified e-mail (PEC) if any.
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    pec = models.EmailField(_("PEC"), blank=True, default="")
    # The language of their invoices and e-mails; empty: the site's (docs/i18n.md).
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("payer")
        verbose_name_plural = _("payers")
        ordering = ["family", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class FamilyChild(models.Model):
    """A child (a customer) of a family; a child belongs to one family."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="children", verbose_name=_("family")
    )
    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="family_link", verbose_name=_("customer")
    )

    class Meta:
        verbose_name = _("child of a family")
        verbose_name_plural = _("children of families")
        ordering = ["family", "customer__name"]

    def __str__(self) -> str:
        return f"{self.family}: {self.customer}"


class ChildShare(models.Model):
    """The percentage of a child's invoice lines a payer pays. A child without shares is billed wholly to
    the family's first payer; with shares, they add up to 100."""

    child = models.ForeignKey(
        FamilyChild, on_delete=models.CASCADE, related_name="shares", verbose_name=_("child")
    )
    payer = models.ForeignKey(Payer, on_delete=models.CASCADE, related_name="shares", verbose_name=_("payer"))
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("child's share")
        verbose_name_plural = _("children's shares")
        constraints = [
            models.UniqueConstraint(fields=["child", "payer"], name="child_share_unique"),
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="child_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.child.customer}: {self.percent:f} % {self.payer}"


class Enrolment(models.Model):
    """A child in a package from a date, to a date (included) or open. Never deleted: ending one keeps
    the history; one child's enrolments in one package never overlap."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("customer")
    )
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("package")
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("The last day enrolled; empty: still enrolled.")
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["customer", "package", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="enrolment_end_after_start",
            ),
            models.UniqueConstraint(fields=["customer", "package", "start"], name="enrolment_start_unique"),
        ]
        indexes = [models.Index(fields=["package", "start"])]

    def __str__(self) -> str:
        return f"{self.customer} in {self.package} from {self.start}"


class InvoiceRun(models.Model):
    """One monthly run of a site: its progress, fed while it runs, and its summary when done."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="invoice_runs", verbose_name=_("site")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month invoiced."))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.RUNNING)
    total_families = models.PositiveIntegerField(_("total families"), default=0)
    done_families = models.PositiveIntegerField(_("done families"), default=0)
    summary = models.JSONField(_("summary"), default=dict)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("invoice run")
        verbose_name_plural = _("invoice runs")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # A second run of the same month while one runs is refused by the database itself.
            models.UniqueConstraint(
                fields=["site", "month"], condition=Q(state="running"), name="one_running_run_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.month:%Y-%m} ({self.state})"

    @property
    def percent(self) -> int:
        if not self.total_families:
            return 100 if self.state != self.State.RUNNING else 0
        return round(100 * self.done_families / self.total_families)


class Invoice(models.Model):
    """A payer's invoice: a draft the monthly run refreshes, then issued (numbered, dated, immutable: the
    model, the API, the pages, the admin and database triggers refuse to change it). Whether it is paid is
    worked out from its payments and credit notes, never written on it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("site"))
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("family")
    )
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("payer")
    )
    run = models.ForeignKey(
        InvoiceRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
        verbose_name=_("run"),
    )
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("The month a run made it for."))
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.DRAFT)
    currency = models.CharField(_("currency"), max_length=3)
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, unique=True)  # noqa: DJ001
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # What the invoice shows of its payer and seller, copied when it is issued.
    buyer_name = models.CharField(_("buyer name"), max_length=200, blank=True)
    buyer_address = models.TextField(_("buyer address"), blank=True)
    buyer_tax_code = models.CharField(_("buyer tax code"), max_length=40, blank=True)
    seller = models.JSONField(_("seller"), default=dict, blank=True)
    # The language the invoice was issued in (its payer's, else its site's), copied at issue.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    net = models.DecimalField(_("net"), **AMOUNT, default=0)
    vat = models.DecimalField(_("VAT"), **AMOUNT, default=0)
    gross = models.DecimalField(_("gross"), **AMOUNT, default=0)
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list, blank=True)
    # What its e-invoices need, copied when issued: formats, the payer's country and PEC, the progressive.
    # Nullable without a default, so that adding it kept the tables (and their triggers) as they were.
    einvoice = models.JSONField(_("e-invoice"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-month", "family__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="issued") & Q(number__isnull=False) & Q(issue_date__isnull=False))
                | (Q(state="draft") & Q(number__isnull=True)),
                name="invoice_number_iff_issued",
            ),
            # One draft per payer and month: a run refreshes it instead of making a second.
            models.UniqueConstraint(
                fields=["payer", "month"],
                condition=Q(state="draft", month__isnull=False),
                name="one_draft_per_payer_and_month",
            ),
        ]
        indexes = [models.Index(fields=["site", "month", "state"])]

    def __str__(self) -> str:
        return str(_("Invoice %(number)s") % {"number": self.number}) if self.number else f"Draft {self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        # Issuing (draft → issued) is the last write an invoice takes; the triggers refuse any later one.
        if self.pk is not None and Invoice.objects.filter(pk=self.pk, state=self.State.ISSUED).exists():
            raise PermissionError("An issued invoice cannot be changed: issue a credit note.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.is_issued:
            raise PermissionError("An issued invoice cannot be deleted: issue a credit note.")
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED


class InvoiceLine(models.Model):
    """A line of an invoice, with its texts, period, amounts and explanation copied: a package's monthly
    product (prorated), a Daily Time product's extra time of the previous month, or a line typed by hand."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly product of a package")
        EXTRA_TIME = "extra_time", _("Daily Time extra time")
        MANUAL = "manual", _("Added by hand")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer"))
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    child = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("product")
    )
    package = models.ForeignKey(
        Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("package")
    )
    description = models.CharField(_("description"), max_length=300)
    detail = models.CharField(
        _("detail"), max_length=200, blank=True, help_text=_("e.g. “12 of 22 planned days”, “50 %”.")
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # Four decimals: a payer's share of a line is its quantity times the share (33.33 % of 1 = 0.3333).
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit_price = models.DecimalField(_("unit price"), **AMOUNT)
    discount = models.DecimalField(
        _("discount"), **AMOUNT, default=0, help_text=_("Off quantity × unit price: a share's rounding.")
    )
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2)
    vat_category = models.CharField(_("VAT category"), max_length=3, default="S")
    vat_exemption_reason = models.CharField(_("VAT exemption reason"), max_length=200, blank=True)
    vat_exemption_code = models.CharField(_("VAT exemption code"), max_length=30, blank=True)
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=100)
    net = models.DecimalField(_("net"), **AMOUNT)
    vat = models.DecimalField(_("VAT"), **AMOUNT)
    gross = models.DecimalField(_("gross"), **AMOUNT)
    # Stored compact by the monthly run, read in full (timetill/invoicing/explanation.py).
    explanation = ExplanationField(
        _("explanation"), null=True, blank=True, help_text=_("The engine's quote, day by day.")
    )
    to_review = models.BooleanField(
        _("to review"), default=False, help_text=_("A forgotten check-out in its period.")
    )
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("The stays to review, or why it was accepted.")
    )
    reviewed = models.ForeignKey(
        "ReviewAcceptance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("reviewed"),
    )

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]
        constraints = [
            # A period's extra time is billed once to each payer: a later run never bills it again.
            models.UniqueConstraint(
                fields=["payer", "child", "product", "period_start"],
                condition=Q(kind="extra_time"),
                name="extra_time_billed_once",
            ),
            # A month's package product is billed once to each payer, however often the run refreshes.
            models.UniqueConstraint(
                fields=["payer", "child", "product", "package", "period_start"],
                condition=Q(kind="monthly"),
                name="monthly_line_billed_once",
            ),
        ]
        indexes = [models.Index(fields=["child", "product", "period_start"])]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if Invoice.objects.filter(pk=self.invoice_id, state=Invoice.State.ISSUED).exists():
            raise PermissionError("A line of an issued invoice cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def blocks_issue(self) -> bool:
        return self.to_review and self.reviewed_id is None


class ReviewAcceptance(models.Model):
    """A manager's decision to bill a line with a forgotten check-out as it is, and why. Append-only; a
    refreshed run applies it again while the stays it looked at are the same."""

    child = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    period_start = models.DateField(_("period start"))
    stays = models.CharField(
        _("stays"), max_length=500, help_text=_("The flagged stays as they were (ids and ends).")
    )
    reason = models.CharField(_("reason"), max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("accepted review")
        verbose_name_plural = _("accepted reviews")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.child} {self.period_start:%Y-%m}: {self.reason}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("An acceptance, once recorded, is never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("An acceptance cannot be deleted.")


class FlaggedStay(models.Model):
    """A stay of a line's period that needs a look: still open, or longer than the site's maximum stay."""

    line = models.ForeignKey(
        InvoiceLine, on_delete=models.CASCADE, related_name="flagged_stays", verbose_name=_("line")
    )
    time_line = models.ForeignKey(
        TimeLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("time line")
    )
    problem = models.CharField(_("problem"), max_length=10)  # "open" or "too_long"

    class Meta:
        verbose_name = _("flagged stay")
        verbose_name_plural = _("flagged stays")

    def __str__(self) -> str:
        return f"{self.time_line_id}: {self.problem}"


class CreditNote(models.Model):
    """A correction of an issued invoice (all of it, or chosen lines or amounts), numbered in its own series
    when it is made, never more than what remains of the invoice, and immutable like the invoice."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    issue_date = models.DateField(_("issue date"))
    reason = models.CharField(_("reason"), max_length=500)
    currency = models.CharField(_("currency"), max_length=3)
    net = models.DecimalField(_("net"), **AMOUNT)
    vat = models.DecimalField(_("VAT"), **AMOUNT)
    gross = models.DecimalField(_("gross"), **AMOUNT)
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list, blank=True)
    # Formats and FatturaPA progressive, as made.
    einvoice = models.JSONField(_("e-invoice"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Credit note %(number)s") % {"number": self.number})


class CreditNoteLine(models.Model):
    credit_note = models.ForeignKey(
        CreditNote, on_delete=models.PROTECT, related_name="lines", verbose_name=_("credit note")
    )
    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, related_name="credits", verbose_name=_("invoice line")
    )
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2)
    net = models.DecimalField(_("net"), **AMOUNT)
    vat = models.DecimalField(_("VAT"), **AMOUNT)
    gross = models.DecimalField(_("gross"), **AMOUNT)

    class Meta:
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
        ordering = ["credit_note", "position"]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")
        DIRECT_DEBIT = "direct_debit", _("Direct debit")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    amount = models.DecimalField(_("amount"), **AMOUNT)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.method} {self.amount:f}"


class Sending(models.Model):
    """An invoice e-mailed: to whom, when, with which subject; kept as the proof of what was sent."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="sendings", verbose_name=_("invoice")
    )
    to = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=200)
    attachment = models.CharField(_("attachment"), max_length=100)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.to}"


class BilledStay(models.Model):
    """A stay an issued invoice line billed (a Daily Time line bills a child's stays of its period). Written
    once, when the invoice is issued, beside the frozen line rather than on it, and never changed: the reports
    read which invoice billed a stay from here. A stay split between two payers has a row for each line."""

    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, related_name="billed_stays", verbose_name=_("invoice line")
    )
    time_line = models.ForeignKey(
        TimeLine, on_delete=models.PROTECT, related_name="billed_by", verbose_name=_("time line")
    )

    class Meta:
        verbose_name = _("billed stay")
        verbose_name_plural = _("billed stays")
        constraints = [
            models.UniqueConstraint(fields=["invoice_line", "time_line"], name="billed_stay_once_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.time_line_id} on line {self.invoice_line_id}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("What an issued invoice billed is never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("What an issued invoice billed cannot be deleted.")
