"""The office's invoicing pages: the month (run, progress, drafts to review), families and enrolments."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from timetill.catalog.models import Package
from timetill.errors import TimetillError
from timetill.invoicing import families as family_services
from timetill.invoicing import invoices, review, sending, tasks
from timetill.invoicing.models import Enrolment, Family, Invoice, InvoiceLine, InvoiceRun
from timetill.invoicing.month import Month, parse_month
from timetill.invoicing.views.mine import pdf_response
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.web.views.common import right_required

NO_MANAGE_INVOICING = gettext_lazy(
    "You do not have the right “manage_invoicing”: ask a manager to let you invoice."
)


def _denied_in_part(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponse(f'<p class="flash flash-error">{message}</p>', status=403)


manage_invoicing_required = right_required(
    "manage_invoicing", NO_MANAGE_INVOICING, htmx_denied=_denied_in_part
)


def site_of(request: HttpRequest) -> Site:
    slug = request.GET.get("site") or request.POST.get("site")
    sites = Site.objects.all()
    site = sites.filter(slug=slug).first() if slug else sites.filter(families__isnull=False).first()
    site = site or sites.first()
    if site is None:
        raise Http404(_("There is no site yet."))
    return site


def _month(request: HttpRequest, site: Site) -> Month:
    text = request.GET.get("month") or request.POST.get("month")
    if text:
        try:
            return parse_month(text)
        except TimetillError:
            messages.error(request, _("%(text)r is not a month: write it YYYY-MM.") % {"text": text})
    today = timezone.now().astimezone(site.tz).date()
    return Month(today.replace(day=1))


def _month_url(site: Site, month: Month) -> str:
    return f"{reverse('invoicing-month')}?site={site.slug}&month={month}"


@manage_invoicing_required
def month_page(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    month = _month(request, site)
    run = InvoiceRun.objects.filter(site=site, month=month.first).first()
    invoices = (
        Invoice.objects.filter(site=site, month=month.first)
        .select_related("payer", "family")
        .prefetch_related("lines__flagged_stays__time_line", "lines__reviewed")
        .order_by("family__name", "payer__position")
    )
    rows = []
    for invoice in invoices:
        lines = list(invoice.lines.all())
        rows.append(
            {
                "invoice": invoice,
                "review": [line for line in lines if line.to_review],
                "blocked": any(line.blocks_issue for line in lines),
            }
        )
    return render(
        request,
        "invoicing/month.html",
        {
            "page": "invoicing",
            "site": site,
            "sites": Site.objects.all(),
            "month": month,
            "previous": month.previous,
            "next": month.next,
            "run": run,
            "rows": rows,
            "drafts": sum(1 for r in rows if r["invoice"].state == Invoice.State.DRAFT),
            "issued": sum(1 for r in rows if r["invoice"].state == Invoice.State.ISSUED),
        },
    )


@manage_invoicing_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of a run, polled by the month page while the run goes."""
    run = InvoiceRun.objects.filter(pk=pk).select_related("site").first()
    if run is None:
        raise Http404(_("There is no such run."))
    response = render(request, "invoicing/_progress.html", {"run": run})
    if run.state != InvoiceRun.State.RUNNING and request.htmx:
        # Done: reload the month so that the drafts and the summary show.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@manage_invoicing_required
def start_run(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    month = _month(request, site)
    try:
        tasks.enqueue_run(site_id=site.pk, month=month, actor=Actor.for_user(request.user), at=timezone.now())
    except TimetillError as error:
        messages.error(request, error.message)
    return redirect(_month_url(site, month))


@require_POST
@manage_invoicing_required
def accept_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = InvoiceLine.objects.filter(pk=pk).select_related("invoice__site").first()
    if line is None:
        raise Http404(_("There is no such line."))
    try:
        review.accept_line(
            line_id=pk,
            reason=request.POST.get("reason", ""),
            actor=Actor.for_user(request.user),
            at=timezone.now(),
        )
        messages.success(request, _("Accepted as it is; the reason is kept."))
    except TimetillError as error:
        messages.error(request, error.message)
    site = line.invoice.site
    month = Month(line.invoice.month) if line.invoice.month else _month(request, site)
    return redirect(_month_url(site, month))


@manage_invoicing_required
def invoice_page(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = Invoice.objects.filter(pk=pk).select_related("payer", "family", "site").first()
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    issued = invoice.state == Invoice.State.ISSUED
    return render(
        request,
        "invoicing/invoice.html",
        {
            "page": "invoicing",
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "staff": True,
            "due": invoices.invoice_due(invoice) if issued else None,
            "payments": invoice.payments.all() if issued else (),
            "credit_notes": invoice.credit_notes.all() if issued else (),
        },
    )


# -- families and enrolments -------------------------------------------------------------------------------


@manage_invoicing_required
def families_page(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    families = (
        Family.objects.filter(site=site)
        .prefetch_related("payers", "children__customer", "children__shares__payer")
        .order_by("name")
    )
    enrolments = Enrolment.objects.filter(customer__family_link__family__site=site).select_related("package")
    by_child: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_child.setdefault(enrolment.customer_id, []).append(enrolment)
    return render(
        request,
        "invoicing/families.html",
        {
            "page": "invoicing",
            "site": site,
            "families": [
                {"family": f, "children": [(c, by_child.get(c.customer_id, [])) for c in f.children.all()]}
                for f in families
            ],
            "packages": Package.objects.filter(archived=False),
        },
    )


@require_POST
@manage_invoicing_required
def enrol(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    try:
        start = date.fromisoformat(request.POST.get("start", ""))
        end_text = request.POST.get("end", "")
        end = date.fromisoformat(end_text) if end_text else None
        customer_id = int(request.POST.get("customer", ""))
        package_id = int(request.POST.get("package", ""))
    except ValueError:
        messages.error(request, _("Choose a child and a package, and give the start as a date."))
        return redirect(f"{reverse('invoicing-families')}?site={site.slug}")
    try:
        enrolment = family_services.enrol(
            customer_id=customer_id,
            package_id=package_id,
            start=start,
            end=end,
            actor=Actor.for_user(request.user),
            at=timezone.now(),
        )
        messages.success(
            request,
            _("%(child)s is enrolled in %(package)s from %(start)s.")
            % {
                "child": enrolment.customer.name,
                "package": enrolment.package.name,
                "start": start.isoformat(),
            },
        )
    except TimetillError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('invoicing-families')}?site={site.slug}")


@manage_invoicing_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = Invoice.objects.filter(pk=pk).first()
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    return pdf_response(invoice)


@require_POST
@manage_invoicing_required
def issue_month(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    month = _month(request, site)
    result = invoices.issue_month(
        site_id=site.pk, month=month, actor=Actor.for_user(request.user), at=timezone.now()
    )
    if result.issued:
        messages.success(
            request,
            _("%(n)d invoice(s) issued: %(first)s to %(last)s.")
            % {"n": len(result.issued), "first": result.issued[0].number, "last": result.issued[-1].number},
        )
    for _invoice, why in result.refused:
        messages.error(request, why)
    return redirect(_month_url(site, month))


@require_POST
@manage_invoicing_required
def send_month(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    month = _month(request, site)
    result = sending.send_month(
        site_id=site.pk, month=month, actor=Actor.for_user(request.user), at=timezone.now()
    )
    messages.success(request, _("%(n)d invoice(s) e-mailed.") % {"n": len(result.sent)})
    for _invoice, why in result.refused:
        messages.error(request, why)
    return redirect(_month_url(site, month))
