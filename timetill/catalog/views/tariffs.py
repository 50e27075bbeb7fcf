"""Tariff pages: the editor's live preview of an unsaved document, and JSON export and import."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.accounts.services import profile_of
from timetill.billing.explanations import line_label, unit_label
from timetill.catalog import services
from timetill.catalog.forms import ImportForm, PreviewForm, ProductForm, StepFormSet
from timetill.catalog.models import Product
from timetill.catalog.tariff_forms import TariffEditor, as_query_dict, data_of
from timetill.catalog.tariffs import (
    DOCUMENT_KIND,
    InvalidTariff,
    checked_document,
    error_fields,
    ladder_document,
    pricing_error,
)
from timetill.catalog.views.access import actor_of, manage_catalog_required, product_or_404
from timetill.catalog.views.products import TARIFF_KINDS
from timetill.catalog.week import week_picture
from timetill.errors import TimetillError
from timetill.pricing import PricingError, Quote, TariffError, parse_tariff, quote_document
from timetill.sites.models import Site


def _default_site(request: HttpRequest) -> Site | None:
    return profile_of(request.user).default_site or Site.objects.order_by("name").first()


def _known_groups(document: dict) -> list[str]:
    """The groups a preview may price for: the customers' groups, and those the document prices."""
    return services.known_groups(document.get("groups") or {})


def _group_exists(group: str, document: dict) -> bool:
    return group.casefold() in {name.casefold() for name in _known_groups(document)}


def _field_problems(forms_: list) -> list[dict[str, str]]:
    """Each field's message, with the field's label and id (the page's script shows it at the field)."""
    problems = []
    for form in forms_:
        for name, errors in form.errors.items():
            bound = form[name] if name in form.fields else None
            for error in errors:
                problems.append(
                    {
                        "label": str(bound.label) if bound is not None else "",
                        "id": bound.auto_id if bound is not None else "",
                        "message": error,
                    }
                )
    return problems


def _ladder_text(request: HttpRequest, context: dict[str, Any]) -> str | None:
    """A ladder product's document, built from the steps being typed, in the default site's currency."""
    steps = StepFormSet(request.POST, prefix="steps")
    if not steps.is_valid():
        context["form_problems"] = _field_problems(steps.forms)
        return None
    rows = [
        (step.get("label") or "", step.get("duration_minutes"), step.get("price"))
        for step in (
            s.cleaned_data for s in steps.forms if not s.cleaned_data.get("DELETE") and not s.is_blank()
        )
    ]
    if not rows or any(minutes is None or price is None for _label, minutes, price in rows):
        context["problem"] = _("Type the minutes and the price of each step to see a price.")
        return None
    site = _default_site(request)
    rows.sort(key=lambda row: row[1])
    document = ladder_document(
        [(label or f"{minutes} min", minutes, price) for label, minutes, price in rows],
        currency=site.currency if site else "EUR",
        time_zone=site.time_zone if site else settings.TIME_ZONE,
        name=request.POST.get("short_name", "") or "Ladder",
        vat_rate=Decimal(0),
        prices_include_vat=True,
    )
    return json.dumps(document)


def _checked_ladder(text: str, *, vat_rate: Decimal, prices_include_vat: bool) -> dict[str, Any]:
    document = {
        **json.loads(text),
        "vat_rate": format(vat_rate.normalize(), "f"),
        "prices_include_vat": prices_include_vat,
    }
    try:
        return parse_tariff(document).to_document()
    except TariffError as error:
        raise InvalidTariff.of(error) from error


