"""Verbs on sites and devices: issuing, checking and revoking device tokens."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from timetill.sites.models import TOKEN_PREFIX, Device, Site, hash_token


class DeviceAuthError(Exception):
    """Why a token was refused; `code` tells a revoked token from an unknown one."""

    def __init__(self, message: str, *, code: str = "invalid_token") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IssuedDevice:
    device: Device
    token: str  # shown once; only its hash is stored


def register_device(*, site: Site, name: str) -> IssuedDevice:
    token = Device.new_token()
    device = Device.objects.create(site=site, name=name, token_hash=hash_token(token), token_hint=token[:10])
    return IssuedDevice(device=device, token=token)


def authenticate_device(token: str, *, at: datetime) -> Device:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise DeviceAuthError(_("This is not a device token."))
    # A unique key: no ORDER BY (`.first()` would add one) on the path of every device request.
    rows = Device.objects.select_related("site").filter(token_hash=hash_token(token)).order_by()
    device = next(iter(rows[:1]), None)
    if device is None:
        raise DeviceAuthError(_("Unknown device token."))
    if device.revoked_at is not None:
        raise DeviceAuthError(_("This device token has been revoked."), code="revoked_token")
    # One cheap UPDATE at most once a minute: last-seen is for humans, not for accounting.
    if device.last_seen_at is None or (at - device.last_seen_at).total_seconds() > 60:
        Device.objects.filter(pk=device.pk).update(last_seen_at=at)
        device.last_seen_at = at
    return device


@transaction.atomic
def revoke_device(*, device: Device, at: datetime) -> Device:
    if device.revoked_at is None:
        device.revoked_at = at
        device.save(update_fields=["revoked_at"])
    return device


@transaction.atomic
def save_site(*, site: Site) -> Site:
    """Create or change a site, its every field checked (the model's validators) before it is written."""
    site.full_clean()
    site.save()
    return site
