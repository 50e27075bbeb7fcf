"""A manager sets up a cashier in a real browser; the cashier chooses a password from the invitation, logs in,
lands on the Timestamp page and is not offered the time correction. Phone and desktop screenshots."""

import re

from django.core import mail

from tests.browser import MARKS, log_in, shot
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.customers.codes import make_ean13
from timetill.customers.services import create_customer
from timetill.sites.models import Site

pytestmark = MARKS


def test_a_manager_creates_a_cashier_who_lands_on_the_timestamp_page_without_time_corrections(
    live_server, browser
):
    Site.objects.create(name="Car park", slug="park", time_zone="Europe/Paris")
    # No bounce window: both screen sizes scan Alice's card, the second within seconds of the first.
    Site.objects.create(
        name="Coworking Bellecour", slug="cowork", time_zone="Europe/Paris", capacity=40, bounce_seconds=0
    )
    code = make_ean13("200000000001")
    create_customer(name="Alice Martin", codes=[(code, "ean13")])
    create_user(username="boss", password=PASSWORD, role="manager")

    for width, height, label in [(1280, 900, "desktop"), (390, 844, "phone")]:
        username = f"claire-{label}"
        page = browser.new_page(viewport={"width": width, "height": height})
        log_in(page, live_server.url, "boss", then="/timestamp/")
        # Below 1320 px the top bar's extra links give way to the Menu, which lists every page.
        page.locator(".nav-menu summary").click()
        page.locator(".nav-menu-links").get_by_role("link", name="Back office").click()
        page.get_by_role("link", name="Users and rights").click()
        page.get_by_role("link", name="New user").click()
        page.fill("#person-username", username)
        page.fill("#person-email", f"{username}@example.com")
        page.fill("#person-first_name", "Claire")
        page.select_option("#person-role", "cashier")
        # The cashier role gives track_time: ticked and greyed; edit_times stays unticked.
        track = page.locator("input[name=rights][value=track_time]")
        assert track.is_checked() and track.is_disabled()
        assert not page.locator("input[name=rights][value=edit_times]").is_checked()
        page.select_option("#person-home_page", "timestamp")
        page.select_option("#person-default_site", label="Coworking Bellecour")
        shot(page, f"backoffice-new-cashier-{label}.png")
        page.get_by_role("button", name="Create the user").click()
        page.locator(".flash-ok", has_text="invited by e-mail").wait_for()
        shot(page, f"backoffice-cashier-created-{label}.png")
        page.close()

        # Claire opens the invitation, chooses her password, logs in and lands on her home page.
        link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
        claire = browser.new_page(viewport={"width": width, "height": height})
        claire.goto(link)
        claire.fill("#id_new_password1", "claire-chooses-this-1")
        claire.fill("#id_new_password2", "claire-chooses-this-1")
        shot(claire, f"backoffice-choose-password-{label}.png")
        claire.get_by_role("button", name="Save my password").click()
        claire.get_by_role("link", name="Log in").click()
        claire.fill("input[name=username]", username)
        claire.fill("input[name=password]", "claire-chooses-this-1")
        claire.click("button[type=submit]")
        claire.wait_for_url(f"{live_server.url}/timestamp/")
        assert "Coworking Bellecour" in claire.locator(".topbar").inner_text()
        assert claire.get_by_role("link", name="Back office").count() == 0
        claire.wait_for_load_state("networkidle")  # the page's scripts are ready for the reader's Enter
        claire.locator("#scan-code").fill(code)
        claire.keyboard.press("Enter")
        line = claire.locator("section[aria-labelledby=pending-title] article.line", has_text="Alice Martin")
        claire.locator("#flash .flash").wait_for()
        line.wait_for()
        line.get_by_role("button", name="Details").click()
        claire.locator("#line-panel h2", has_text="Alice Martin").wait_for()
        assert claire.locator("#line-panel", has_text="Correct the times").count() == 0
        shot(claire, f"backoffice-cashier-timestamp-{label}.png")
        # This stay, by its id: the stopped list also holds the stay stopped on the other screen size.
        stay = line.get_attribute("data-line")
        claire.locator("#line-panel").get_by_role("button", name="Stop").first.click()
        claire.locator(f'section[aria-labelledby=stopped-title] article.line[data-line="{stay}"]').wait_for()
        claire.close()
