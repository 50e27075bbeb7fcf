"""REST endpoints for families, their payers and children, enrolments, monthly runs and invoices."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from timetill.api_common import MONTH_PATTERN, MonthText, PlainText, RequiredText, TextLines, decimal
from timetill.errors import NotFound
from timetill.invoicing import families as services
from timetill.invoicing import invoices, review, tasks
from timetill.invoicing.models import Enrolment, Family, Invoice, InvoiceLine, InvoiceRun
from timetill.invoicing.month import parse_month
from timetill.timelines.actors import Actor

router = Router(tags=["invoicing"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str


# Every refusal is a JSON {code, message}; listed so that the OpenAPI description says so.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def manager(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    actor.require("manage_invoicing")
    return actor


# -- families ----------------------------------------------------------------------------------------------


class PayerIn(Schema):
    name: RequiredText = Field(..., max_length=200, description="Who the invoices are made out to.")
    address: TextLines = Field("", max_length=500)
    tax_code: PlainText = Field("", max_length=40, description="In Italy the codice fiscale (checked).")
    email: PlainText = Field("", max_length=254)
    country: PlainText = Field(
        "", max_length=2, description="For e-invoices (ISO code); empty: the seller's."
    )
    pec: PlainText = Field(
        "", max_length=254, description="An Italian family's certified e-mail (PEC), if any."
    )
    username: PlainText | None = Field(
        None, max_length=150, description="The guardian who logs in to see them."
    )
    language: PlainText = Field(
        "", max_length=8, description="The language of their invoices (en, fr, it); empty: the site's."
    )


class FamilyIn(Schema):
    site_id: Id
    name: RequiredText = Field(..., max_length=200)
    payers: list[PayerIn] = Field(..., min_length=1, max_length=services.MAX_PAYERS)
    children: list[Id] = Field([], max_length=20, description="Customer ids of the children.")


class PayerOut(Schema):
    id: int
    name: str
    address: str
    tax_code: str
    email: str
    country: str
    pec: str
    language: str
    username: str | None = Field(None, alias="user.username")


class ShareOut(Schema):
    payer_id: int
    percent: Decimal


class ChildOut(Schema):
    customer_id: int
    name: str = Field(..., alias="customer.name")
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(child) -> list[dict]:
        return [{"payer_id": s.payer_id, "percent": s.percent} for s in child.shares.all()]


class FamilyOut(Schema):
    id: int
    site_id: int
    name: str
    payers: list[PayerOut]
    children: list[ChildOut]

    @staticmethod
    def resolve_payers(family: Family):
        return list(family.payers.select_related("user"))

    @staticmethod
    def resolve_children(family: Family):
        return list(family.children.select_related("customer").prefetch_related("shares"))


class ChildIn(Schema):
    customer_id: Id


class ShareIn(Schema):
    payer_id: Id
    percent: decimal(digits=5, places=2, lower="gt0", upper=100)


class SharesIn(Schema):
    shares: list[ShareIn] = Field(..., max_length=services.MAX_PAYERS)


@router.get(
    "/families", response={200: list[FamilyOut], **ERRORS}, summary="List families (manage_invoicing)"
)
def list_families(request: HttpRequest, site_id: Id | None = None):
    manager(request)
    families = Family.objects.all()
    if site_id is not None:
        families = families.filter(site_id=site_id)
    return families


@router.post("/families", response={201: FamilyOut, **ERRORS}, summary="Create a family (manage_invoicing)")
def create_family(request: HttpRequest, payload: FamilyIn):
    family = services.create_family(
        site_id=payload.site_id,
        name=payload.name,
        payers=tuple(services.PayerSpec(**p.dict()) for p in payload.payers),
        children=tuple(payload.children),
        actor=manager(request),
    )
    return Status(201, family)


@router.get("/families/{family_id}", response={200: FamilyOut, **ERRORS}, summary="A family")
def get_family(request: HttpRequest, family_id: Id):
    manager(request)
    return services.get_family(family_id)


@router.post(
    "/families/{family_id}/children", response={201: FamilyOut, **ERRORS}, summary="Add a child to a family"
)
def add_child(request: HttpRequest, family_id: Id, payload: ChildIn):
    services.add_child(family_id=family_id, customer_id=payload.customer_id, actor=manager(request))
    return Status(201, services.get_family(family_id))


@router.put(
    "/children/{customer_id}/shares",
    response={200: FamilyOut, **ERRORS},
    summary="Split a child's invoices between the family's payers (percentages adding up to 100; empty: "
    "all to the first payer)",
)
def set_shares(request: HttpRequest, customer_id: Id, payload: SharesIn):
    services.set_shares(
        customer_id=customer_id,
        shares={s.payer_id: s.percent for s in payload.shares},
        actor=manager(request),
    )
    return services.get_family(Family.objects.get(children__customer_id=customer_id).pk)


# -- enrolments --------------------------------------------------------------------------------------------


class EnrolmentIn(Schema):
    customer_id: Id
    package_id: Id
    start: date
    end: date | None = Field(None, description="The last day enrolled (included); empty: open.")


class EnrolmentEndIn(Schema):
    end: date = Field(..., description="The last day enrolled (included).")


class EnrolmentOut(Schema):
    id: int
    customer_id: int
    child: str = Field(..., alias="customer.name")
    package_id: int
    package: str = Field(..., alias="package.name")
    start: date
    end: date | None


@router.get(
    "/enrolments", response={200: list[EnrolmentOut], **ERRORS}, summary="Enrolments, history included"
)
def list_enrolments(request: HttpRequest, customer_id: Id | None = None, package_id: Id | None = None):
    manager(request)
    enrolments = Enrolment.objects.select_related("customer", "package")
    if customer_id is not None:
        enrolments = enrolments.filter(customer_id=customer_id)
    if package_id is not None:
        enrolments = enrolments.filter(package_id=package_id)
    return enrolments


@router.post(
    "/enrolments",
    response={201: EnrolmentOut, **ERRORS},
    summary="Enrol a child in a package from a date (to a date); an overlap is refused",
)
def enrol(request: HttpRequest, payload: EnrolmentIn):
    enrolment = services.enrol(
        customer_id=payload.customer_id,
        package_id=payload.package_id,
        start=payload.start,
        end=payload.end,
        actor=manager(request),
        at=timezone.now(),
    )
    return Status(201, enrolment)


@router.post(
    "/enrolments/{enrolment_id}/end", response={200: EnrolmentOut, **ERRORS}, summary="End an enrolment"
)
def end_enrolment(request: HttpRequest, enrolment_id: Id, payload: EnrolmentEndIn):
    return services.end_enrolment(enrolment_id=enrolment_id, end=payload.end, actor=manager(request))


# -- monthly runs and invoices -----------------------------------------------------------------------------


class RunIn(Schema):
    site_id: Id
    month: str = Field(
        ...,
        pattern=r"^\d{4}-\d{2}$",
        description="The month to invoice, YYYY-MM.",
        json_schema_extra={"pattern": MONTH_PATTERN},  # the month itself is checked: `invalid_month`
    )


class RunOut(Schema):
    id: int
    site_id: int
    month: str
    state: str
    done_families: int
    total_families: int
    percent: int
    summary: dict
    started_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_month(run: InvoiceRun) -> str:
        return f"{run.month:%Y-%m}"


@router.post(
    "/invoicing/runs",
    response={202: RunOut, **ERRORS},
    summary="Start the monthly run of a month (a background job; GET the run for its progress). A run of the "
    "same month still going is a 409 run_in_progress; a month not begun, month_not_begun",
)
def start_run(request: HttpRequest, payload: RunIn):
    run = tasks.enqueue_run(
        site_id=payload.site_id, month=parse_month(payload.month), actor=manager(request), at=timezone.now()
    )
    run.refresh_from_db()
    return Status(202, run)


@router.get("/invoicing/runs", response={200: list[RunOut], **ERRORS}, summary="Monthly runs, newest first")
def list_runs(request: HttpRequest, site_id: Id | None = None, month: MonthText | None = None):
    manager(request)
    runs = InvoiceRun.objects.all()
    if site_id is not None:
        runs = runs.filter(site_id=site_id)
    if month:
        runs = runs.filter(month=parse_month(month).first)
    return runs[:100]


@router.get("/invoicing/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="A run: progress, summary")
def get_run(request: HttpRequest, run_id: Id):
    manager(request)
    run = InvoiceRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound("unknown_run", _("There is no run %(id)s.") % {"id": run_id})
    return run


class FlagOut(Schema):
    time_line_id: int
    problem: str


class LineOut(Schema):
    id: int
    kind: str
    child_id: int | None
    product_id: int | None
    description: str
    detail: str
    period_start: date | None
    period_end: date | None
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    share_percent: Decimal
    to_review: bool
    blocks_issue: bool
    review_note: str
    accepted_reason: str | None = Field(None, alias="reviewed.reason")
    flagged_stays: list[FlagOut]
    days: list[dict] = []

    @staticmethod
    def resolve_flagged_stays(line: InvoiceLine):
        return list(line.flagged_stays.all())

    @staticmethod
    def resolve_days(line: InvoiceLine):
        return (line.explanation or {}).get("days", [])


class InvoiceOut(Schema):
    id: int
    family_id: int
    payer_id: int
    payer: str = Field(..., alias="payer.name")
    month: date | None
    state: str
    number: str | None
    issue_date: date | None
    due_date: date | None
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_breakdown: list[dict]
    payment_state: str = ""
    lines: list[LineOut]

    @staticmethod
    def resolve_payment_state(invoice: Invoice) -> str:
        return invoices.payment_state(invoice)

    @staticmethod
    def resolve_lines(invoice: Invoice):
        return list(invoice.lines.select_related("reviewed").prefetch_related("flagged_stays"))


class AcceptIn(Schema):
    reason: RequiredText = Field(..., min_length=1, max_length=500)


def _invoices():
    return Invoice.objects.select_related("payer")


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS}, summary="Invoices (manage_invoicing)")
def list_invoices(
    request: HttpRequest, site_id: Id | None = None, month: MonthText | None = None, state: str | None = None
):
    manager(request)
    invoices = _invoices()
    if site_id is not None:
        invoices = invoices.filter(site_id=site_id)
    if month:
        invoices = invoices.filter(month=parse_month(month).first)
    if state:
        invoices = invoices.filter(state=state)
    return invoices[:500]


@router.get(
    "/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS}, summary="An invoice and its lines"
)
def get_invoice(request: HttpRequest, invoice_id: Id):
    manager(request)
    invoice = _invoices().filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("unknown_invoice", _("There is no invoice %(id)s.") % {"id": invoice_id})
    return invoice


@router.post(
    "/invoice-lines/{line_id}/accept",
    response={200: LineOut, **ERRORS},
    summary="Bill a line to review (a forgotten check-out) as it is, with a reason kept in the audit trail",
)
def accept_line(request: HttpRequest, line_id: Id, payload: AcceptIn):
    return review.accept_line(
        line_id=line_id, reason=payload.reason, actor=manager(request), at=timezone.now()
    )


# -- issuing, credit notes, payments, balances ---------------------------------------------------------------


class IssueMonthIn(Schema):
    site_id: Id
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$", json_schema_extra={"pattern": MONTH_PATTERN})


class RefusedOut(Schema):
    invoice_id: int
    message: str


class IssuedOut(Schema):
    issued: list[InvoiceOut]
    refused: list[RefusedOut]


class CreditLineIn(Schema):
    line_id: Id
    amount: decimal(lower="gt0") = Field(
        ..., description="In the line's price basis; at most what remains of the line."
    )


class CreditIn(Schema):
    reason: RequiredText = Field(..., min_length=1, max_length=500)
    lines: list[CreditLineIn] | None = Field(None, max_length=200, description="Empty: all that remains.")


class CreditNoteOut(Schema):
    id: int
    invoice_id: int
    number: str
    issue_date: date
    reason: str
    net: Decimal
    vat: Decimal
    gross: Decimal


class PaymentIn(Schema):
    method: str = Field(
        ...,
        description="cash, card, transfer or direct_debit",
        json_schema_extra={"pattern": "^(cash|card|transfer|direct_debit)$"},  # checked: `invalid_method`
    )
    amount: decimal(lower="gt0") = Field(
        ..., description="No more decimals than the currency has; at most what is due."
    )
    paid_on: date
    reference: PlainText = Field("", max_length=100)


class PaymentOut(Schema):
    id: int
    invoice_id: int
    method: str
    amount: Decimal
    paid_on: date
    reference: str


class BalanceOut(Schema):
    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    due: Decimal
    overdue: Decimal


@router.post(
    "/invoices/{invoice_id}/issue",
    response={200: InvoiceOut, **ERRORS},
    summary="Issue a draft: its number, issue and due dates (already_issued 409; lines_to_review 400)",
)
def issue(request: HttpRequest, invoice_id: Id):
    invoices.issue_invoice(invoice_id=invoice_id, actor=manager(request), at=timezone.now())
    return _invoices().get(pk=invoice_id)


@router.post(
    "/invoicing/issue", response={200: IssuedOut, **ERRORS}, summary="Issue every draft of a month at once"
)
def issue_month(request: HttpRequest, payload: IssueMonthIn):
    result = invoices.issue_month(
        site_id=payload.site_id, month=parse_month(payload.month), actor=manager(request), at=timezone.now()
    )
    return {
        "issued": list(result.issued),
        "refused": [{"invoice_id": i.pk, "message": why} for i, why in result.refused],
    }


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={201: CreditNoteOut, **ERRORS},
    summary="A credit note of an issued invoice: chosen lines and amounts, or all that remains "
    "(credit_above_remaining 409)",
)
def credit(request: HttpRequest, invoice_id: Id, payload: CreditIn):
    amounts = None if not payload.lines else {line.line_id: line.amount for line in payload.lines}
    note = invoices.credit_invoice(
        invoice_id=invoice_id,
        reason=payload.reason,
        amounts=amounts,
        actor=manager(request),
        at=timezone.now(),
    )
    return Status(201, note)


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Record a payment against an issued invoice (too_many_decimals, payment_above_due)",
)
def pay(request: HttpRequest, invoice_id: Id, payload: PaymentIn):
    payment = invoices.record_payment(
        invoice_id=invoice_id,
        method=payload.method,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
        actor=manager(request),
        at=timezone.now(),
    )
    return Status(201, payment)


@router.get(
    "/families/{family_id}/balance", response={200: BalanceOut, **ERRORS}, summary="A family's balance"
)
def family_balance(request: HttpRequest, family_id: Id):
    manager(request)
    family = services.get_family(family_id)
    today = timezone.now().astimezone(family.site.tz).date()
    return invoices.balance_of(
        Invoice.objects.filter(family=family), today=today, currency=family.site.currency
    )
