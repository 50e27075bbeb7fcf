"""Downloads prepared in the background (a large XLSX of time lines, a month's e-invoices in one ZIP): what
was asked for, its progress, where its file is kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """A download too large to write within a request: asked for by a user, written by the tasks worker into
    a folder of that user's, downloadable by that user only, removed with its file after EXPORT_KEEP."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        TIME_LINES_XLSX = "time_lines_xlsx", _("Time lines (XLSX)")
        EINVOICES_ZIP = "einvoices_zip", _("E-invoices of a month (ZIP)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TIME_LINES_XLSX)
    query = models.JSONField(
        _("query"),
        default=dict,
        help_text=_(
            "What was asked for: the time lines report's filters, or the e-invoices' site, month and format."
        ),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(
        _("total rows"), default=0, help_text=_("Time lines or files to write.")
    )
    done_rows = models.PositiveIntegerField(
        _("done rows"), default=0, help_text=_("Time lines or files written so far.")
    )
    file_name = models.CharField(
        _("file name"), max_length=100, help_text=_("The name the download is saved under.")
    )
    token = models.CharField(
        _("download token"), max_length=32, unique=True, help_text=_("The stored file's name: not guessable.")
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        # The table the reports app created when it alone had exports: kept, with its rows.
        db_table = "reports_export"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="reports_exp_created_32e6a4_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.done_rows / self.total_rows))
