"""The sites' time products: which product prices stays at each site, for everyone and per customer group."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.catalog import services
from timetill.catalog.forms import SiteTimeProductForm
from timetill.catalog.models import SiteTimeProduct
from timetill.catalog.views.access import actor_of, manage_catalog_required
from timetill.customers.models import CustomerGroup
from timetill.errors import TimetillError
from timetill.sites.models import Site


@manage_catalog_required
def site_products(request: HttpRequest) -> HttpResponse:
    chosen = {
        (row.site_id, row.group_id): row.product for row in SiteTimeProduct.objects.select_related("product")
    }
    groups = list(CustomerGroup.objects.order_by("name"))
    sites = []
    for site in Site.objects.order_by("name"):
        rows = [_row(site, None, chosen, _("None: stays are not priced"))]
        rows += [_row(site, group, chosen, _("The site's product (above)")) for group in groups]
        sites.append({"site": site, "rows": rows})
    return render(request, "catalog/site_products.html", {"page": "catalog", "sites": sites})


def _row(site: Site, group: CustomerGroup | None, chosen: dict, empty_label: str) -> dict:
    product = chosen.get((site.pk, group.pk if group else None))
    form = SiteTimeProductForm(
        initial={"site": site.pk, "group": group.pk if group else None, "product": product},
        empty_label=empty_label,
        auto_id=f"id_{site.pk}_{group.pk if group else 0}_%s",
    )
    return {"group": group, "form": form, "product": product}


@require_POST
@manage_catalog_required
def set_site_product(request: HttpRequest) -> HttpResponse:
    form = SiteTimeProductForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, _("Nothing changed: %(problems)s") % {"problems": problems})
        return redirect("site-time-products")
    site, group, product = (form.cleaned_data[k] for k in ("site", "group", "product"))
    try:
        services.set_site_time_product(site=site, group=group, product=product, actor=actor_of(request))
    except TimetillError as error:
        messages.error(request, _("Nothing changed: %(problems)s") % {"problems": error.message})
        return redirect("site-time-products")
    names = {
        "site": site.name,
        "group": group.name if group else "",
        "product": product and product.internal_name,
    }
    if product is None and group:
        text = _("%(site)s: no time product of its own for the group %(group)s any more.")
    elif product is None:
        text = _("%(site)s: no time product of its own for everyone any more.")
    elif group:
        text = _("%(site)s: stays of the group %(group)s are priced with “%(product)s”.")
    else:
        text = _("%(site)s: stays of everyone are priced with “%(product)s”.")
    messages.success(request, text % names)
    return redirect("site-time-products")
