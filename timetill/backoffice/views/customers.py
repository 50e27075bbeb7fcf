"""Customers: the list with the one search, create and edit, codes, guardians, groups, import and export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.accounts.audit import changes_of
from timetill.backoffice.access import manage_customers_required
from timetill.backoffice.audited import audited
from timetill.backoffice.forms import CodeForm, CustomerForm, GuardianForm, ImportForm
from timetill.customers import exporting, importing, services
from timetill.customers.models import Code, Customer, CustomerGroup, Guardian

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "customer_import"
# Where a service's refusal is shown on the customer form.
_FIELD_OF = {"invalid_name": "name", "invalid_email": "email", "invalid_language": "language"}


def _snapshot(customer: Customer) -> dict:
    return {
        "name": customer.name,
        "group": customer.group.name if customer.group_id else None,
        "email": customer.email,
        "notes": customer.notes,
        "language": customer.language,
    }


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"page": "backoffice"}, status=status)


@manage_customers_required
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    group = request.GET.get("group", "")
    customers = Customer.objects.select_related("group").prefetch_related("codes").order_by("name", "pk")
    if group.isdigit():
        customers = customers.filter(group_id=int(group))
    if query:
        customers = services.search_customers(query, limit=PAGE_SIZE, among=customers)
        page = None
        rows = list(customers)
    else:
        page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    context = {
        "rows": rows,
        "paged": page,
        "q": query,
        "group": group,
        "groups": CustomerGroup.objects.order_by("name"),
        "total": Customer.objects.count(),
    }
    if request.htmx:
        return render(request, "backoffice/_customer_rows.html", context)
    return _page(request, "backoffice/customers.html", context)


@manage_customers_required
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = audited(
                request,
                subject="customer",
                action="create",
                change=lambda: services.create_customer(
                    name=data["name"], group=data["group"], email=data["email"] or ""
                ),
                snapshot=_snapshot,
            )
            if data["notes"] or data["language"]:
                services.update_customer(customer=customer, notes=data["notes"], language=data["language"])
        except services.CustomerError as error:
            form.add_error(_FIELD_OF.get(error.code), error.message)
        else:
            messages.success(
                request, _("%(name)s was created: add their codes below.") % {"name": customer.name}
            )
            return redirect("bo-customer", pk=customer.pk)
    return _page(
        request,
        "backoffice/customer_form.html",
        {"form": form, "customer": None},
        status=400 if form.errors else 200,
    )


def _edit_context(customer: Customer, **forms) -> dict:
    return {
        "customer": customer,
        "form": forms.get("form") or CustomerForm(initial=_snapshot(customer) | {"group": customer.group_id}),
        "code_form": forms.get("code_form") or CodeForm(),
        "guardian_form": forms.get("guardian_form") or GuardianForm(),
        "codes": customer.codes.all(),
        "guardians": customer.guardians.select_related("user"),
        "changes": changes_of(subject="customer", subject_id=customer.pk),
    }


@manage_customers_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.select_related("group"), pk=pk)
    form = CustomerForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        before = _snapshot(customer)
        try:
            audited(
                request,
                subject="customer",
                action="update",
                before=before,
                change=lambda: services.update_customer(
                    customer=customer,
                    name=data["name"],
                    group=data["group"],
                    email=data["email"] or "",
                    notes=data["notes"],
                    language=data["language"],
                ),  # fmt: skip
                snapshot=_snapshot,
            )
        except services.CustomerError as error:
            form.add_error(_FIELD_OF.get(error.code), error.message)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": customer.name})
            return redirect("bo-customer", pk=customer.pk)
    customer.refresh_from_db()
    status = 400 if form is not None and form.errors else 200
    return _page(request, "backoffice/customer_form.html", _edit_context(customer, form=form), status=status)


@require_POST
@manage_customers_required
def code_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    code_form = CodeForm(request.POST)
    if code_form.is_valid():
        value, kind = code_form.cleaned_data["value"], code_form.cleaned_data["kind"] or None
        try:
            code = audited(
                request,
                subject="customer",
                action="add code",
                change=lambda: services.add_code(customer=customer, value=value, kind=kind),
                snapshot=lambda code: {"code": code.value, "kind": code.kind},
                label=lambda code: customer.name,
                subject_id=lambda code: customer.pk,
            )
        except services.CustomerError as error:
            code_form.add_error("kind" if error.code == "invalid_kind" else "value", error.message)
        else:
            messages.success(request, _("The code %(code)s was added.") % {"code": code.value})
            return redirect("bo-customer", pk=customer.pk)
    return _page(
        request, "backoffice/customer_form.html", _edit_context(customer, code_form=code_form), status=400
    )


@require_POST
@manage_customers_required
def code_remove(request: HttpRequest, pk: int, code_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    code = get_object_or_404(Code, pk=code_pk, customer=customer)
    value = code.value
    audited(
        request,
        subject="customer",
        action="remove code",
        before={"code": value},
        change=lambda: services.remove_code(code=code),
        label=lambda _none: customer.name,
        subject_id=lambda _none: customer.pk,
    )
    messages.success(request, _("The code %(code)s was removed: it now belongs to nobody.") % {"code": value})
    return redirect("bo-customer", pk=customer.pk)


@require_POST
@manage_customers_required
def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    guardian_form = GuardianForm(request.POST)
    if guardian_form.is_valid():
        user = guardian_form.cleaned_data["user"]
        try:
            audited(
                request,
                subject="customer",
                action="add guardian",
                change=lambda: services.add_guardian(customer=customer, user=user),
                snapshot=lambda g: {"guardian": g.user.get_username()},
                label=lambda g: customer.name,
                subject_id=lambda g: customer.pk,
            )
        except services.CustomerError as error:
            guardian_form.add_error("user", error.message)
        else:
            messages.success(
                request, _("%(user)s may now check %(name)s in and out.") % {"user": user, "name": customer}
            )
            return redirect("bo-customer", pk=customer.pk)
    return _page(
        request,
        "backoffice/customer_form.html",
        _edit_context(customer, guardian_form=guardian_form),
        status=400,
    )


@require_POST
@manage_customers_required
def guardian_remove(request: HttpRequest, pk: int, guardian_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    guardian = get_object_or_404(Guardian.objects.select_related("user"), pk=guardian_pk, customer=customer)
    username = guardian.user.get_username()
    audited(
        request,
        subject="customer",
        action="remove guardian",
        before={"guardian": username},
        change=lambda: services.remove_guardian(guardian=guardian),
        label=lambda _none: customer.name,
        subject_id=lambda _none: customer.pk,
    )
    messages.success(
        request, _("%(user)s is no longer a guardian of %(name)s.") % {"user": username, "name": customer}
    )
    return redirect("bo-customer", pk=customer.pk)


@manage_customers_required
def group_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        group_pk = request.POST.get("group", "")
        try:
            if group_pk.isdigit():
                group = get_object_or_404(CustomerGroup, pk=int(group_pk))
                before = {"name": group.name}
                audited(
                    request, subject="group", action="rename", before=before,
                    change=lambda: services.rename_group(group=group, name=name),
                    snapshot=lambda g: {"name": g.name},
                )  # fmt: skip
            else:
                audited(
                    request, subject="group", action="create",
                    change=lambda: services.create_group(name=name), snapshot=lambda g: {"name": g.name},
                )  # fmt: skip
        except services.CustomerError as refused:
            error = refused.message
        else:
            messages.success(request, _("The group was saved."))
            return redirect("bo-groups")
    groups = CustomerGroup.objects.order_by("name")
    counts = {g.pk: g.customers.count() for g in groups}
    return _page(
        request,
        "backoffice/groups.html",
        {
            "groups": [(g, counts[g.pk]) for g in groups],
            "error": error,
            "typed": request.POST.get("name", ""),
        },
        status=400 if error else 200,
    )


@manage_customers_required
def customer_export(request: HttpRequest, fmt: str) -> HttpResponse:
    customers = Customer.objects.all()
    stamp = timezone.now().strftime("%Y-%m-%d")
    if fmt == "xlsx":
        response = HttpResponse(
            exporting.to_xlsx(customers),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exporting.to_csv(customers), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{fmt}"'
    return response


@manage_customers_required
def customer_import(request: HttpRequest) -> HttpResponse:
    """Step 1: the file is read and checked; its rows are kept in the session for step 2 (the preview)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importing.read_rows(upload.read(importing.MAX_BYTES + 1), upload.name)
        except importing.ImportError_ as error:
            form.add_error("file", error.message)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "file": upload.name[:200],
                "rows": [r.as_dict() for r in rows],
            }
            return redirect("bo-customer-import-preview")
    return _page(request, "backoffice/import.html", {"form": form}, status=400 if form.errors else 200)


