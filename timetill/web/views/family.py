"""The family page: a parent's children, each with a big Check in / Check out button and recent stays."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.accounts.services import profile_of
from timetill.customers.models import Customer
from timetill.errors import Forbidden, TimetillError
from timetill.sales import stays
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services import scan as scan_service
from timetill.web import board
from timetill.web.templatetags.timetill_web import money


def _parent(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user, via=Via.PARENT)


@login_required
def family(request: HttpRequest) -> HttpResponse:
    cards = board.family_cards(
        actor=_parent(request), now=timezone.now(), default_site=profile_of(request.user).default_site
    )
    return render(request, "web/family.html", {"cards": cards, "page": "family"})


def _act(request: HttpRequest, customer_pk: int, act) -> HttpResponse:  # noqa: ANN001
    """Run a parent's action; another family's child is as unknown as no child at all (a 404 page: the
    answer never tells whether a child exists), any other refusal a message."""
    actor = _parent(request)
    allowed = actor.customer_ids()
    if allowed is not None and customer_pk not in allowed:
        raise Http404
    customer = get_object_or_404(Customer, pk=customer_pk)
    try:
        text = act(actor, customer)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except TimetillError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, text)
    return redirect("family")


@login_required
@require_POST
def family_check_in(request: HttpRequest, customer_pk: int) -> HttpResponse:
    def act(actor: Actor, customer: Customer) -> str:
        site_pk = request.POST.get("site", "")
        site = Site.objects.filter(pk=site_pk).first() if site_pk.isdigit() else None
        if site is None:
            raise TimetillError("unknown_site", _("Choose where to check in."))
        scan_service.check_in(site=site, customer=customer, actor=actor, at=timezone.now())
        return _("%(name)s is checked in at %(site)s.") % {"name": customer.name, "site": site.name}

    return _act(request, customer_pk, act)


@login_required
@require_POST
def family_check_out(request: HttpRequest, customer_pk: int) -> HttpResponse:
    def act(actor: Actor, customer: Customer) -> str:
        # Asked before looking the line up, so another family's child is refused, not "not found".
        actor.require_customer(customer)
        line = line_service.visible_lines(actor).filter(customer=customer, end__isnull=True).first()
        if line is None:
            raise TimetillError(
                "not_here", _("%(customer)s is not checked in.") % {"customer": customer.name}
            )
        # Priced on the stay's sale like any stop, so the front desk finds it at the till.
        line, sale_line = stays.stop_and_price(time_line_id=line.pk, actor=actor, at=timezone.now())
        text = _("%(name)s is checked out after %(length)s.") % {
            "name": customer.name,
            "length": board.hours_minutes(line.end - line.start),
        }
        if sale_line is not None:
            currency = sale_line.sale.currency
            text += " " + _("%(amount)s to pay at the desk.") % {"amount": money(sale_line.gross, currency)}
        return text

    return _act(request, customer_pk, act)
