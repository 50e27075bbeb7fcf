"""Each user's preferences, and the model that carries the product's named rights as permissions."""

from django.conf import settings
from django.db import models

from timetill.accounts.rights import RIGHTS


class HomePage(models.TextChoices):
    TIMESTAMP = "timestamp", "Timestamp page"
    FAMILY = "family", "My family (parents)"
    ADMIN = "admin", "Back office"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    home_page = models.CharField(max_length=20, choices=HomePage.choices, default=HomePage.TIMESTAMP)
    default_site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        default_permissions = ()
        # The rights of the product, granted per user or through the role groups.
        permissions = sorted(RIGHTS.items())

    def __str__(self) -> str:
        return f"Profile of {self.user}"
