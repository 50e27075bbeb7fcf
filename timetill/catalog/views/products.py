"""Product pages: the list, creating and editing each kind, duplicating and deleting."""

import json
import re
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from timetill.catalog import services
from timetill.catalog.display import decimal_text, price_summary
from timetill.catalog.examples import CAR_PARK, EXTRA_HOURS
from timetill.catalog.forms import PreviewForm, ProductForm, StepForm, StepFormSet, with_more_steps
from timetill.catalog.models import Product
from timetill.catalog.tariff_forms import TariffEditor, as_query_dict, data_of
from timetill.catalog.tariffs import DOCUMENT_KIND, InvalidTariff, error_fields
from timetill.catalog.views.access import actor_of, manage_catalog_required, product_or_404
from timetill.customers.models import CustomerGroup
from timetill.errors import TimetillError
from timetill.pricing import TariffError, load_tariff
from timetill.sites.models import Site

KIND_HINTS = {
    Product.Kind.SIMPLE: gettext_lazy("Sold by quantity at one price: a drink, a day pass, a monthly fee."),
    Product.Kind.LADDER: gettext_lazy(
        "Steps of time and price (1 h – 6.00, 2 h – 11.00); the till proposes the step."
    ),
    Product.Kind.TIME: gettext_lazy(
        "An automatic rate tariff: grace, first block, price per unit, bands, caps, groups."
    ),
    Product.Kind.DAILY_TIME: gettext_lazy(
        "Daycare extra time: early arrival and late departure around included hours."
    ),
}
KIND_SHORT = {
    Product.Kind.SIMPLE: gettext_lazy("Simple"),
    Product.Kind.LADDER: gettext_lazy("Ladder"),
    Product.Kind.TIME: gettext_lazy("Time"),
    Product.Kind.DAILY_TIME: gettext_lazy("Daily Time"),
}
TARIFF_KINDS = (Product.Kind.TIME, Product.Kind.DAILY_TIME)
STEP_FIELD = re.compile(r"variants\[(\d+)\]\.(\w+)")


@manage_catalog_required
def product_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    show_archived = request.GET.get("archived") == "1"
    products = Product.objects.select_related("vat_rate").prefetch_related("variants")
    if kind in Product.Kind.values:
        products = products.filter(kind=kind)
    else:
        kind = ""
    if not show_archived:
        products = products.filter(archived=False)
    # Prices in the sites' currency when they share one (the till sells at the site's), with its sign.
    currencies = set(Site.objects.values_list("currency", flat=True))
    currency = currencies.pop() if len(currencies) == 1 else None
    rows = [{"product": p, "kind": KIND_SHORT[p.kind], "price": price_summary(p, currency)} for p in products]
    return render(
        request,
        "catalog/products.html",
        {
            "page": "catalog",
            "rows": rows,
            "kind": kind,
            "kinds": list(KIND_SHORT.items()),
            "kind_hints": [(value, label, KIND_HINTS[value]) for value, label in Product.Kind.choices],
            "show_archived": show_archived,
        },
    )


@manage_catalog_required
def product_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Product.Kind.values:
        raise Http404(_("There is no kind of product “%(kind)s”.") % {"kind": kind[:30]})
    return _product_page(request, kind=kind, product=None)


@manage_catalog_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_or_404(pk)
    return _product_page(request, kind=product.kind, product=product)