@manage_customers_required
def customer_import_preview(request: HttpRequest) -> HttpResponse:
    """Step 2: every row with its messages; nothing is imported until the manager confirms."""
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        messages.info(request, _("Choose a file to import first."))
        return redirect("bo-customer-import")
    rows = importing.rows_from_dicts(stored["rows"])
    error = ""
    status = 200
    if request.method == "POST":
        valid_only = request.POST.get("valid_only") == "1"
        try:
            outcome = audited(
                request,
                subject="customer",
                action="import",
                change=lambda: importing.import_rows(rows, valid_only=valid_only),
                snapshot=lambda o: {"file": stored["file"], "imported": o.imported, "skipped": o.skipped},
                label=lambda o: stored["file"],
                subject_id=lambda o: None,
            )
        except importing.ImportError_ as refused:
            error = refused.message
            status = 400
        else:
            del request.session[IMPORT_SESSION_KEY]
            text = _("%(n)s customers were imported.") % {"n": outcome.imported}
            if outcome.skipped:
                text += " " + _("%(n)s wrong rows were left out.") % {"n": outcome.skipped}
            messages.success(request, text)
            return redirect("bo-customers")
    else:
        importing.check_rows(rows)  # again: the database may have changed since the file was read
    wrong = [row for row in rows if not row.ok]
    context = {
        "file": stored["file"],
        "rows": rows,
        "wrong": wrong,
        "valid": len(rows) - len(wrong),
        "error": error,
    }
    return _page(request, "backoffice/import_preview.html", context, status=status)
