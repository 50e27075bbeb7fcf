"""Users and rights: the list, create or invite, edit role, rights, site and home page, deactivate."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.accounts import lockouts
from timetill.accounts import users as people
from timetill.accounts.audit import changes_of
from timetill.accounts.models import HomePage
from timetill.accounts.rights import RIGHT_LABELS
from timetill.accounts.roles import ROLES
from timetill.backoffice.access import manage_users_required
from timetill.backoffice.forms import ROLE_LABELS, PersonForm


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context |= {
        "page": "backoffice",
        "role_rights": {role: list(rights) for role, rights in ROLES.items()},
        "role_labels": ROLE_LABELS,
    }
    return render(request, template, context, status=status)


@manage_users_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = list(people.people())
    locked = lockouts.lockouts([user.get_username() for user in users], at=timezone.now())
    rows = [
        {
            "user": user,
            "role": ROLE_LABELS.get(people.role_of(user), ""),
            "home": HomePage(user.profile.home_page).label if hasattr(user, "profile") else "",
            "lockout": locked.get(user.get_username()),
        }
        for user in users
    ]
    return _page(request, "backoffice/users.html", {"rows": rows})


def _form_errors_from(error: people.UserError, form: PersonForm) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@manage_users_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(
        request.POST or None, creating=True, initial={"role": "cashier", "home_page": "timestamp"}
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            user = people.create_person(by=request.user, spec=form.spec(), at=now)
            if form.cleaned_data.get("invite"):
                people.send_invitation(by=request.user, user=user, base_url=_base_url(request), at=now)
        except people.UserError as error:
            _form_errors_from(error, form)
        else:
            if form.cleaned_data.get("invite"):
                messages.success(
                    request,
                    _("%(name)s was created and invited by e-mail to %(email)s.")
                    % {"name": user.username, "email": user.email},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s was created. Send them an invitation to choose a password when they have "
                        "an e-mail address."
                    )
                    % {"name": user.username},
                )
            return redirect("bo-user", pk=user.pk)
    status = 400 if form.errors else 200
    return _page(request, "backoffice/user_form.html", {"form": form, "person": None}, status=status)


@manage_users_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    profile = getattr(user, "profile", None)
    initial = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": people.role_of(user) or "cashier",
        "rights": sorted(people.own_rights(user)),
        "default_site": profile.default_site if profile else None,
        "home_page": profile.home_page if profile else HomePage.TIMESTAMP,
        "language": profile.language if profile else "",
    }
    form = PersonForm(request.POST or None, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people.update_person(by=request.user, user=user, spec=form.spec(), at=timezone.now())
        except people.UserError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": user.username})
            return redirect("bo-user", pk=user.pk)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "person": user,
        "rights_now": [RIGHT_LABELS[r] for r in sorted(people.effective_rights(user))],
        "changes": changes_of(subject="user", subject_id=user.pk),
        "lockout": lockouts.lockout_of(user, at=timezone.now()),
    }
    return _page(request, "backoffice/user_form.html", context, status=status)


@require_POST
@manage_users_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        people.set_active(by=request.user, user=user, active=active, at=timezone.now())
    except people.UserError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("%(name)s can log in again.") % {"name": user.username})
        else:
            messages.success(
                request,
                _(
                    "%(name)s was deactivated: they can no longer log in, and their name stays in the "
                    "audit trail."
                )
                % {"name": user.username},
            )
    return redirect("bo-user", pk=user.pk)


@require_POST
@manage_users_required
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        people.send_invitation(by=request.user, user=user, base_url=_base_url(request), at=timezone.now())
    except people.UserError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("An invitation to choose a password was sent to %(email)s.") % {"email": user.email}
        )
    return redirect("bo-user", pk=user.pk)


@require_POST
@manage_users_required
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a lockout after too many wrong passwords (django-axes), from every address, at once."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if lockouts.unlock(by=request.user, user=user, at=timezone.now()):
        messages.success(request, _("%(name)s can log in again now.") % {"name": user.username})
    else:
        messages.info(request, _("%(name)s was not locked out.") % {"name": user.username})
    return redirect("bo-user", pk=user.pk)
