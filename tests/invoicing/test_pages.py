"""The office's invoicing pages over HTTP: who may open them, the run and its progress, accepting a line,
enrolling a child, and the bad input each page refuses with a message."""

from datetime import date

import pytest
import time_machine

from timetill.invoicing.models import Enrolment, InvoiceRun

from ..conftest import paris

NOW = paris(2026, 11, 2, 9, 0)


@pytest.fixture
def november(make_family, package, make_enrolment, product_week, make_stay):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    return lea


@pytest.mark.parametrize("url", ["/invoicing/", "/invoicing/families/", "/invoicing/families/new/"])
def test_only_invoicing_managers_open_the_pages(
    client, login, cashier, make_parent, make_customer, manager, url, daycare
):
    assert client.get(url).status_code == 302  # to the login page
    assert login(cashier).get(url).status_code == 403
    assert login(make_parent(make_customer("Kid"))).get(url).status_code == 403
    assert login(manager).get(url).status_code == 200


def test_the_families_page_leads_to_the_parents_invitations(login, manager, daycare, make_family):
    make_family("Martin")
    page = login(manager).get("/invoicing/families/").content.decode()
    assert 'href="/backoffice/families/"' in page
    assert login(manager).get("/backoffice/families/").status_code == 200


def test_run_the_month_see_the_progress_and_the_warning_then_accept(
    login, manager, daycare, november, django_capture_on_commit_callbacks, work
):
    client = login(manager)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/invoicing/run/", {"site": daycare.slug, "month": "2026-11"})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "Running: 0 of 0 families" in page or "Running:" in page
        run = InvoiceRun.objects.get()
        work()
        progress = client.get(f"/invoicing/runs/{run.pk}/progress/", headers={"HX-Request": "true"})
        assert progress["HX-Refresh"] == "true"
        page = client.get(f"/invoicing/?site={daycare.slug}&month=2026-11").content.decode()
    assert "Done: 1 families, 1 draft invoices, total €478.00, 1 line(s) to review." in page
    assert "still open (a forgotten check-out?)" in page
    line_id = InvoiceRun.objects.get().invoices.get().lines.get(kind="extra_time").pk
    response = client.post(f"/invoicing/lines/{line_id}/accept/", {"reason": ""}, follow=True)
    assert "Say why the line is billed as it is" in response.content.decode()
    response = client.post(f"/invoicing/lines/{line_id}/accept/", {"reason": "Left at 16:00"}, follow=True)
    assert "Accepted as it is: Left at 16:00" in response.content.decode()


def test_a_run_of_a_month_not_begun_is_refused_with_a_message(login, manager, daycare, november):
    with time_machine.travel(NOW, tick=False):
        response = login(manager).post(
            "/invoicing/run/", {"site": daycare.slug, "month": "2026-12"}, follow=True
        )
    assert "2026-12 has not begun yet" in response.content.decode()
    assert not InvoiceRun.objects.exists()


def test_enrol_a_child_on_the_families_page_and_an_overlap_is_refused(
    login, manager, daycare, make_family, package
):
    _family, (lea,) = make_family("Martin")
    client = login(manager)
    data = {"site": daycare.slug, "customer": lea.pk, "package": package.pk, "start": "2026-09-01"}
    page = client.post("/invoicing/families/enrol/", data, follow=True).content.decode()
    assert "Léa Martin is enrolled in Package 8-16 from 2026-09-01." in page
    page = client.post(
        "/invoicing/families/enrol/", {**data, "start": "2026-10-01"}, follow=True
    ).content.decode()
    assert "already enrolled in Package 8-16" in page
    page = client.post("/invoicing/families/enrol/", {**data, "start": "soon"}, follow=True).content.decode()
    assert "give the start as a date" in page
    assert Enrolment.objects.count() == 1
