"""Each user's preferences, the model that carries the product's named rights as permissions, and the
back office's trail of changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timetill.accounts.rights import RIGHTS


class HomePage(models.TextChoices):
    TIMESTAMP = "timestamp", _("Timestamp page")
    TILL = "till", _("Till")
    FAMILY = "family", _("My family (parents)")
    ADMIN = "admin", _("Back office")
    REPORTS = "reports", _("Reports")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    home_page = models.CharField(
        _("home page"), max_length=20, choices=HomePage.choices, default=HomePage.TIMESTAMP
    )
    default_site = models.ForeignKey(
        "sites.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default site"),
    )
    # Empty: the language the browser asks for (docs/i18n.md).
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        default_permissions = ()
        # The rights of the product, granted per user or through the role groups.
        permissions = sorted(RIGHTS.items())

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Change(models.Model):
    """One change made in the back office: who, when, on what, old → new. Append-only: the trail is evidence,
    and a person who appears in it is never deleted (PROTECT), only deactivated."""

    at = models.DateTimeField(_("when"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    subject = models.CharField(_("subject"), max_length=30)  # "user", "customer", "site", "device", …
    subject_id = models.BigIntegerField(_("subject ID"), null=True, blank=True)
    # A copy: the trail reads the same after a rename.
    subject_label = models.CharField(_("subject label"), max_length=200)
    action = models.CharField(_("action"), max_length=30)
    old = models.JSONField(_("before"), default=dict, blank=True)
    new = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("back-office change")
        verbose_name_plural = _("back-office changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject} {self.subject_label}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("Back-office changes cannot be rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("Back-office changes cannot be deleted.")
