"""The family page: a parent sees and checks in and out their own children, never another family's."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from timetill.timelines.models import TimeLine, Via
from timetill.timelines.services.scan import check_in, stop_line


def test_a_parent_sees_their_children_only(login, make_parent, make_customer, site):
    lea, hugo = make_customer("Léa Bernard"), make_customer("Hugo Bernard")
    make_customer("Zoé Other")
    html = login(make_parent(lea, hugo)).get(reverse("family")).content.decode()
    assert "Léa Bernard" in html and "Hugo Bernard" in html
    assert "Zoé Other" not in html
    assert "Not here" in html and "Check in at Front desk" in html


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Arrivée de Léa Bernard enregistrée à Front desk."),
        ("it", "Entrata di Léa Bernard registrata a Front desk."),
    ],
)
def test_a_parent_is_answered_in_their_language(login, make_parent, make_customer, site, language, said):
    lea = make_customer("Léa Bernard")
    parent = make_parent(lea)
    parent.profile.language = language
    parent.profile.save()
    with time_machine.travel(paris(2026, 5, 4, 8, 0), tick=False):
        response = login(parent).post(
            reverse("family-check-in", args=[lea.pk]), {"site": site.pk}, follow=True
        )
    assert said in response.content.decode()


def test_a_parent_checks_a_child_in_and_out(login, make_parent, make_customer, site):
    lea = make_customer("Léa Bernard")
    client = login(make_parent(lea))
    with time_machine.travel(paris(2026, 5, 4, 8, 0), tick=False):
        response = client.post(reverse("family-check-in", args=[lea.pk]), {"site": site.pk}, follow=True)
    html = response.content.decode()
    assert "Léa Bernard is checked in at Front desk." in html
    line = TimeLine.objects.get(customer=lea)
    assert line.started_via == Via.PARENT
    with time_machine.travel(paris(2026, 5, 4, 8, 20), tick=False):
        html = client.get(reverse("family")).content.decode()
        # The length of the stay is kept on one line ("2 h 00" never breaks after the "h").
        assert 'Here since 08:00 at Front desk <span class="nowrap">20 min</span>' in html
    with time_machine.travel(paris(2026, 5, 4, 16, 30), tick=False):
        html = client.post(reverse("family-check-out", args=[lea.pk]), follow=True).content.decode()
    assert "checked out after 8 h 30" in html
    line.refresh_from_db()
    assert line.stopped_via == Via.PARENT and line.end == paris(2026, 5, 4, 16, 30)
    assert "Recent stays" in html and "08:00–16:30" in html


def test_a_parent_cannot_check_in_another_familys_child(login, make_parent, make_customer, site):
    mine, theirs = make_customer(), make_customer("Zoé Other")
    client = login(make_parent(mine))
    response = client.post(reverse("family-check-in", args=[theirs.pk]), {"site": site.pk})
    # As if there were no such child: the answer never tells whether another family's child exists.
    unknown = client.post(reverse("family-check-in", args=[987654]), {"site": site.pk})
    assert response.status_code == unknown.status_code == 404
    assert "Zoé" not in response.content.decode()
    assert not TimeLine.objects.exists()


def test_a_parent_cannot_check_out_another_familys_child(
    login, make_parent, make_customer, site, cashier_actor
):
    mine, theirs = make_customer(), make_customer("Zoé Other")
    line = check_in(site=site, customer=theirs, actor=cashier_actor, at=timezone.now())
    client = login(make_parent(mine))
    response = client.post(reverse("family-check-out", args=[theirs.pk]))
    unknown = client.post(reverse("family-check-out", args=[987654]))
    assert response.status_code == unknown.status_code == 404
    line.refresh_from_db()
    assert line.end is None


def test_checking_out_a_child_who_is_not_here_is_a_message(login, make_parent, make_customer, site):
    lea = make_customer("Léa Bernard")
    html = (
        login(make_parent(lea)).post(reverse("family-check-out", args=[lea.pk]), follow=True).content.decode()
    )
    assert "Léa Bernard is not checked in." in html


def test_a_child_is_checked_in_where_last_seen(login, make_parent, make_customer, make_site, cashier_actor):
    make_site(name="Aardvark room", family_check_in=True)
    daycare = make_site(name="Zebra daycare", family_check_in=True)
    lea = make_customer("Léa Bernard")
    with time_machine.travel(paris(2026, 5, 4, 8, 0), tick=False):
        line = check_in(site=daycare, customer=lea, actor=cashier_actor, at=timezone.now())
        stop_line(line, actor=cashier_actor, end=paris(2026, 5, 4, 8, 0), at=timezone.now())
    assert "Check in at Zebra daycare" in login(make_parent(lea)).get(reverse("family")).content.decode()


def test_a_parent_without_children_gets_an_explanation(login, make_parent, site):
    assert "No child is linked" in login(make_parent()).get(reverse("family")).content.decode()


def test_the_family_page_needs_a_login(client, db):
    assert client.get(reverse("family")).status_code == 302


def test_a_parent_checks_in_only_where_families_do(login, make_parent, make_customer, make_site):
    coworking = make_site(name="Coworking")
    lea = make_customer("Léa Bernard")
    response = login(make_parent(lea)).post(
        reverse("family-check-in", args=[lea.pk]), {"site": coworking.pk}, follow=True
    )
    assert "not checked in and out by their parents at Coworking" in response.content.decode()
    assert not TimeLine.objects.exists()


def test_a_malformed_site_is_a_message(login, make_parent, make_customer, site):
    lea = make_customer("Léa Bernard")
    response = login(make_parent(lea)).post(
        reverse("family-check-in", args=[lea.pk]), {"site": "x"}, follow=True
    )
    assert "Choose where to check in." in response.content.decode()
    assert not TimeLine.objects.exists()
