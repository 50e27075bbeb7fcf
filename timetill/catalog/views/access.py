"""Who may open the catalogue pages (logged-in users with the right manage_catalog), and as whom they act."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

from timetill.catalog import services
from timetill.catalog.models import Product
from timetill.errors import TimetillError
from timetill.timelines.actors import Actor

NO_MANAGE_CATALOG = "You do not have the right “manage_catalog”: ask a manager to let you manage products."


def manage_catalog_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first (the whole page, even from an htmx request); without manage_catalog, the 403 page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
        if not request.user.is_authenticated:
            if request.htmx:
                back_to = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(redirect_to_login(back_to).url)
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("accounts.manage_catalog"):
            if request.htmx:  # a part of a page (the preview): a message in it, not a whole 403 page
                return render(request, "catalog/_denied.html", {"message": NO_MANAGE_CATALOG}, status=403)
            raise PermissionDenied(NO_MANAGE_CATALOG)
        return view(request, *args, **kwargs)

    return guarded


def actor_of(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


def product_or_404(pk: int) -> Product:
    try:
        return services.get_product(pk)
    except TimetillError as error:
        raise Http404(error.message) from error
