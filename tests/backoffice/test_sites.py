"""Sites and devices pages: every setting saved and recorded, bad input refused at the field with nothing
saved, a device's token shown once, revoked."""

import pytest
from django.urls import reverse
from django.utils import timezone

from timetill.accounts.models import Change
from timetill.sites.models import Device, Site
from timetill.sites.services import authenticate_device

pytestmark = pytest.mark.django_db


def _site_data(**fields) -> dict:
    data = {
        "name": "Crèche Les Lutins",
        "slug": "lutins",
        "time_zone": "Europe/Rome",
        "currency": "eur",
        "capacity": "24",
        "existing_line_policy": "toggle",
        "unknown_code_policy": "refuse",
        "bounce_seconds": "5",
        "max_stay_minutes": "660",
        "max_offline_days": "3",
        "opens_mon_0": "07:30",
        "closes_mon_0": "12:00",
        "opens_mon_1": "13:30",
        "closes_mon_1": "18:30",
        "opens_fri_0": "07:30",
        "closes_fri_0": "17:00",
    }
    data.update(fields)
    return data


def _snapshot() -> list:
    return [list(Site.objects.order_by("pk").values()), Change.objects.count()]


def test_a_manager_creates_a_site_with_every_setting(login, manager):
    response = login(manager).post(reverse("bo-site-new"), _site_data())
    site = Site.objects.get(slug="lutins")
    assert response.url == reverse("bo-site", kwargs={"pk": site.pk})
    assert (site.time_zone, site.currency, site.capacity, site.max_offline_days) == (
        "Europe/Rome",
        "EUR",
        24,
        3,
    )
    assert site.opening_hours == {
        "mon": [["07:30", "12:00"], ["13:30", "18:30"]],
        "fri": [["07:30", "17:00"]],
    }
    assert Change.objects.get(subject="site").new["capacity"] == 24


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Europe/Pariss", "not a time zone we know"),
        ("capacity", "-3", "1 or more"),
        ("capacity", "0", "1 or more"),
        ("currency", "EURO", "not a currency code"),
        ("currency", "XYZ", "not a currency code"),
        ("bounce_seconds", "-1", "0 to 600 seconds"),
        ("max_offline_days", "0", "1 to 366 days"),
        ("closes_mon_0", "07:00", "close after it opens"),
        ("closes_fri_0", "", "both times"),
        ("opens_mon_1", "11:00", "overlap"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(login, manager, site, field, value, message):
    before = _snapshot()
    response = login(manager).post(reverse("bo-site", kwargs={"pk": site.pk}), _site_data(**{field: value}))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert errors and message in errors
    assert f'data-field="{field}"' in response.content.decode() or field.startswith(("opens", "closes"))
    assert _snapshot() == before


def test_an_edit_records_what_changed(login, manager, site):
    login(manager).post(reverse("bo-site", kwargs={"pk": site.pk}), _site_data(slug=site.slug, capacity="30"))
    change = Change.objects.get(subject="site", action="update")
    assert change.new["capacity"] == 30 and change.old["capacity"] == 20


def test_a_device_s_token_is_shown_once_and_works_until_revoked(login, manager, site):
    client = login(manager)
    response = client.post(reverse("bo-device-add", kwargs={"pk": site.pk}), {"name": "Gate 1"})
    token = response.context["issued"].token
    assert token in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    device = Device.objects.get(name="Gate 1")
    assert authenticate_device(token, at=timezone.now()) == device
    page = client.get(reverse("bo-site", kwargs={"pk": site.pk})).content.decode()
    assert "Gate 1" in page and token not in page
    client.post(reverse("bo-device-revoke", kwargs={"pk": site.pk, "device_pk": device.pk}))
    device.refresh_from_db()
    assert not device.is_active
    assert list(Change.objects.filter(subject="site").values_list("action", flat=True)) == [
        "revoke device",
        "add device",
    ]
