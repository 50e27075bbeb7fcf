"""Customers, customer groups, codes and guardians."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from timetill.customers.codes import CodeError, normalize_code
from timetill.customers.search import fold


class CustomerGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The name without accents or case, so that "lefevre" finds Lefèvre on SQLite and PostgreSQL alike.
    search_name = models.CharField(
        _("name for search"), max_length=200, editable=False, default="", db_index=True
    )
    group = models.ForeignKey(
        CustomerGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        verbose_name=_("group"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Empty: the site's language (docs/i18n.md).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=settings.LANGUAGES,
        help_text=_("The language of their receipts and tariff explanations; empty: the site's."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        # Derived from the name, in the same row: it can never disagree with it.
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


def validate_code(value: str) -> None:
    try:
        normalize_code(value)
    except CodeError as error:
        raise ValidationError(error.message, code=error.code) from error


class Code(models.Model):
    class Kind(models.TextChoices):
        EAN13 = "ean13", "EAN-13 barcode"
        RFID = "rfid", _("RFID UID")
        QR = "qr", _("QR token")
        TEXT = "text", _("Free text (plate, ticket…)")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="codes", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    value = models.CharField(_("value"), max_length=64, unique=True, validators=[validate_code])

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["value"]

    def __str__(self) -> str:
        return self.value


class Guardian(models.Model):
    """A user (a parent) who may check a customer (a child) in and out and see their stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("parent"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("customer")
    )

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [models.UniqueConstraint(fields=["user", "customer"], name="guardian_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.customer}"
