"""Verbs on users: creating them with a role, and reading their home page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from timetill.accounts.models import HomePage, Profile
from timetill.accounts.roles import ensure_roles

# The rights that open the back office (each of its pages asks for its own).
BACK_OFFICE_RIGHTS = ("manage_users", "manage_customers", "manage_sites", "manage_catalog")


@transaction.atomic
def create_user(*, username: str, password: str, role: str, email: str = "", home_page: str | None = None):
    groups = ensure_roles()
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    user.groups.add(groups[role])
    default_home = HomePage.FAMILY if role == "parent" else HomePage.TIMESTAMP
    Profile.objects.create(user=user, home_page=home_page or default_home)
    return user


def profile_of(user: AbstractBaseUser) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def opens_back_office(user: AbstractBaseUser) -> bool:
    return any(user.has_perm(f"accounts.{right}") for right in BACK_OFFICE_RIGHTS)


def _reports_url() -> str | None:
    try:
        return reverse("reports")
    except NoReverseMatch:  # the reports pages are not installed
        return None


def home_pages_for(user: AbstractBaseUser) -> list[str]:
    """The home pages this user can open, in the order they are offered."""
    pages = []
    if user.has_perm("accounts.track_time"):
        pages += [HomePage.TIMESTAMP, HomePage.TILL]
    pages.append(HomePage.FAMILY)
    if opens_back_office(user):
        pages.append(HomePage.ADMIN)
    if user.has_perm("accounts.view_reports") and _reports_url():
        pages.append(HomePage.REPORTS)
    return pages


def home_url(user: AbstractBaseUser) -> str:
    page = profile_of(user).home_page
    if page == HomePage.ADMIN and opens_back_office(user):
        return reverse("backoffice")
    if page == HomePage.REPORTS and user.has_perm("accounts.view_reports") and _reports_url():
        return _reports_url()
    if page == HomePage.FAMILY or not user.has_perm("accounts.track_time"):
        return reverse("family")
    if page == HomePage.TILL:
        return reverse("sales")
    return reverse("timestamp")
