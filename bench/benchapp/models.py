"""One table: what a scan request carries, stored as is."""

from django.db import models


class BareInsert(models.Model):
    site = models.CharField(max_length=50)
    code = models.CharField(max_length=64)
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - mirrors Scan.client_id
    device_time = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.code} @ {self.site}"
