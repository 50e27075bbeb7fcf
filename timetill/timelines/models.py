"""Time lines (stays), the scans that make them, and the audit trail of every change to them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from timetill.customers.models import Customer
from timetill.sites.models import Device, Site


class Via(models.TextChoices):
    SCAN = "scan", _("Scan")
    MANUAL = "manual", _("Manual")
    PARENT = "parent", _("Parent")
    DEVICE = "device", _("Device")


LINE_CODE_PREFIX = "TL"
LINE_CODE_LENGTH = 12


def new_line_code() -> str:
    # Printed on a ticket and scanned again to find the line: short, unambiguous, upper case.
    return LINE_CODE_PREFIX + secrets.token_hex((LINE_CODE_LENGTH - len(LINE_CODE_PREFIX)) // 2).upper()


def looks_like_line_code(code: str) -> bool:
    return len(code) == LINE_CODE_LENGTH and code.startswith(LINE_CODE_PREFIX)


class TimeLine(models.Model):
    # Unique by a constraint, not `unique=True`: on PostgreSQL that would add a second index for LIKE
    # searches, and a line's code is only ever looked up whole. Each index costs every scan a write.
    code = models.CharField(_("code"), max_length=20, default=new_line_code, editable=False)
    # No index of its own: the indexes below begin with the site.
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="time_lines", db_index=False, verbose_name=_("site")
    )
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="time_lines",
        verbose_name=_("customer"),
    )
    scanned_code = models.CharField(
        _("scanned code"),
        max_length=64,
        blank=True,
        help_text=_("The unknown code an anonymous time line was started with."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_via = models.CharField(_("started via"), max_length=10, choices=Via.choices)
    started_device = models.ForeignKey(
        Device,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by device"),
    )
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stopped by"),
    )
    stopped_via = models.CharField(_("stopped via"), max_length=10, choices=Via.choices, blank=True)
    stopped_device = models.ForeignKey(
        Device,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stopped by device"),
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    invoiced = models.BooleanField(_("invoiced"), default=False)

    class Meta:
        verbose_name = _("time line")
        verbose_name_plural = _("time lines")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="one_line_per_code"),
            # Two scanners reading the same card at the same instant cannot open two stays.
            models.UniqueConstraint(
                fields=["site", "customer"],
                condition=Q(end__isnull=True, customer__isnull=False),
                name="one_open_line_per_customer_and_site",
            ),
            models.UniqueConstraint(
                fields=["site", "scanned_code"],
                condition=Q(end__isnull=True, customer__isnull=True) & ~Q(scanned_code=""),
                name="one_open_anonymous_line_per_code_and_site",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | Q(end__isnull=False), name="only_stopped_lines_hidden"
            ),
        ]
        indexes = [
            models.Index(fields=["site", "end"]),
            models.Index(fields=["site", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.customer or self.scanned_code or 'anonymous'})"

    @property
    def is_open(self) -> bool:
        return self.end is None


class Scan(models.Model):
    """Every scan is kept, with what it did: the evidence behind each time line."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started a time line")
        STOPPED = "stopped", _("Stopped a time line")
        SHOWN = "shown", _("Showed a time line")
        BOUNCED = "bounced", _("Bounced (the same code again within the bounce window)")

    # No index of its own: the index and the client ids' constraint below begin with the site.
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="scans", db_index=False, verbose_name=_("site")
    )
    code = models.CharField(_("code"), max_length=64)
    # NULL, not "": the unique constraint must ignore scans without a client id.
    client_id = models.CharField(_("client ID"), max_length=64, null=True, blank=True)  # noqa: DJ001
    # Whose client id it is ("device:<id>", "user:<id>", or "operator"): an id made by one device or user
    # is unknown to every other, so nobody reads another's scan by guessing its id.
    client_scope = models.CharField(_("client scope"), max_length=30, blank=True)
    # The answer given the first time, given back as it was when the same client id is sent again (without
    # the scan's own id, which the answer is worked out before: the API adds it).
    answer = models.JSONField(_("answer"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    device = models.ForeignKey(
        Device,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scans",
        verbose_name=_("device"),
    )
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    device_time = models.DateTimeField(
        _("device time"), null=True, blank=True, help_text=_("When the device says it scanned.")
    )
    received_at = models.DateTimeField(_("received at"), help_text=_("When the server received the scan."))
    scanned_at = models.DateTimeField(
        _("scanned at"), help_text=_("The instant the scan counts for: the device's time if given.")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    time_line = models.ForeignKey(
        TimeLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scans",
        verbose_name=_("time line"),
    )

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-received_at"]
        constraints = [
            # A retried or late-synced scan carries the same client id and must change nothing.
            models.UniqueConstraint(
                fields=["site", "client_scope", "client_id"],
                condition=Q(client_id__isnull=False),
                name="scan_client_id_unique_per_scope",
            ),
        ]
        indexes = [models.Index(fields=["site", "code", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.code} @ {self.site} {self.received_at:%Y-%m-%d %H:%M:%S} → {self.outcome}"


class AuditEntry(models.Model):
    """Who changed what on a time line, when, old → new, and why. Append-only."""

    time_line = models.ForeignKey(
        TimeLine, on_delete=models.PROTECT, related_name="audit", verbose_name=_("time line")
    )
    action = models.CharField(_("action"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("device")
    )
    # Who it was, as they were named then: renaming a user or a device later changes nothing here.
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    device_name = models.CharField(_("device name"), max_length=100, blank=True)
    at = models.DateTimeField(_("when"))
    old = models.JSONField(_("before"), default=dict)
    new = models.JSONField(_("after"), default=dict)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.time_line_id}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        # The trail is evidence: an entry, once written, is never rewritten.
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("Audit entries cannot be deleted.")