def _product_page(request: HttpRequest, *, kind: str, product: Product | None) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = ProductForm(posted, kind=kind, initial=_initial(kind, product))
    steps = None
    if kind == Product.Kind.LADDER:
        if posted is not None and "add_step" in posted:
            posted = None  # only more room: nothing is saved
            steps = StepFormSet(with_more_steps(request.POST, 1), prefix="steps")
        else:
            steps = StepFormSet(request.POST or None, prefix="steps", initial=_step_initial(product))
    editor, editing = _tariff_editor(kind, product, posted)
    context: dict[str, Any] = {"tariff_errors": [], "step_errors": []}
    form_ok = posted is not None and form.is_valid()
    steps_ok = steps is None or (posted is not None and steps.is_valid())
    # With the form tab, the forms are the tariff: each bad value refused at its field, nothing saved.
    editor_ok = editor is None or editing != "form" or (posted is not None and editor.is_valid())
    if form_ok and steps_ok and editor_ok:
        variants, positions = _variants(steps)
        document = editor.document() if editor is not None and editing == "form" else None
        try:
            saved = _save(request, form, variants, product, document)
        except TimetillError as error:
            _place(error, form, steps, positions, context, editor if document is not None else None)
        else:
            messages.success(request, _("“%(product)s” saved.") % {"product": saved.internal_name})
            return redirect("product-edit", pk=saved.pk)
    failed = posted is not None
    context.update(
        page="catalog",
        form=form,
        steps=steps,
        kind=kind,
        kind_label=Product.Kind(kind).label,
        product=product,
        has_tariff=kind in TARIFF_KINDS,
        daily=kind == Product.Kind.DAILY_TIME,
        preview_form=_preview_form(kind, request.POST if request.method == "POST" else None),
        editor=editor,
        editing=editing,
        has_preview=kind in (*TARIFF_KINDS, Product.Kind.LADDER),
        groups=_group_names(product),
        action=reverse("product-edit", args=[product.pk]) if product else reverse("product-new", args=[kind]),
    )
    return render(request, "catalog/product_form.html", context, status=400 if failed else 200)


def _preview_form(kind: str, posted: Any) -> PreviewForm:
    """The preview's stay, as typed before a save was refused, else an example that prices at once."""
    daily = kind == Product.Kind.DAILY_TIME
    example = {"mon_in": "07:40", "mon_out": "16:30"} if daily else {"duration": "1:00"}
    return PreviewForm(posted, daily=daily, initial=example)


def _tariff_editor(kind: str, product: Product | None, posted: Any) -> tuple[TariffEditor | None, str]:
    """The tariff's forms (time and Daily Time products) and which tab the manager edits: "form" (the page
    opens on it) or "json" (the Advanced tab; also what a post without the choice means)."""
    if kind not in TARIFF_KINDS:
        return None, ""
    doc_kind = DOCUMENT_KIND[kind]
    editing = "json" if posted is not None and posted.get("tariff_editor") != "form" else "form"
    if posted is not None and editing == "form":
        return TariffEditor(doc_kind, posted), editing
    document = product.tariff if product is not None and product.tariff else _starter_document(kind)
    if posted is not None:
        # The JSON tab was edited: the form shows that document when it is valid, else the saved one.
        try:
            document = load_tariff(posted.get("tariff") or "").to_document()
        except TariffError:
            pass
        if document.get("kind") != doc_kind:
            document = product.tariff if product is not None and product.tariff else _starter_document(kind)
    return TariffEditor(doc_kind, as_query_dict(data_of(doc_kind, document))), editing


def _save(
    request: HttpRequest,
    form: ProductForm,
    variants: tuple,
    product: Product | None,
    document: dict[str, Any] | None = None,
) -> Product:
    spec = form.spec(variants)
    if document is not None:
        spec = replace(spec, tariff=document)
    if product is None:
        return services.create_product(spec=spec, actor=actor_of(request))
    return services.update_product(product_id=product.pk, spec=spec, actor=actor_of(request))


def _variants(steps: Any) -> tuple[tuple[services.VariantSpec, ...], list[int]]:
    """The steps typed in (blank and removed rows left out), and the row each one came from."""
    if steps is None:
        return (), []
    variants, positions = [], []
    for index, step in enumerate(steps.forms):
        if step.cleaned_data.get("DELETE") or step.is_blank():
            continue
        variants.append(step.variant())
        positions.append(index)
    return tuple(variants), positions


