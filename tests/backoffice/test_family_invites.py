"""Inviting a parent by e-mail to their family page: a login with the parent role made for the payer, who
becomes the guardian of the family's children, a link to choose a password (Django's own views) that then
opens the family page, every step recorded; bad input at its field with nothing saved or sent."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from timetill.accounts.models import Change, HomePage
from timetill.accounts.users import role_of
from timetill.customers.models import Guardian
from timetill.invoicing.families import PayerSpec, create_family
from timetill.invoicing.models import Payer
from timetill.timelines.actors import Actor

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def family(site, make_customer):
    children = [make_customer("Léa Martin"), make_customer("Tom Martin")]
    return create_family(
        site_id=site.pk,
        name="Martin",
        payers=(PayerSpec(name="Claire Martin", email="claire.martin@example.org"),),
        children=tuple(child.pk for child in children),
        actor=Actor.operator(),
    )


def _invite_url(family) -> str:
    return reverse("bo-payer-invite", kwargs={"pk": family.payers.get().pk})


def _state() -> tuple:
    return (
        list(User.objects.order_by("pk").values_list("username", "email", "is_active")),
        list(Payer.objects.values_list("user", "email")),
        Guardian.objects.count(),
        Change.objects.count(),
        len(mail.outbox),
    )


def test_an_invited_parent_sets_a_password_and_lands_on_the_family_page(client, login, manager, family):
    page = login(manager).get(_invite_url(family))
    assert page.status_code == 200
    assert page.context["form"].initial == {"username": "claire.martin", "email": "claire.martin@example.org"}
    response = login(manager).post(_invite_url(family), {"username": "claire", "email": "claire@example.org"})
    assert response.status_code == 302 and response.url == reverse("bo-families")

    claire = User.objects.get(username="claire")
    assert role_of(claire) == "parent" and claire.profile.home_page == HomePage.FAMILY
    assert claire.email == "claire@example.org"
    assert family.payers.get().user == claire
    # A payer who logs in is the guardian of the family's children.
    assert set(Guardian.objects.filter(user=claire).values_list("customer__name", flat=True)) == {
        "Léa Martin",
        "Tom Martin",
    }
    assert {(c.subject, c.action) for c in Change.objects.all()} >= {
        ("user", "create"),
        ("user", "invite"),
        ("family", "invite_payer"),
    }
    recorded = Change.objects.get(subject="family", action="invite_payer")
    assert recorded.by == manager and recorded.new["user"] == "claire"

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire@example.org"]
    assert "Martin" in mail.outbox[0].body
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert "/password-reset/family/" in link
    client.logout()
    # Django's confirm view swaps the token for a session-held one, then asks for the password twice.
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "a-long-new-secret-9", "new_password2": "a-long-new-secret-9"}
    )
    assert response.url == reverse("my-invoices")
    family_page = client.get(response.url)
    assert family_page.status_code == 200 and family_page.wsgi_request.user == claire
    # The link works once.
    assert client.get(link).context["validlink"] is False
    assert client.login(username="claire", password="a-long-new-secret-9")


def test_a_payer_who_logs_in_already_is_invited_again_and_reactivated(login, manager, family, make_user):
    parent = make_user("parent", username="claire", email="old@example.org")
    payer = family.payers.get()
    payer.user = parent
    payer.save()
    parent.is_active = False
    parent.save()
    before = User.objects.count()
    response = login(manager).post(
        _invite_url(family), {"username": "ignored", "email": "claire@example.org"}
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.is_active and parent.email == "claire@example.org" and User.objects.count() == before
    assert Guardian.objects.filter(user=parent).count() == 2
    assert mail.outbox[0].to == ["claire@example.org"]
    assert Change.objects.filter(subject="user", subject_id=parent.pk, action="reactivate").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"username": "claire", "email": "not an address"},
            "email",
            "“not an address” is not an e-mail address.",
        ),
        ({"username": "", "email": "claire@example.org"}, "username", "A user needs a username."),
        ({"username": "Manager1", "email": "claire@example.org"}, "username", "already taken"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved_or_sent(
    login, manager, family, data, field, message
):
    manager.username = "manager1"
    manager.save()
    before = _state()
    response = login(manager).post(_invite_url(family), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert _state() == before


def test_the_families_page_shows_who_logs_in(login, manager, family):
    page = login(manager).get(reverse("bo-families")).content.decode()
    assert "Claire Martin" in page and "No login yet" in page and "Léa Martin" in page
    login(manager).post(_invite_url(family), {"username": "claire", "email": "claire@example.org"})
    page = login(manager).get(reverse("bo-families")).content.decode()
    assert "claire" in page and "invited" in page and "Invite again" in page


def test_whoever_manages_invoicing_may_invite_too(login, make_user, family):
    accountant = make_user("cashier")
    accountant.user_permissions.add(Permission.objects.get(codename="manage_invoicing"))
    accountant = User.objects.get(pk=accountant.pk)
    assert login(accountant).get(reverse("bo-families")).status_code == 200
    response = login(accountant).post(
        _invite_url(family), {"username": "claire", "email": "claire@example.org"}
    )
    assert response.status_code == 302 and len(mail.outbox) == 1
