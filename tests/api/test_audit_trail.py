"""The audit trail never changes after the fact: an entry keeps who acted as they were named, and a user or
a device that appears in the trail (or made a scan) cannot be deleted, in the admin or anywhere else."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.test import Client

from timetill.sites.models import Device
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, Scan, TimeLine, Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services.scan import scan

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-not-used")
    client = Client()
    client.force_login(user)
    return client


def _device_stop(site, make_device, make_customer):
    device = make_device(site, "Gate 1").device
    code = make_customer().codes.get().value
    actor = Actor.for_device(device)
    scan(site=site, code=code, actor=actor, at=T0)
    site.bounce_seconds = 0
    site.save()
    scan(site=site, code=code, actor=actor, at=T0 + timedelta(hours=1))  # the check-out is audited
    return device


def test_an_entry_keeps_the_devices_name_after_a_rename(site, make_device, make_customer, api_as, cashier):
    device = _device_stop(site, make_device, make_customer)
    device.name = "Gate 1 (renamed)"
    device.save()
    line = TimeLine.objects.get()
    status, trail = api_as(cashier).get(f"/time-lines/{line.pk}/audit")
    assert status == 200
    assert [entry["device"] for entry in trail] == ["Gate 1"]


def test_an_entry_keeps_the_users_name_after_a_rename(site, make_customer, cashier, api_as):
    line = scan(
        site=site, code=make_customer().codes.get().value, actor=Actor.for_user(cashier), at=T0
    ).time_line
    line_service.set_note(line_id=line.pk, note="Late", actor=Actor.for_user(cashier, via=Via.MANUAL), at=T0)
    before = cashier.username
    cashier.username = "someone-else"
    cashier.save()
    assert AuditEntry.objects.get().user_name == before
    assert api_as(cashier).get(f"/time-lines/{line.pk}/audit")[1][0]["user"] == before


def test_a_device_that_scanned_cannot_be_deleted_in_the_admin(site, make_device, make_customer, admin_client):
    device = _device_stop(site, make_device, make_customer)
    response = admin_client.post(f"/admin/sites/device/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin's page that names what protects it
    assert "Cannot delete device" in response.content.decode()
    assert Device.objects.filter(pk=device.pk).exists()
    assert Scan.objects.filter(device=device).count() == 2
    assert AuditEntry.objects.get().device == device


def test_a_user_who_acted_cannot_be_deleted(site, make_customer, cashier):
    scan(site=site, code=make_customer().codes.get().value, actor=Actor.for_user(cashier), at=T0)
    with pytest.raises(ProtectedError):
        cashier.delete()
    assert Scan.objects.get().user == cashier


def test_a_device_that_never_scanned_can_still_be_deleted(site, make_device):
    device = make_device(site, "Spare").device
    device.delete()
    assert not Device.objects.exists()
