"""Sites (time zone, currency, capacity, scan rules, opening hours, offline scans) and their devices (add with
the token shown once, revoke)."""

import zoneinfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.accounts.audit import changes_of
from timetill.backoffice.access import manage_sites_required
from timetill.backoffice.audited import audited
from timetill.backoffice.forms import DeviceForm, SiteForm
from timetill.sites import services
from timetill.sites.models import Device, Site

_ZONES = sorted(zoneinfo.available_timezones())


def _snapshot(site: Site) -> dict:
    fields = SiteForm.Meta.fields
    return {name: getattr(site, name) for name in fields} | {"opening_hours": site.opening_hours}


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"page": "backoffice", "zones": _ZONES}, status=status)


@manage_sites_required
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.order_by("name").prefetch_related("devices")
    return _page(request, "backoffice/sites.html", {"sites": sites})


@manage_sites_required
def site_create(request: HttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = audited(
            request, subject="site", action="create", change=lambda: services.save_site(site=form.instance),
            snapshot=_snapshot,
        )  # fmt: skip
        messages.success(request, _("The site %(name)s was created.") % {"name": site.name})
        return redirect("bo-site", pk=site.pk)
    return _page(
        request, "backoffice/site_form.html", {"form": form, "site": None}, status=400 if form.errors else 200
    )


@manage_sites_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    before = _snapshot(site)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        audited(
            request, subject="site", action="update", before=before,
            change=lambda: services.save_site(site=form.instance), snapshot=_snapshot,
        )  # fmt: skip
        messages.success(request, _("The site %(name)s was saved.") % {"name": site.name})
        return redirect("bo-site", pk=site.pk)
    if form.errors:
        site.refresh_from_db()
    context = {
        "form": form,
        "site": site,
        "devices": site.devices.order_by("revoked_at", "name"),
        "device_form": DeviceForm(),
        "changes": changes_of(subject="site", subject_id=site.pk),
    }
    return _page(request, "backoffice/site_form.html", context, status=400 if form.errors else 200)


@require_POST
@manage_sites_required
def device_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The token is shown on this answer only: it is not stored, only its hash."""
    site = get_object_or_404(Site, pk=pk)
    form = DeviceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A device needs a name."))
        return redirect("bo-site", pk=site.pk)
    issued = audited(
        request, subject="site", action="add device",
        change=lambda: services.register_device(site=site, name=form.cleaned_data["name"].strip()),
        snapshot=lambda i: {"device": i.device.name, "token": i.device.token_hint + "…"},
        label=lambda i: site.name, subject_id=lambda i: site.pk,
    )  # fmt: skip
    response = _page(request, "backoffice/device_token.html", {"site": site, "issued": issued})
    response["Cache-Control"] = "no-store"  # the token must not stay in a cache
    return response


@require_POST
@manage_sites_required
def device_revoke(request: HttpRequest, pk: int, device_pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    device = get_object_or_404(Device, pk=device_pk, site=site)
    audited(
        request, subject="site", action="revoke device",
        change=lambda: services.revoke_device(device=device, at=timezone.now()),
        snapshot=lambda d: {"device": d.name, "revoked": True},
        label=lambda d: site.name, subject_id=lambda d: site.pk,
    )  # fmt: skip
    messages.success(
        request, _("%(name)s can no longer scan: its token was revoked.") % {"name": device.name}
    )
    return redirect("bo-site", pk=site.pk)
