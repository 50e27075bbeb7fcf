"""The back office's home: the parts this manager may open."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from timetill.backoffice.access import back_office_required


@dataclass(frozen=True)
class Tile:
    title: str
    text: str
    url: str


# (right, url name, title, text): a part is shown to who holds its right, once its page is installed.
PARTS = [
    ("manage_users", "bo-users", _("Users and rights"),
     _("Invite people, give them a role and rights, a home page and a site.")),
    ("manage_customers", "bo-customers", _("Customers"),
     _("Customers, their codes and groups, guardians; import and export.")),
    ("manage_customers", "bo-cards", _("Printable cards"),
     _("Members' cards with their barcode or QR code, one or a sheet of A4.")),
    ("manage_sites", "bo-sites", _("Sites and devices"),
     _("Time zone, currency, capacity, scan rules, opening hours; kiosks and their tokens.")),
    ("manage_catalog", "products", _("Catalogue and tariffs"),
     _("Products, price ladders, rate tariffs and Daily Time.")),
    ("manage_invoicing", "invoicing-families", _("Families"),
     _("Families, their children and guardians, and the packages they are enrolled in.")),
    ("manage_users", "bo-families", _("Parents' invitations"),
     _("Invite each family's payers by e-mail to their family page.")),
    ("manage_sites", "billing-seller", _("Legal identity"),
     _("The seller's name, address, VAT and registration numbers, IBAN: what receipts and invoices print.")),
    ("manage_catalog", "billing-vat-rates", _("VAT rates"),
     _("Rates with their category, and the exemption reason an exempt rate prints.")),
    ("manage_catalog", "bo-tariff-help", _("Tariff help"),
     _("How a tariff is written, with worked examples.")),
]  # fmt: skip


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # that part's pages are not installed
        return None


@back_office_required
def home(request: HttpRequest) -> HttpResponse:
    tiles = []
    for right, name, title, text in PARTS:
        url = _url(name)
        if url and request.user.has_perm(f"accounts.{right}"):
            tiles.append(Tile(str(title), str(text), url))
    if request.user.is_superuser:
        tiles.append(
            Tile(
                str(_("Django admin")),
                str(_("Every table as stored, for superusers.")),
                reverse("admin:index"),
            )
        )
    return render(request, "backoffice/home.html", {"tiles": tiles, "page": "backoffice"})
