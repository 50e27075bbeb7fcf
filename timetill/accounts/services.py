"""Verbs on users: creating them with a role, and reading their home page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse

from timetill.accounts.models import HomePage, Profile
from timetill.accounts.roles import ensure_roles


@transaction.atomic
def create_user(*, username: str, password: str, role: str, email: str = "", home_page: str | None = None):
    groups = ensure_roles()
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    user.groups.add(groups[role])
    if role == "manager":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    default_home = HomePage.FAMILY if role == "parent" else HomePage.TIMESTAMP
    Profile.objects.create(user=user, home_page=home_page or default_home)
    return user


def profile_of(user: AbstractBaseUser) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def home_url(user: AbstractBaseUser) -> str:
    page = profile_of(user).home_page
    if page == HomePage.ADMIN and user.is_staff:
        return reverse("admin:index")
    if page == HomePage.FAMILY or not user.has_perm("accounts.track_time"):
        return reverse("family")
    return reverse("timestamp")
