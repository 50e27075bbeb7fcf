"""Users and rights pages: who may open them, create and invite, edit, deactivate, every change recorded."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from timetill.accounts.models import Change, HomePage
from timetill.accounts.users import effective_rights

pytestmark = pytest.mark.django_db
User = get_user_model()


def _person(**fields) -> dict:
    data = {
        "username": "claire",
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": "claire@example.com",
        "role": "cashier",
        "home_page": HomePage.TIMESTAMP,
        "default_site": "",
    }
    data.update(fields)
    return data


def test_a_manager_creates_a_cashier_who_tracks_time_but_cannot_edit_times(login, manager, site):
    client = login(manager)
    response = client.post(
        reverse("bo-user-new"), _person(default_site=site.pk, rights=["track_time"], invite="")
    )
    claire = User.objects.get(username="claire")
    assert response.url == reverse("bo-user", kwargs={"pk": claire.pk})
    assert claire.has_perm("accounts.track_time")
    assert not claire.has_perm("accounts.edit_times")
    assert effective_rights(claire) == {"track_time"}
    assert claire.profile.home_page == HomePage.TIMESTAMP
    assert claire.profile.default_site == site
    change = Change.objects.get(subject="user", subject_id=claire.pk)
    assert (change.action, change.by, change.new["role"]) == ("create", manager, "cashier")
    # The page lists her, and her own page shows the change.
    assert b"claire" in client.get(reverse("bo-users")).content
    assert b"create" in client.get(reverse("bo-user", kwargs={"pk": claire.pk})).content


def test_an_invitation_links_to_django_s_password_page_and_the_password_works(client, login, manager):
    login(manager).post(reverse("bo-user-new"), _person(invite="on"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire@example.com"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    client.logout()
    # Django's confirm view swaps the token for a session-held one, then asks for the password twice.
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "a-long-new-secret-9", "new_password2": "a-long-new-secret-9"}
    )
    assert response.url == reverse("password_reset_complete")
    assert client.login(username="claire", password="a-long-new-secret-9")
    assert Change.objects.filter(subject="user", action="invite").count() == 1


def test_the_login_page_offers_the_password_reset_by_e_mail(client, make_user):
    make_user("cashier", username="sam", email="sam@example.com")
    assert b"/password-reset/" in client.get(reverse("login")).content
    response = client.post(reverse("password_reset"), {"email": "sam@example.com"})
    assert response.url == reverse("password_reset_done")
    assert "/password-reset/" in mail.outbox[0].body


def test_a_taken_username_is_refused_at_the_field_and_nothing_is_saved(login, manager, make_user):
    make_user("cashier", username="claire")
    before = (User.objects.count(), Change.objects.count())
    response = login(manager).post(reverse("bo-user-new"), _person(username="Claire"))
    assert response.status_code == 400
    assert "already taken" in " ".join(response.context["form"].errors["username"])
    assert (User.objects.count(), Change.objects.count()) == before
    assert mail.outbox == []


def test_an_invitation_without_an_e_mail_address_is_refused_at_the_field(login, manager):
    response = login(manager).post(reverse("bo-user-new"), _person(email="", invite="on"))
    assert response.status_code == 400
    assert "e-mail" in " ".join(response.context["form"].errors["email"])
    assert not User.objects.filter(username="claire").exists()


def test_editing_the_role_and_rights_is_recorded_old_and_new(login, manager, cashier):
    client = login(manager)
    data = _person(username=cashier.username, email="", rights=["track_time", "edit_times", "view_reports"])
    response = client.post(reverse("bo-user", kwargs={"pk": cashier.pk}), data)
    assert response.status_code == 302
    cashier = User.objects.get(pk=cashier.pk)  # a fresh object: permissions are cached per instance
    assert effective_rights(cashier) == {"track_time", "edit_times", "view_reports"}
    change = Change.objects.get(subject="user", subject_id=cashier.pk, action="update")
    assert change.old["rights"] == [] and change.new["rights"] == ["edit_times", "view_reports"]
    assert "username" not in change.new  # only what changed


def test_a_manager_cannot_take_their_own_right_to_manage_users(login, manager):
    data = _person(username=manager.username, email="", role="cashier")
    response = login(manager).post(reverse("bo-user", kwargs={"pk": manager.pk}), data)
    assert response.status_code == 400
    assert "yourself" in " ".join(response.context["form"].errors["rights"])
    assert User.objects.get(pk=manager.pk).has_perm("accounts.manage_users")


def test_deactivating_keeps_the_person_and_their_trail_and_stops_their_login(client, login, manager, cashier):
    from tests.conftest import PASSWORD  # noqa: PLC0415

    response = login(manager).post(reverse("bo-user-active", kwargs={"pk": cashier.pk}), {"active": "0"})
    assert response.status_code == 302
    cashier.refresh_from_db()
    assert not cashier.is_active
    assert Change.objects.filter(subject_id=cashier.pk, action="deactivate").exists()
    client.logout()
    assert not client.login(username=cashier.username, password=PASSWORD)
    # A person named in the trail cannot be deleted at all, even from the shell or the Django admin.
    with pytest.raises(Exception, match="protected"):
        manager.delete()


def test_a_manager_cannot_deactivate_themselves(login, manager):
    login(manager).post(reverse("bo-user-active", kwargs={"pk": manager.pk}), {"active": "0"})
    manager.refresh_from_db()
    assert manager.is_active


def test_each_right_has_a_label_in_plain_words_on_the_form(login, manager):
    page = login(manager).get(reverse("bo-user-new")).content.decode()
    assert "Correct the start and end of a stay" in page
    assert "Track time: scan people in and out" in page


def test_the_back_office_link_leads_managers_to_the_back_office_not_the_django_admin(login, manager, site):
    client = login(manager)
    page = client.get(reverse("timestamp")).content.decode()
    assert 'href="/backoffice/"' in page
    assert reverse("admin:index") not in page
    home = client.get(reverse("backoffice")).content.decode()
    assert "Users and rights" in home and "Catalogue and tariffs" in home


def test_a_superuser_also_finds_the_django_admin(login, db):
    root = User.objects.create_superuser("root", "root@example.com", "x-root-password-1")
    page = login(root).get(reverse("backoffice")).content.decode()
    assert reverse("admin:index") in page


def test_the_back_office_home_leads_managers_to_the_seller_s_identity_and_vat_rates(login, manager, cashier):
    page = login(manager).get(reverse("backoffice")).content.decode()
    assert f'href="{reverse("billing-seller")}"' in page and f'href="{reverse("billing-vat-rates")}"' in page
    assert login(cashier).get(reverse("backoffice")).status_code in (302, 403)
