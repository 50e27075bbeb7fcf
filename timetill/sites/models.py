"""A site is a place where time is spent; a device is a kiosk or gate scanning at one site."""

import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from timetill.sites.hours import validate_opening_hours


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _('"%(value)s" is not a known time zone (an IANA name such as Europe/Paris).') % {"value": value}
        )


class Site(models.Model):
    class ExistingLinePolicy(models.TextChoices):
        TOGGLE = "toggle", _("Toggle: a second scan stops the open time line")
        SHOW = "show", _("Show: a second scan shows the open time line")

    class UnknownCodePolicy(models.TextChoices):
        ANONYMOUS = "anonymous", _("Start an anonymous time line carrying the code")
        REFUSE = "refuse", _("Refuse the scan")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Short name used in addresses and the API.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code such as EUR.")],
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=20, validators=[MinValueValidator(1)])
    existing_line_policy = models.CharField(
        _("second scan of an open line"),
        max_length=10,
        choices=ExistingLinePolicy.choices,
        default=ExistingLinePolicy.TOGGLE,
    )
    unknown_code_policy = models.CharField(
        _("unknown code"),
        max_length=10,
        choices=UnknownCodePolicy.choices,
        default=UnknownCodePolicy.ANONYMOUS,
    )
    bounce_seconds = models.PositiveIntegerField(
        _("bounce time (seconds)"),
        default=5,
        help_text=_("The same code scanned again within this many seconds is one scan."),
    )
    max_stay_minutes = models.PositiveIntegerField(
        _("longest stay (minutes)"),
        null=True,
        blank=True,
        help_text=_("Open time lines longer than this are flagged in the pending list."),
    )
    family_check_in = models.BooleanField(
        _("family check-in"),
        default=False,
        help_text=_("Parents may check their children in and out here themselves (a daycare, a club)."),
    )
    max_offline_days = models.PositiveIntegerField(
        _("longest time offline (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("A device's scan made longer ago than this is refused when it is synced."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of receipts and invoices for customers who have not chosen one."),
    )
    # No stay, scan or correction is dated before the site existed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_(
            'Local opening hours per weekday, e.g. {"mon": [["08:00", "12:00"], ["14:00", "18:00"]]}; '
            "a weekday left out is closed; empty: always open. The occupancy report counts only open time."
        ),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


TOKEN_PREFIX = "ttd_"  # noqa: S105 - a prefix that marks device tokens, not a secret


def hash_token(token: str) -> str:
    # Tokens are 256-bit random strings, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


class Device(models.Model):
    """A scanner that talks to the API with a token of its own, limited to scanning at one site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(
        _("token hint"), max_length=12, editable=False, help_text=_("The token's first characters.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["site", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
