"""Who may open each back-office page: a logged-in person with the page's right (the Django admin stays for
superusers)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from timetill.accounts.services import opens_back_office
from timetill.web.views.common import right_required


def _refused_part(request: HttpRequest, message: str) -> HttpResponse:
    """Inside a page (an htmx request): the refusal as a message in place."""
    return render(request, "backoffice/_denied.html", {"message": message}, status=403)


def _guard(right: str, message: str):
    return right_required(right, message, htmx_denied=_refused_part)


manage_users_required = _guard(
    "manage_users", _("You do not have the right “manage_users”: ask a manager to let you manage users.")
)
manage_customers_required = _guard(
    "manage_customers",
    _("You do not have the right “manage_customers”: ask a manager to let you manage customers."),
)
manage_sites_required = _guard(
    "manage_sites", _("You do not have the right “manage_sites”: ask a manager to let you set up sites.")
)


def family_invites_required(view):
    """Inviting parents to their family page: for who manages users or invoicing."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (
            request.user.has_perm("accounts.manage_users")
            or request.user.has_perm("accounts.manage_invoicing")
        ):
            raise PermissionDenied(
                _("Inviting parents is for who manages users or invoicing: ask a manager for either right.")
            )
        return view(request, *args, **kwargs)

    return guarded


def back_office_required(view):
    """The back office's home: any one of the back-office rights opens it."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not opens_back_office(request.user):
            raise PermissionDenied(
                _(
                    "The back office is for managers: ask one to give you a right to manage users, "
                    "customers, sites or the catalogue."
                )
            )
        return view(request, *args, **kwargs)

    return guarded
