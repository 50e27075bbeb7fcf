"""Site and device endpoints: reading sites; registering (token shown once) and revoking devices."""

from timetill.sites.models import Device, hash_token


def test_list_and_get_sites(api_as, cashier, site):
    api = api_as(cashier)
    status, sites = api.get("/sites")
    assert (status, [s["slug"] for s in sites]) == (200, [site.slug])
    status, body = api.get(f"/sites/{site.slug}")
    assert (status, body["time_zone"], body["bounce_seconds"]) == (200, "Europe/Paris", 5)
    status, body = api.get("/sites/nowhere")
    assert (status, body["code"]) == (404, "unknown_site")


def test_register_list_and_revoke_a_device(api_as, api_device, manager, site, make_customer):
    api = api_as(manager)
    status, issued = api.post(f"/sites/{site.slug}/devices", {"name": "Front door"})
    assert status == 201
    token = issued["token"]
    device = Device.objects.get()
    assert device.token_hash == hash_token(token) and token not in (device.token_hash, device.token_hint)
    assert issued["device"]["active"] is True

    status, devices = api.get(f"/sites/{site.slug}/devices")
    assert [d["name"] for d in devices] == ["Front door"]
    assert "token" not in devices[0]  # shown once, at registration only

    code = make_customer().codes.get().value
    assert api_device(token).post("/scans", {"site": site.slug, "code": code})[0] == 200

    status, body = api.post(f"/devices/{device.pk}/revoke")
    assert (status, body["active"]) == (200, False)
    status, body = api_device(token).post("/scans", {"site": site.slug, "code": code})
    assert (status, body["code"]) == (401, "revoked_token")


def test_devices_need_manage_sites(api_as, cashier, site, make_device, unchanged):
    device = make_device(site).device
    api = api_as(cashier)
    with unchanged():
        for method, path, data in [
            ("get", f"/sites/{site.slug}/devices", None),
            ("post", f"/sites/{site.slug}/devices", {"name": "Sneaky"}),
            ("post", f"/devices/{device.pk}/revoke", {}),
        ]:
            status, body = getattr(api, method)(path, data)
            assert (status, body["code"]) == (403, "forbidden"), path
            assert "manage_sites" in body["message"]


def test_bad_device_requests_change_nothing(api_as, manager, site, unchanged):
    api = api_as(manager)
    with unchanged():
        for path, data, status, code in [
            ("/sites/nowhere/devices", {"name": "Gate"}, 404, "unknown_site"),
            (f"/sites/{site.slug}/devices", {"name": ""}, 422, "invalid_input"),
            (f"/sites/{site.slug}/devices", {"name": "   "}, 422, "invalid_input"),
            (f"/sites/{site.slug}/devices", {"name": "x" * 101}, 422, "invalid_input"),
            (f"/sites/{site.slug}/devices", {"name": "tab\there"}, 422, "invalid_input"),
            ("/devices/999999/revoke", {}, 404, "unknown_device"),
        ]:
            got, body = api.post(path, data)
            assert (got, body["code"]) == (status, code), (path, data)
