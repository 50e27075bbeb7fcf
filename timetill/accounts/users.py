"""Verbs of the back office on people: create or invite, change role, rights, site and home page, deactivate.

A person is never deleted here: the time lines' and the back office's trails name who did what, so a person
who leaves is deactivated (they can no longer log in) and stays in the trails. Every change is recorded.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from timetill.accounts.audit import record_change
from timetill.accounts.models import HomePage, Profile
from timetill.accounts.rights import RIGHTS
from timetill.accounts.roles import ROLES, ensure_roles
from timetill.errors import TimetillError

User = get_user_model()


class UserError(TimetillError):
    """A refused change to a person; `field` names the form field it is about, if any."""

    def __init__(self, code: str, message: str, *, field: str = "") -> None:
        super().__init__(code, message)
        self.field = field


@dataclass(frozen=True)
class PersonSpec:
    """What the back office sets on a person. `rights` are the rights given beyond the role's."""

    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str = "cashier"
    rights: frozenset[str] = field(default_factory=frozenset)
    default_site: object | None = None  # a sites.Site (accounts does not import the sites app)
    home_page: str = HomePage.TIMESTAMP
    language: str = ""  # "": the browser's


def role_of(user: AbstractBaseUser) -> str:
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in ROLES if role in names), "")


def own_rights(user: AbstractBaseUser) -> set[str]:
    """The rights given to this person themselves (beyond their role)."""
    return set(
        user.user_permissions.filter(content_type__app_label="accounts").values_list("codename", flat=True)
    )


def effective_rights(user: AbstractBaseUser) -> set[str]:
    return set(ROLES.get(role_of(user), [])) | own_rights(user)


def _snapshot(user: AbstractBaseUser) -> dict:
    profile = Profile.objects.filter(user=user).select_related("default_site").first()
    return {
        "username": user.get_username(),
        "email": user.email,
        "name": user.get_full_name(),
        "role": role_of(user),
        "rights": sorted(own_rights(user)),
        "default_site": profile.default_site.slug if profile and profile.default_site else None,
        "home_page": profile.home_page if profile else None,
        "language": profile.language if profile else "",
        "active": user.is_active,
    }


def _check(spec: PersonSpec, *, user: AbstractBaseUser | None) -> None:
    username = spec.username.strip()
    if not username:
        raise UserError("invalid_username", _("A user needs a username."), field="username")
    others = User.objects.filter(username__iexact=username)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise UserError(
            "username_taken", _("The username “%s” is already taken.") % username, field="username"
        )
    if spec.role not in ROLES:
        raise UserError("invalid_role", _("Choose a role: manager, cashier or parent."), field="role")
    unknown = spec.rights - RIGHTS.keys()
    if unknown:
        raise UserError("invalid_right", _("There is no right “%s”.") % sorted(unknown)[0], field="rights")
    if spec.home_page not in HomePage.values:
        raise UserError("invalid_home_page", _("Choose a home page from the list."), field="home_page")
    if spec.language and spec.language not in dict(settings.LANGUAGES):
        raise UserError("invalid_language", _("Choose a language from the list."), field="language")


def _apply(user: AbstractBaseUser, spec: PersonSpec) -> None:
    groups = ensure_roles()
    user.username = spec.username.strip()
    user.email = spec.email.strip()
    user.first_name = spec.first_name.strip()[:150]
    user.last_name = spec.last_name.strip()[:150]
    user.save()
    user.groups.remove(*[groups[name] for name in ROLES])
    user.groups.add(groups[spec.role])
    others = user.user_permissions.exclude(content_type__app_label="accounts")
    mine = Permission.objects.filter(content_type__app_label="accounts", codename__in=spec.rights)
    user.user_permissions.set([*others, *mine])
    Profile.objects.update_or_create(
        user=user,
        defaults={"home_page": spec.home_page, "default_site": spec.default_site, "language": spec.language},
    )


@transaction.atomic
def create_person(
    *, by: AbstractBaseUser | None, spec: PersonSpec, at: datetime, password: str | None = None
) -> AbstractBaseUser:
    """A new person. Without a password they get a random one nobody knows, and set their own from the
    invitation e-mail (`send_invitation`)."""
    _check(spec, user=None)
    user = User(username=spec.username.strip())
    user.set_password(password or secrets.token_urlsafe(32))
    _apply(user, spec)
    record_change(
        by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(), action="create",
        new=_snapshot(user),
    )  # fmt: skip
    return user


@transaction.atomic
def update_person(*, by: AbstractBaseUser | None, user: AbstractBaseUser, spec: PersonSpec, at: datetime):
    _check(spec, user=user)
    if by is not None and by.pk == user.pk and "manage_users" not in set(ROLES[spec.role]) | spec.rights:
        raise UserError(
            "own_rights", _("You cannot take the right to manage users away from yourself."), field="rights"
        )
    old = _snapshot(user)
    _apply(user, spec)
    record_change(
        by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(), action="update",
        old=old, new=_snapshot(user),
    )  # fmt: skip
    return user


@transaction.atomic
def set_active(*, by: AbstractBaseUser | None, user: AbstractBaseUser, active: bool, at: datetime):
    """Deactivate (they can no longer log in; their name stays in every trail) or reactivate a person."""
    if not active and by is not None and by.pk == user.pk:
        raise UserError("deactivate_self", _("You cannot deactivate yourself."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_change(
        by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(),
        action="reactivate" if active else "deactivate", old={"active": not active}, new={"active": active},
    )  # fmt: skip
    return user


def send_invitation(
    *,
    by: AbstractBaseUser | None,
    user: AbstractBaseUser,
    base_url: str,
    at: datetime,
    url_name: str = "password_reset_confirm",
    template: str = "registration/invitation_email.txt",
    subject: str = "",
    context: dict | None = None,
) -> None:
    """E-mail a person the link to choose their password: Django's own password reset confirmation page
    (`url_name`: one of its addresses, e.g. the one that then opens a parent's family page)."""
    if not user.email:
        raise UserError("no_email", _("Give this person an e-mail address first."), field="email")
    if not user.is_active:
        raise UserError("inactive", _("Reactivate this person before inviting them."))
    link = base_url.rstrip("/") + reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {**(context or {}), "user": user, "link": link, "by": by}
    send_mail(
        subject=subject or _("You are invited to Timetill"),
        message=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    with transaction.atomic():
        record_change(
            by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(), action="invite",
            new={"email": user.email},
        )  # fmt: skip


def people(*, include_inactive: bool = True):
    users = (
        User.objects.order_by("-is_active", "username").prefetch_related("groups").select_related("profile")
    )
    return users if include_inactive else users.filter(is_active=True)


def role_groups() -> dict[str, Group]:
    return ensure_roles()
