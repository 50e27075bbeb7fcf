"""The Timestamp page through the Django test client: rights, scanning, search, lists, line actions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from tests.web.conftest import HX, code_of
from timetill.customers.codes import make_ean13
from timetill.timelines.models import AuditEntry, Scan, TimeLine
from timetill.timelines.services.scan import check_in


def scan_page(client, site, code: str):
    return client.post(reverse("timestamp-scan"), {"site": site.slug, "code": code}, **HX)


def open_line(site, customer) -> TimeLine | None:
    return TimeLine.objects.filter(site=site, customer=customer, end__isnull=True).first()


# Rights


def test_the_page_needs_a_login(client, site):
    response = client.get(reverse("timestamp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_without_track_time_the_page_is_a_403_with_the_reason(login, make_parent, site):
    response = login(make_parent()).get(reverse("timestamp"))
    assert response.status_code == 403
    assert "track_time" in response.content.decode()
    assert b"Not allowed" in response.content


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("timestamp-scan", {"code": "X"}),
        ("timestamp-check-in", {"customer": "1"}),
    ],
)
def test_without_track_time_actions_are_refused_and_change_nothing(login, make_parent, site, name, data):
    client = login(make_parent())
    response = client.post(reverse(name), {"site": site.slug, **data}, **HX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#flash"
    assert "track_time" in response.content.decode()
    assert not TimeLine.objects.exists()
    assert not Scan.objects.exists()


def test_without_track_time_a_line_cannot_be_stopped(login, make_parent, site, make_customer, cashier_actor):
    child = make_customer()
    line = check_in(site=site, customer=child, actor=cashier_actor, at=timezone.now())
    # Even the child's own guardian: the Timestamp page is staff's; parents use the family page.
    client = login(make_parent(child))
    for name in ("timestamp-stop", "timestamp-note", "timestamp-lists"):
        method = client.get if name == "timestamp-lists" else client.post
        assert (
            method(reverse(name, args=[line.pk]) if name != "timestamp-lists" else reverse(name)).status_code
            == 403
        )
    line.refresh_from_db()
    assert line.end is None


def test_an_expired_session_inside_the_page_goes_to_the_login_form(client, site):
    response = client.post(reverse("timestamp-scan"), {"site": site.slug, "code": "X"}, **HX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


# The page and its site


def test_the_page_has_a_focused_scan_field_and_polls_its_lists(login, cashier, site):
    html = login(cashier).get(reverse("timestamp")).content.decode()
    assert 'id="scan-code"' in html and "autofocus" in html
    assert 'hx-trigger="every 10s"' in html
    assert reverse("timestamp-lists") in html
    assert "X-CSRFToken" in html
    assert "htmx-2.min.js" in html


def test_the_site_comes_from_the_address_then_the_profile_then_the_first(login, cashier, make_site):
    first = make_site(name="Aardvark room", slug="aardvark")
    second = make_site(name="Zebra room", slug="zebra")
    client = login(cashier)
    assert client.get(reverse("timestamp")).context["site"] == first
    assert client.get(reverse("timestamp"), {"site": "zebra"}).context["site"] == second
    cashier.profile.default_site = second
    cashier.profile.save()
    assert client.get(reverse("timestamp")).context["site"] == second


def test_an_unknown_site_is_a_404(login, cashier, site):
    assert login(cashier).get(reverse("timestamp"), {"site": "nowhere"}).status_code == 404


# Scanning


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "Arrivée de Alice Martin enregistrée."), ("it", "Entrata di Alice Martin registrata.")],
)
def test_a_scan_is_told_in_the_cashiers_language(login, cashier, site, make_customer, language, said):
    cashier.profile.language = language
    cashier.profile.save()
    alice = make_customer("Alice Martin")
    html = scan_page(login(cashier), site, code_of(alice)).content.decode()
    assert "flash-ok" in html and said in html


def test_a_customer_scan_starts_a_line_shown_in_the_pending_list(login, cashier, site, make_customer):
    alice = make_customer("Alice Martin")
    response = scan_page(login(cashier), site, code_of(alice))
    html = response.content.decode()
    assert response.status_code == 200
    assert "flash-ok" in html and "Alice Martin checked in." in html
    assert open_line(site, alice) is not None
    assert 'id="lists"' in html and "Alice Martin" in html


def test_a_second_scan_stops_the_line_under_the_toggle_policy(login, cashier, site, make_customer):
    alice = make_customer("Alice Martin")
    client = login(cashier)
    with time_machine.travel(paris(2026, 5, 4, 9, 0), tick=False):
        scan_page(client, site, code_of(alice))
    with time_machine.travel(paris(2026, 5, 4, 11, 30), tick=False):
        html = scan_page(client, site, code_of(alice)).content.decode()
    assert "flash-ok" in html and "checked out" in html
    line = TimeLine.objects.get(customer=alice)
    assert line.end - line.start == timedelta(hours=2, minutes=30)
    assert "Stopped <span" in html and "2 h 30" in html


def test_a_bounced_scan_is_amber_and_changes_nothing(login, cashier, site, make_customer):
    alice = make_customer()
    client = login(cashier)
    with time_machine.travel(paris(2026, 5, 4, 9, 0), tick=False):
        scan_page(client, site, code_of(alice))
    with time_machine.travel(paris(2026, 5, 4, 9, 0, 2), tick=False):
        html = scan_page(client, site, code_of(alice)).content.decode()
    assert "flash-warn" in html and "ignored" in html
    assert open_line(site, alice) is not None
    assert Scan.objects.filter(outcome=Scan.Outcome.BOUNCED).count() == 1


def test_an_unknown_code_refused_by_the_site_is_a_red_message(login, cashier, make_site):
    strict = make_site(unknown_code_policy="refuse")
    response = scan_page(login(cashier), strict, "NOBODY-42")
    assert response.status_code == 404
    html = response.content.decode()
    assert "flash-error" in html and "NOBODY-42 belongs to no customer" in html
    assert not TimeLine.objects.exists() and not Scan.objects.exists()


def test_an_unknown_code_starts_an_anonymous_line_where_the_site_allows(login, cashier, site):
    html = scan_page(login(cashier), site, "ticket-0042").content.decode()
    assert "Code TICKET-0042 checked in." in html
    assert TimeLine.objects.get().scanned_code == "TICKET-0042"


def test_a_wrong_ean_check_digit_says_which_digit(login, cashier, site):
    good = make_ean13("200000000001")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = scan_page(login(cashier), site, bad)
    assert response.status_code == 400
    assert f"its check digit should be {good[-1]}" in response.content.decode()
    assert not TimeLine.objects.exists()


@pytest.mark.parametrize("code", ["", "   ", "has space", "x" * 65, "\x00\x01"])
def test_malformed_codes_are_refused_with_a_message(login, cashier, site, code):
    response = scan_page(login(cashier), site, code)
    assert response.status_code == 400
    assert "flash-error" in response.content.decode()
    assert not Scan.objects.exists()


def test_a_scan_without_htmx_goes_back_to_the_page_with_the_message(login, cashier, site, make_customer):
    alice = make_customer("Alice Martin")
    client = login(cashier)
    response = client.post(
        reverse("timestamp-scan"), {"site": site.slug, "code": code_of(alice)}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('timestamp')}?site={site.slug}"
    assert "Alice Martin checked in." in response.content.decode()


# Search and check in


def test_search_offers_check_in_or_says_since_when(login, cashier, site, make_customer, cashier_actor):
    make_customer("Alice Martin")
    bruno = make_customer("Bruno Martin")
    with time_machine.travel(paris(2026, 5, 4, 8, 15), tick=False):
        check_in(site=site, customer=bruno, actor=cashier_actor, at=timezone.now())
    html = (
        login(cashier).get(reverse("timestamp-search"), {"site": site.slug, "q": "martin"}).content.decode()
    )
    assert "Alice Martin" in html and "Check in" in html
    assert "here since 08:15" in html


def test_search_finds_a_customer_by_code(login, cashier, site, make_customer):
    alice = make_customer("Alice Martin")
    html = (
        login(cashier)
        .get(reverse("timestamp-search"), {"site": site.slug, "q": code_of(alice)})
        .content.decode()
    )
    assert "Alice Martin" in html


def test_checking_in_from_the_search(login, cashier, site, make_customer):
    alice = make_customer("Alice Martin")
    data = {"site": site.slug, "customer": alice.pk, "q": "alice"}
    response = login(cashier).post(reverse("timestamp-check-in"), data, **HX)
    html = response.content.decode()
    assert "Alice Martin checked in." in html
    assert 'id="search-results"' in html and "here since" in html  # the results refresh out of band
    assert open_line(site, alice) is not None


def test_checking_in_twice_is_refused(login, cashier, site, make_customer, cashier_actor):
    alice = make_customer("Alice Martin")
    check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
    response = login(cashier).post(
        reverse("timestamp-check-in"), {"site": site.slug, "customer": alice.pk}, **HX
    )
    assert response.status_code == 409
    assert "already checked in" in response.content.decode()
    assert TimeLine.objects.count() == 1


# The pending list, with a frozen clock in Paris


def stopped_section(html: str) -> str:
    return html.split('id="stopped-title"')[1].split('id="line-panel"')[0]


def pending_html(client, site) -> str:
    return client.get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()


def test_a_line_open_since_yesterday_is_a_forgotten_check_out(
    login, cashier, site, make_customer, cashier_actor
):
    alice = make_customer("Alice Martin")
    with time_machine.travel(paris(2026, 5, 4, 23, 30), tick=False):
        check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
        assert "forgotten check-out" not in pending_html(login(cashier), site)
    # 00:30 in Paris is still 22:30 UTC the day before: the warning must follow the site's day, not UTC's.
    with time_machine.travel(paris(2026, 5, 5, 0, 30), tick=False):
        html = pending_html(login(cashier), site)
    assert "open since Mon 04/05: forgotten check-out?" in html
    assert "1 h 00" in html


def test_midnight_utc_is_not_a_new_day_in_paris(login, cashier, site, make_customer, cashier_actor):
    alice = make_customer()
    # 01:30 Paris on 5 May = 23:30 UTC on 4 May; at 08:00 Paris the UTC date changed, the local one did not.
    with time_machine.travel(paris(2026, 5, 5, 1, 30), tick=False):
        check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 5, 5, 8, 0), tick=False):
        assert "forgotten" not in pending_html(login(cashier), site)


def test_a_line_over_the_maximum_stay_is_flagged(login, cashier, make_site, make_customer, cashier_actor):
    site = make_site(max_stay_minutes=120)
    alice = make_customer()
    with time_machine.travel(paris(2026, 5, 4, 9, 0), tick=False):
        check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 5, 4, 11, 0), tick=False):
        assert "over maximum stay" not in pending_html(login(cashier), site)
    with time_machine.travel(paris(2026, 5, 4, 11, 1), tick=False):
        html = pending_html(login(cashier), site)
    assert "over maximum stay" in html and "2 h 01" in html


def test_elapsed_time_across_the_spring_forward_night_is_real_time(
    login, cashier, site, make_customer, cashier_actor
):
    alice = make_customer()
    with time_machine.travel(paris(2026, 3, 29, 1, 30), tick=False):
        check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 3, 29, 3, 30), tick=False):
        html = pending_html(login(cashier), site)
    assert "since 01:30" in html
    assert ">1 h 00<" in html
    assert "forgotten" not in html


def test_elapsed_time_across_the_fall_back_night_is_real_time(
    login, cashier, site, make_customer, cashier_actor
):
    alice = make_customer()
    with time_machine.travel(paris(2026, 10, 24, 23, 30), tick=False):
        check_in(site=site, customer=alice, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 10, 25, 3, 30), tick=False):
        html = pending_html(login(cashier), site)
    assert ">5 h 00<" in html  # 23:30 → 03:30 on the wall, five real hours that night
    assert "open since Sat 24/10: forgotten check-out?" in html


def test_the_stopped_list_is_the_sites_local_day(login, cashier, site, make_customer, cashier_actor):
    alice, bruno = make_customer("Alice Martin"), make_customer("Bruno Petit")
    with time_machine.travel(paris(2026, 5, 4, 22, 0), tick=False):
        for who in (alice, bruno):
            check_in(site=site, customer=who, actor=cashier_actor, at=timezone.now())
    client = login(cashier)
    with time_machine.travel(paris(2026, 5, 4, 23, 50), tick=False):
        client.post(reverse("timestamp-stop", args=[open_line(site, alice).pk]), {"site": site.slug}, **HX)
    with time_machine.travel(paris(2026, 5, 5, 0, 10), tick=False):
        html = client.post(
            reverse("timestamp-stop", args=[open_line(site, bruno).pk]), {"site": site.slug}, **HX
        ).content.decode()
    stopped = stopped_section(html)
    assert "Bruno Petit" in stopped and "Alice Martin" not in stopped


# Line actions


@pytest.fixture
def line(site, make_customer, cashier_actor):
    with time_machine.travel(paris(2026, 5, 4, 9, 0), tick=False):
        return check_in(
            site=site, customer=make_customer("Alice Martin"), actor=cashier_actor, at=timezone.now()
        )


def act(client, name, line, **data):
    """An action sent from the page while the details panel shows `line` (as the page's forms do)."""
    return client.post(
        reverse(name, args=[line.pk]), {"site": line.site.slug, "panel": line.pk, **data}, **HX
    )


def test_stop_moves_the_line_to_the_stopped_list(login, cashier, line):
    with time_machine.travel(paris(2026, 5, 4, 10, 45), tick=False):
        response = act(login(cashier), "timestamp-stop", line)
    html = response.content.decode()
    assert "Alice Martin checked out." in html
    line.refresh_from_db()
    assert line.end == paris(2026, 5, 4, 10, 45)
    assert "09:00 – 10:45" in html
    assert 'id="line-panel"' in html and 'hx-swap-oob="true"' in html


def test_the_panel_is_refreshed_only_when_it_shows_the_changed_line(login, cashier, line):
    client = login(cashier)
    html = client.post(
        reverse("timestamp-stop", args=[line.pk]), {"site": line.site.slug}, **HX
    ).content.decode()
    assert "Alice Martin checked out." in html
    assert 'id="line-panel"' not in html


def test_stopping_twice_is_a_message_not_a_change(login, cashier, line):
    client = login(cashier)
    act(client, "timestamp-stop", line)
    response = act(client, "timestamp-stop", line)
    assert response.status_code == 409
    assert "already stopped" in response.content.decode()
    assert AuditEntry.objects.filter(time_line=line, action="stop").count() == 1


def test_a_note_is_saved_and_shown(login, cashier, line):
    html = act(login(cashier), "timestamp-note", line, note="locker 12").content.decode()
    assert "Note saved" in html and "locker 12" in html
    line.refresh_from_db()
    assert line.note == "locker 12"


def test_a_note_too_long_is_refused(login, cashier, line):
    response = act(login(cashier), "timestamp-note", line, note="x" * 501)
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.note == ""


def test_an_anonymous_line_is_assigned_a_customer(login, cashier, site, make_customer):
    client = login(cashier)
    scan_page(client, site, "CARD-77")
    anonymous = TimeLine.objects.get()
    bruno = make_customer("Bruno Petit")
    html = act(client, "timestamp-assign", anonymous, customer=bruno.pk).content.decode()
    assert "Time line assigned to Bruno Petit." in html
    anonymous.refresh_from_db()
    assert anonymous.customer == bruno
    results = client.get(
        reverse("timestamp-search"), {"site": site.slug, "q": "bruno", "line": anonymous.pk}
    ).content.decode()
    assert "Assign" in results


def test_assigning_a_customer_already_here_is_refused(login, cashier, site, line):
    client = login(cashier)
    scan_page(client, site, "CARD-77")
    anonymous = TimeLine.objects.get(scanned_code="CARD-77")
    response = act(client, "timestamp-assign", anonymous, customer=line.customer.pk)
    assert response.status_code == 409
    assert "already has an open time line" in response.content.decode()
    anonymous.refresh_from_db()
    assert anonymous.customer is None


def test_hide_and_unhide_a_stopped_line(login, cashier, line):
    client = login(cashier)
    act(client, "timestamp-stop", line)
    html = act(client, "timestamp-hide", line, hidden="1").content.decode()
    assert "time line hidden" in html
    assert "Show hidden (1)" in html
    assert "Alice Martin" not in stopped_section(html)
    shown = client.get(
        reverse("timestamp-lists"), {"site": line.site.slug, "show_hidden": "1"}
    ).content.decode()
    assert "Alice Martin" in stopped_section(shown)
    act(client, "timestamp-hide", line, hidden="0")
    line.refresh_from_db()
    assert not line.hidden


def test_an_open_line_cannot_be_hidden(login, cashier, line):
    response = act(login(cashier), "timestamp-hide", line, hidden="1")
    assert response.status_code == 409
    assert "Stop the time line before hiding it." in response.content.decode()


def test_the_panel_shows_the_audit_trail(login, manager, line):
    client = login(manager)
    act(client, "timestamp-note", line, note="late payer")
    html = client.get(reverse("timestamp-line", args=[line.pk])).content.decode()
    assert "History" in html and "late payer" in html
    assert manager.username in html
    assert "Correct the times" in html


def test_a_line_that_does_not_exist_is_a_message(login, cashier, site):
    client = login(cashier)
    assert client.get(reverse("timestamp-line", args=[999])).status_code == 404
    response = client.post(reverse("timestamp-stop", args=[999]), {"site": site.slug}, **HX)
    assert response.status_code == 404
    assert "No such time line." in response.content.decode()


# Editing times


def edit(client, line, **data):
    return act(client, "timestamp-times", line, **data)


def test_times_are_edited_in_local_time_and_audited_with_the_reason(login, manager, line):
    with time_machine.travel(paris(2026, 5, 4, 12, 0), tick=False):
        html = edit(
            login(manager), line, start="2026-05-04T08:30", end="2026-05-04T11:15", reason="forgot to scan"
        ).content.decode()
    assert "Times of Alice Martin corrected." in html
    line.refresh_from_db()
    assert (line.start, line.end) == (paris(2026, 5, 4, 8, 30), paris(2026, 5, 4, 11, 15))
    entry = AuditEntry.objects.get(time_line=line, action="edit_times")
    assert entry.user == manager and entry.reason == "forgot to scan"
    assert entry.old == {"start": "2026-05-04T07:00:00+00:00", "end": None}
    assert "forgot to scan" in html  # the panel's history, refreshed out of band
    assert "04/05 09:00 → 04/05 08:30" in html


def test_editing_times_without_the_right_is_refused(login, cashier, line):
    response = edit(login(cashier), line, start="2026-05-04T08:30", end="", reason="because")
    assert response.status_code == 403
    assert "edit_times" in response.content.decode()
    line.refresh_from_db()
    assert line.start == paris(2026, 5, 4, 9, 0)
    assert (
        "Correct the times"
        not in login(cashier).get(reverse("timestamp-line", args=[line.pk])).content.decode()
    )


def test_editing_times_needs_a_reason(login, manager, line):
    response = edit(login(manager), line, start="2026-05-04T08:30", end="", reason="  ")
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert not AuditEntry.objects.filter(action="edit_times").exists()


def test_an_end_before_the_start_is_refused(login, manager, line):
    with time_machine.travel(paris(2026, 5, 4, 12, 0), tick=False):
        response = edit(login(manager), line, start="2026-05-04T10:00", end="2026-05-04T09:00", reason="typo")
    assert response.status_code == 400
    assert "The end cannot be before the start." in response.content.decode()
    line.refresh_from_db()
    assert (line.start, line.end) == (paris(2026, 5, 4, 9, 0), None)


def test_a_local_time_skipped_by_the_clocks_is_refused(login, manager, site, make_customer, cashier_actor):
    with time_machine.travel(paris(2026, 3, 29, 1, 0), tick=False):
        line = check_in(site=site, customer=make_customer(), actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 3, 29, 9, 0), tick=False):
        response = edit(login(manager), line, start="2026-03-29T02:30", end="", reason="typo")
    assert response.status_code == 400
    assert "does not exist in Europe/Paris" in response.content.decode()
    line.refresh_from_db()
    assert line.start == paris(2026, 3, 29, 1, 0)


