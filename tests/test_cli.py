"""The `timetill` command: demo data, scanning and devices from the shell, Django commands passed through."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from timetill.cli import main
from timetill.customers.models import Customer
from timetill.demo import DEMO_LOGINS
from timetill.sites.models import Device, Site
from timetill.timelines.models import Scan, TimeLine


def test_demo_loads_sites_customers_logins_and_open_and_closed_lines(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert set(Site.objects.values_list("slug", flat=True)) == {"cowork", "parking", "daycare"}
    assert Customer.objects.count() >= 9
    assert (
        TimeLine.objects.filter(end__isnull=True).exists()
        and TimeLine.objects.filter(end__isnull=False).exists()
    )
    for username, (password, _role) in DEMO_LOGINS.items():
        assert f"{username}" in out and password in out
    assert "2000000000015" in out


def test_demo_if_empty_runs_once(db, capsys):
    call_command("demo", "--if-empty")
    lines = TimeLine.objects.count()
    call_command("demo", "--if-empty")
    assert TimeLine.objects.count() == lines
    assert "already loaded" in capsys.readouterr().out


def test_scan_from_the_shell_starts_then_stops(db, site, make_customer, capsys):
    alice = make_customer("Alice")
    code = alice.codes.get().value
    call_command("scan", code, "--site", site.slug)
    assert "started: Alice checked in." in capsys.readouterr().out
    site.bounce_seconds = 0
    site.save()
    call_command("scan", code, "--site", site.slug)
    assert "stopped" in capsys.readouterr().out
    assert Scan.objects.count() == 2


def test_scan_errors_are_one_clear_line(db, site):
    with pytest.raises(CommandError, match="no site “nowhere”"):
        call_command("scan", "ABC", "--site", "nowhere")
    with pytest.raises(CommandError, match=r"check digit.*\[invalid_ean\]"):
        call_command("scan", "4006381333932", "--site", site.slug)
    assert not Scan.objects.exists()


def test_device_add_prints_the_token_once_and_revoke_ends_it(db, site, capsys):
    call_command("device", "add", "Kiosk", "--site", site.slug)
    token = capsys.readouterr().out.strip().splitlines()[-1]
    device = Device.objects.get()
    assert token.startswith(device.token_hint) and device.token_hash not in token
    call_command("device", "revoke", str(device.pk))
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_django_commands_pass_through(db, capsys):
    assert main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out