def _place(
    error: TimetillError,
    form: ProductForm,
    steps: Any,
    positions: list[int],
    context: dict,
    editor: TariffEditor | None = None,
) -> None:
    """Put the service's message at the field it names ("price: …", "variants[1].barcode: …"), else on top."""
    if isinstance(error, InvalidTariff) and editor is not None:
        context["tariff_errors"] = error_fields(editor.place(error.problems))
        return
    if isinstance(error, InvalidTariff):
        context["tariff_errors"] = error_fields(error.errors)
        form.add_error("tariff", _("The tariff does not validate: see each problem below."))
        return
    if error.code == "unknown_vat_rate":
        form.add_error("vat_rate", error.message)
        return
    if error.code == "barcode_taken":
        context["step_errors"].append(error.message)
        return
    field, sep, message = error.message.partition(": ")
    step = STEP_FIELD.fullmatch(field)
    if step and steps is not None and int(step[1]) < len(positions):
        row: StepForm = steps.forms[positions[int(step[1])]]
        row.add_error(step[2] if step[2] in row.fields else None, message)
    elif field == "variants" and steps is not None:
        context["step_errors"].append(message)
    elif sep and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, error.message)


def _initial(kind: str, product: Product | None) -> dict[str, Any]:
    if product is not None:
        initial = ProductForm.initial_of(product)
        if product.tariff is not None:
            initial["tariff"] = json.dumps(product.tariff, indent=2, ensure_ascii=False)
        return initial
    initial = {"vat_rate": "20", "price_basis": "incl"}
    if kind in TARIFF_KINDS:
        initial["tariff"] = json.dumps(_starter_document(kind), indent=2, ensure_ascii=False)
    return initial


def _starter_document(kind: str) -> dict[str, Any]:
    """A small valid document to start from, in the first site's currency and time zone."""
    site = Site.objects.order_by("name").first()
    common = {
        "version": 1,
        "currency": site.currency if site else "EUR",
        "time_zone": site.time_zone if site else "Europe/Paris",
    }
    example = EXTRA_HOURS if kind == Product.Kind.DAILY_TIME else CAR_PARK
    return {**{key: value for key, value in example.items() if key != "name"}, **common}


def _step_initial(product: Product | None) -> list[dict[str, Any]]:
    if product is None:
        return []
    return [
        {
            "label": v.label,
            "duration_minutes": v.duration_minutes,
            "price": decimal_text(v.price),
            "barcode": v.barcode or "",
        }
        for v in product.variants.all()
    ]


def _group_names(product: Product | None) -> list[str]:
    """Names to offer in the preview's group field: the customer groups and the document's own groups."""
    names = list(CustomerGroup.objects.order_by("name").values_list("name", flat=True))
    if product is not None and product.tariff:
        names += [n for n in (product.tariff.get("groups") or {}) if n not in names]
    return names


@require_POST
@manage_catalog_required
def product_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        copy = services.duplicate_product(product_id=pk, actor=actor_of(request))
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect("products")
    messages.success(
        request,
        _("Duplicated as “%(product)s”: change what differs and save.") % {"product": copy.internal_name},
    )
    return redirect("product-edit", pk=copy.pk)


@manage_catalog_required
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting will do (a sold product is archived); POST: do it."""
    product = product_or_404(pk)
    if request.method != "POST":
        context = {"page": "catalog", "product": product, "sold": product.sale_lines.exists()}
        return render(request, "catalog/product_delete.html", context)
    try:
        result = services.delete_product(product_id=pk, actor=actor_of(request))
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect("products")
    if result.archived:
        messages.warning(
            request,
            _(
                "“%(name)s” was sold, so it is archived instead of deleted: past sales keep their lines, and "
                "it can no longer be sold."
            )
            % {"name": product.internal_name},
        )
    else:
        messages.success(request, _("“%(product)s” deleted.") % {"product": product.internal_name})
    return redirect("products")