def test_a_repeated_local_time_is_the_first_unless_the_form_says_second(
    login, manager, site, make_customer, cashier_actor
):
    with time_machine.travel(paris(2026, 10, 25, 1, 0), tick=False):
        line = check_in(site=site, customer=make_customer(), actor=cashier_actor, at=timezone.now())
    client = login(manager)
    with time_machine.travel(datetime(2026, 10, 25, 8, 0, tzinfo=UTC), tick=False):
        edit(client, line, start="2026-10-25T02:30", end="", reason="first")
        line.refresh_from_db()
        assert line.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        edit(client, line, start="2026-10-25T02:30", start_later="1", end="", reason="second")
        line.refresh_from_db()
        assert line.start == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_edit_form_shows_local_times(login, manager, line):
    html = login(manager).get(reverse("timestamp-line", args=[line.pk])).content.decode()
    assert 'value="2026-05-04T09:00"' in html


def test_a_scan_under_the_show_policy_says_since_when_in_local_time(login, cashier, make_site, make_customer):
    site = make_site(existing_line_policy="show")
    alice = make_customer("Alice Martin")
    client = login(cashier)
    with time_machine.travel(paris(2026, 7, 14, 9, 5), tick=False):
        scan_page(client, site, code_of(alice))
    with time_machine.travel(paris(2026, 7, 14, 11, 0), tick=False):
        html = scan_page(client, site, code_of(alice)).content.decode()
    assert "Alice Martin is here since 09:05." in html
    assert "flash-ok" in html


@pytest.mark.parametrize("customer", ["", "abc", "999999"])
def test_a_missing_or_malformed_customer_is_a_message(login, cashier, site, line, customer):
    client = login(cashier)
    response = client.post(reverse("timestamp-check-in"), {"site": site.slug, "customer": customer}, **HX)
    assert response.status_code == 404
    assert "No such customer." in response.content.decode()
    if customer:
        response = act(client, "timestamp-assign", line, customer=customer)
        assert response.status_code == 404
        line.refresh_from_db()
        assert line.customer is not None
    assert TimeLine.objects.count() == 1
