"""Device tokens: shown once, stored hashed, revocable."""

from datetime import UTC, datetime, timedelta

import pytest

from timetill.sites.models import Device
from timetill.sites.services import DeviceAuthError, authenticate_device, register_device, revoke_device

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def test_a_token_is_stored_only_as_its_hash(site):
    issued = register_device(site=site, name="Gate")
    stored = Device.objects.get()
    assert issued.token not in (stored.token_hash, stored.token_hint)
    assert issued.token.startswith(stored.token_hint)
    assert authenticate_device(issued.token, at=NOW) == stored


def test_a_revoked_token_no_longer_authenticates(site):
    issued = register_device(site=site, name="Gate")
    revoke_device(device=issued.device, at=NOW)
    with pytest.raises(DeviceAuthError, match="revoked"):
        authenticate_device(issued.token, at=NOW + timedelta(seconds=1))


@pytest.mark.parametrize("token", ["", "ttd_unknown", "Basic abc", "ttd_" + "x" * 300])
def test_unknown_or_malformed_tokens_are_refused(site, token):
    register_device(site=site, name="Gate")
    with pytest.raises(DeviceAuthError):
        authenticate_device(token, at=NOW)


def test_last_seen_is_recorded(site):
    issued = register_device(site=site, name="Gate")
    authenticate_device(issued.token, at=NOW)
    assert Device.objects.get().last_seen_at == NOW
