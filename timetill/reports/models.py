"""Exports prepared in the background: a large XLSX of time lines, its progress, where its file is kept."""

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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, default="time_lines_xlsx")
    query = models.JSONField(
        default=dict, help_text=_("The report's filters, as its page's query string had them.")
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, help_text=_("The name the download is saved under."))
    token = models.CharField(
        max_length=32, unique=True, help_text=_("The stored file's name: not guessable.")
    )
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.done_rows / self.total_rows))
