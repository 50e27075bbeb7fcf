"""Who may open the catalogue pages (logged-in users with the right manage_catalog), and as whom they act."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from timetill.catalog import services
from timetill.catalog.models import Product
from timetill.errors import TimetillError
from timetill.timelines.actors import Actor
from timetill.web.views.common import right_required

NO_MANAGE_CATALOG = gettext_lazy(
    "You do not have the right “manage_catalog”: ask a manager to let you manage products."
)


def _denied_in_part(request: HttpRequest, message: str) -> HttpResponse:
    """A part of a page (the preview): a message in it, not a whole 403 page."""
    return render(request, "catalog/_denied.html", {"message": message}, status=403)


manage_catalog_required = right_required("manage_catalog", NO_MANAGE_CATALOG, htmx_denied=_denied_in_part)


def actor_of(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


def product_or_404(pk: int) -> Product:
    try:
        return services.get_product(pk)
    except TimetillError as error:
        raise Http404(error.message) from error
