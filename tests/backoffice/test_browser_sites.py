"""A site's settings in a real browser: an unknown time zone and a negative capacity are marked at their
fields and nothing is saved; a device's token is shown once. Phone and desktop screenshots."""

from tests.browser import MARKS, log_in, shot
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.sites.models import Device, Site

pytestmark = MARKS


def test_bad_site_settings_are_marked_at_their_fields_and_a_device_token_is_shown_once(live_server, browser):
    create_user(username="boss", password=PASSWORD, role="manager")
    site = Site.objects.create(name="Car park", slug="park", time_zone="Europe/Paris", capacity=120)
    for width, height, label in [(1280, 900, "desktop"), (390, 844, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": height})
        log_in(page, live_server.url, "boss", then=f"/backoffice/sites/{site.pk}/")
        page.fill("#site-time_zone", "Europe/Pariss")
        page.fill("#site-capacity", "-5")
        page.fill("#site-opens_sat_0", "08:00")
        page.get_by_role("button", name="Save").click()
        page.locator(".field-error[data-field=time_zone]").wait_for()
        assert "not a time zone we know" in page.locator(".field-error[data-field=time_zone]").inner_text()
        assert "1 or more" in page.locator(".field-error[data-field=capacity]").inner_text()
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
        shot(page, f"backoffice-site-errors-{label}.png")
        site.refresh_from_db()
        assert (site.time_zone, site.capacity, site.opening_hours) == ("Europe/Paris", 120, {})

        page.goto(f"{live_server.url}/backoffice/sites/{site.pk}/")
        page.fill("#device-name", f"Gate {label}")
        page.get_by_role("button", name="Add a device").click()
        token = page.locator("#device-token").inner_text()
        assert token.startswith("ttd_")
        shot(page, f"backoffice-device-token-{label}.png")
        page.get_by_role("link", name="I have copied it").click()
        assert token not in page.content()
        page.close()
    assert Device.objects.count() == 2