@require_POST
@manage_catalog_required
def preview(request: HttpRequest) -> HttpResponse:
    """Price a stay with the tariff as it is in the editor (not saved): the total and its explanation. With
    the form tab, the forms are the tariff and the JSON tab gets the document they make; with the JSON tab,
    a valid document fills the forms."""
    kind = request.POST.get("kind", "")
    if kind not in (*TARIFF_KINDS, Product.Kind.LADDER):
        raise Http404("Only ladder, time and Daily Time products have a tariff to preview.")
    ladder = kind == Product.Kind.LADDER
    form = ProductForm(request.POST, kind=kind)
    context: dict[str, Any] = {"daily": kind == Product.Kind.DAILY_TIME}
    stay_form = PreviewForm(request.POST, daily=context["daily"])
    if not form.is_valid():  # only the price basis can be wrong here; the rest is the service's
        context["problem"] = _("Choose a price basis.")
        return render(request, "catalog/_preview.html", context)
    editing = "form" if request.POST.get("tariff_editor") == "form" else "json"
    editor = None
    if ladder:
        ladder_text = _ladder_text(request, context)
        if ladder_text is None:
            return render(request, "catalog/_preview.html", context)
        text = ladder_text
    elif editing == "form":
        editor = TariffEditor(DOCUMENT_KIND[kind], request.POST)
        if not editor.is_valid():
            context["form_problems"] = _field_problems(editor.forms)
            return render(request, "catalog/_preview.html", context)
        text = json.dumps(editor.document())
    else:
        text = form.cleaned_data.get("tariff") or ""
    try:
        vat = services.vat_rate_of(form.cleaned_data["vat_rate"] or "0")
        basis = form.cleaned_data["price_basis"] == "incl"
        if ladder:
            document = _checked_ladder(text, vat_rate=vat.rate, prices_include_vat=basis)
        else:
            document = checked_document(
                text if text.strip() else "{}", kind=kind, vat_rate=vat.rate, prices_include_vat=basis
            )
    except InvalidTariff as error:
        if editor is not None:
            rest = editor.place(error.problems)
            context["form_problems"] = _field_problems(editor.forms)
            context["errors"] = error_fields(rest)
        else:
            context["errors"] = error_fields(error.errors)
        return render(request, "catalog/_preview.html", context)
    except TimetillError as error:
        context["problem"] = error.message
        return render(request, "catalog/_preview.html", context)
    if editor is not None:
        # The JSON tab follows the form.
        context["json_text"] = json.dumps(document, indent=2, ensure_ascii=False)
    elif not ladder:
        # The form follows a valid JSON edit.
        doc_kind = DOCUMENT_KIND[kind]
        context["editor"] = TariffEditor(doc_kind, as_query_dict(data_of(doc_kind, document)))
    context["week"] = week_picture(document)
    if not document.get("time_zone"):
        site = _default_site(request)
        document["time_zone"] = site.time_zone if site else settings.TIME_ZONE
    zone = ZoneInfo(document["time_zone"])
    if not stay_form.is_valid():
        context["stay_errors"] = [e for errors in stay_form.errors.values() for e in errors]
        return render(request, "catalog/_preview.html", context)
    now = timezone.now()
    week = stay_form.week_stays(zone=zone, now=now) if context["daily"] else []
    stay = stay_form.stay(daily=context["daily"], zone=zone, now=now)
    if stay is None and not week:
        context["problem"] = (
            _("The document is valid. Type the times of day of a stay to see its price.")
            if context["daily"]
            else _("The document is valid. Type a duration to see its price.")
        )
        context["valid"] = True
        return render(request, "catalog/_preview.html", context)
    group = stay_form.cleaned_data["group"].strip() or None
    if group is not None and not _group_exists(group, document):
        context["stay_errors"] = [
            _("There is no customer group “{group}”: type one of {groups}, or leave it empty.").format(
                group=group[:40], groups=", ".join(_known_groups(document)) or _("(none yet)")
            )
        ]
        return render(request, "catalog/_preview.html", context)
    try:
        if week:
            # The week's stays priced together, with the single day's stay when one is typed too.
            stays = [*week, stay] if stay is not None else week
            quote = quote_document(document, stays=stays, group=group)
        else:
            assert stay is not None
            quote = quote_document(document, stay[0], stay[1], group)
    except PricingError as error:
        context["problem"] = pricing_error(error).message
        return render(request, "catalog/_preview.html", context)
    context.update(quote_context(quote, zone))
    return render(request, "catalog/_preview.html", context)


def quote_context(quote: Quote, zone: ZoneInfo) -> dict[str, Any]:
    """A quote as the preview shows it: local times, amounts with the currency's decimals."""
    first_day = quote.start.astimezone(zone).date()

    def local(moment: datetime | None) -> str:
        if moment is None:
            return ""
        here = moment.astimezone(zone)
        return here.strftime("%H:%M") if here.date() == first_day else here.strftime("%a %d/%m %H:%M")

    lines = [
        {
            "label": line_label(line.to_dict()),  # in the manager's language
            "adjustment": line.kind == "adjustment",
            "from": local(line.start),
            "to": local(line.end),
            "quantity": f"{line.quantity.normalize():f}" if line.unit else "",
            "unit": unit_label(line.unit),
            "unit_price": "" if line.unit_price is None else str(line.unit_price.amount),
            "price_per": unit_label(line.price_per),
            "amount": str(line.amount.amount),
        }
        for line in quote.lines
    ]
    start, end = quote.start.astimezone(zone), quote.end.astimezone(zone)
    return {
        "quote": quote,
        "total": str(quote.total.amount),
        "currency": quote.currency,
        "lines": lines,
        "stay_from": start.strftime("%a %d/%m/%Y %H:%M"),
        "stay_to": end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %d/%m/%Y %H:%M"),
        "vat": quote.vat,
        "choices": [
            {"label": c.label, "price": str(c.price.amount), "proposed": c.proposed} for c in quote.choices
        ],
    }


@manage_catalog_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The product's tariff document as a .json download (a ladder: built from its steps)."""
    product = product_or_404(pk)
    try:
        document = services.export_tariff(product=product, site=_default_site(request))
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect("product-edit", pk=pk)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="tariff-{product.pk}.json"'
    return response


@manage_catalog_required
def import_tariff(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a time or Daily Time product's document with an uploaded file or pasted text."""
    product = product_or_404(pk)
    if product.kind not in TARIFF_KINDS:
        raise Http404("Only time and Daily Time products have a tariff document to import.")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.import_tariff(
                product_id=pk, document=form.cleaned_data["document"], actor=actor_of(request)
            )
        except InvalidTariff as error:
            errors = error_fields(error.errors)
        except TimetillError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Tariff of “%(product)s” imported.") % {"product": product.internal_name}
            )
            return redirect("product-edit", pk=pk)
    context = {"page": "catalog", "product": product, "form": form, "errors": errors}
    return render(request, "catalog/import.html", context, status=400 if request.method == "POST" else 200)
