"""The billing settings pages: the seller's legal identity (business or site) and the VAT rates."""

from __future__ import annotations

from dataclasses import fields

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from timetill.billing import seller as seller_service
from timetill.billing import vat_rates
from timetill.billing.forms import SellerForm, VatRateForm
from timetill.billing.models import VatRate
from timetill.billing.money import BillingError
from timetill.errors import TimetillError
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.web.views.common import right_required


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "billing/_denied.html", {"message": message}, status=403)


manage_sites_required = right_required(
    "manage_sites",
    gettext_lazy(
        "You do not have the right “manage_sites”: ask a manager to let you set up the seller's identity."
    ),
    htmx_denied=_refused,
)
manage_catalog_required = right_required(
    "manage_catalog",
    gettext_lazy(
        "You do not have the right “manage_catalog”: ask a manager to let you change the VAT rates."
    ),
    htmx_denied=_refused,
)


def _initial(identity) -> dict:  # noqa: ANN001
    if identity is None:
        return {}
    return {f.name: getattr(identity, f.name) for f in fields(seller_service.SellerSpec)}


@require_http_methods(["GET", "POST"])
@manage_sites_required
def seller_page(request: HttpRequest, site_id: int | None = None) -> HttpResponse:
    """GET: the identity of the business (or of one site); POST: save it, or show each wrong field."""
    site = get_object_or_404(Site, pk=site_id) if site_id is not None else None
    identity = seller_service.own_identity(site)
    status = 200
    saved = False
    if request.method == "POST":
        form = SellerForm(request.POST)
        if form.is_valid():
            spec = seller_service.SellerSpec(**form.cleaned_data)
            try:
                identity = seller_service.save_seller(
                    spec=spec, site=site, actor=Actor.for_user(request.user), at=timezone.now()
                )
                saved = True
                form = SellerForm(initial=_initial(identity))
            except seller_service.InvalidSeller as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
        if not saved:
            status = 400
    else:
        form = SellerForm(initial=_initial(identity))
    context = {
        "form": form,
        "site": site,
        "identity": identity,
        "saved": saved,
        "sites": Site.objects.order_by("name"),
        "business": seller_service.own_identity(None),
    }
    return render(request, "billing/seller.html", context, status=status)


@require_POST
@manage_sites_required
def seller_remove(request: HttpRequest, site_id: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=site_id)
    seller_service.remove_site_identity(site=site, actor=Actor.for_user(request.user))
    return redirect("billing-seller")


@require_http_methods(["GET", "POST"])
@manage_catalog_required
def vat_rates_page(request: HttpRequest) -> HttpResponse:
    """GET: the rates and a form to add one; POST: add it, or show the message at its field."""
    status = 200
    added = None
    form = VatRateForm()
    if request.method == "POST":
        form = VatRateForm(request.POST)
        if form.is_valid():
            try:
                added = vat_rates.add_vat_rate(actor=Actor.for_user(request.user), **form.cleaned_data)
                form = VatRateForm()
            except TimetillError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        if added is None:
            status = 400
    context = {"form": form, "rates": VatRate.objects.all(), "added": added}
    return render(request, "billing/vat_rates.html", context, status=status)


@require_POST
@manage_catalog_required
def vat_rate_active(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(VatRate, pk=pk)
    try:
        vat_rates.set_vat_rate_active(
            rate_id=pk, active=request.POST.get("active") == "1", actor=Actor.for_user(request.user)
        )
    except BillingError as error:  # pragma: no cover - the service refuses nothing a valid request sends
        return HttpResponse(error.message, status=400)
    return redirect("billing-vat-rates")
