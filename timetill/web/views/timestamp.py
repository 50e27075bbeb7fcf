"""The Timestamp page: scan field, customer search, pending and stopped lists, one line's panel.

Every action is an htmx POST that calls one service and answers with the board (message + lists); a
TimetillError becomes a red message and, the service being one transaction, nothing has changed.
"""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from timetill.customers.models import Customer
from timetill.customers.services import search_customers
from timetill.errors import NotFound, TimetillError
from timetill.sales import stays
from timetill.sales.models import SaleLine
from timetill.sites.localtime import format_for_input, parse_local
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services import scan as scan_service
from timetill.web import board
from timetill.web.templatetags.timetill_web import money
from timetill.web.views.common import Flash, choose_site, track_time_required


def _flag(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _lists_context(request: HttpRequest, site: Site, *, show_hidden: bool) -> dict:
    actor = Actor.for_user(request.user)
    now = timezone.now()
    pending = board.pending_rows(site=site, actor=actor, now=now)
    return {
        "site": site,
        "tz": site.time_zone,
        "show_hidden": show_hidden,
        "pending": pending,
        "stopped": board.stopped_rows(site=site, actor=actor, now=now, show_hidden=show_hidden),
        "hidden_count": board.hidden_count(site=site, actor=actor, now=now),
        "paid_count": stays.count_lines_of_closed_sales(site_id=site.pk),
        "warning_count": sum(1 for row in pending if row.warnings),
        "now": now,
    }


def _panel_context(request: HttpRequest, line: TimeLine, *, times_form: dict | None = None) -> dict:
    """The panel of one line; `times_form` reopens "Correct the times" with what was typed and its error."""
    tz = line.site.tz
    now = timezone.now()
    sale = stays.sale_of(line)
    return {
        "line": line,
        "row": board.LineRow(
            line=line,
            elapsed=(line.end or now) - line.start,
            started_today=True,
            due=stays.amounts_due_so_far(time_lines=[line], now=now)[line.pk] if line.is_open else None,
            charge=stays.charges_of(time_lines=[line]).get(line.pk),
        ),
        "sale": sale,
        # A closed sale never changes: its stay stays on it (a correction is a refund).
        "sales_to_link": []
        if sale is not None and sale.is_closed
        else [s for s in stays.sales_to_link(site_id=line.site_id) if sale is None or s.pk != sale.pk],
        "tz": line.site.time_zone,
        "audit": board.audit_rows(line),
        "can_edit_times": request.user.has_perm("accounts.edit_times"),
        "start_value": format_for_input(line.start, tz),
        "end_value": format_for_input(line.end, tz),
        **(times_form or {}),
    }


def _answer(
    request: HttpRequest,
    site: Site,
    flash: Flash,
    *,
    status: int = 200,
    panel_line: TimeLine | None = None,
    search: dict | None = None,
    times_form: dict | None = None,
) -> HttpResponse:
    """The board after an action; a plain (non-htmx) form post goes back to the page with the message."""
    show_hidden = _flag(request.POST.get("show_hidden"))
    if not request.htmx:
        level = {"ok": messages.SUCCESS, "warn": messages.WARNING}.get(flash.kind, messages.ERROR)
        messages.add_message(request, level, flash.text)
        return redirect(f"{reverse('timestamp')}?site={site.slug}")
    context = _lists_context(request, site, show_hidden=show_hidden)
    context["flash"] = flash
    if panel_line is not None and request.POST.get("panel") == str(panel_line.pk):
        # The panel sits outside the board: refresh it out of band so its history shows the change.
        panel_line = line_service.get_line(Actor.for_user(request.user), pk=panel_line.pk)
        # Rendered by the same template and context as the panel's own page, so nothing in it goes stale.
        panel = {**_panel_context(request, panel_line, times_form=times_form), "oob": True}
        context["panel_html"] = render_to_string("web/_panel.html", panel, request=request)
    if search is not None:
        context["search"] = search
    return render(request, "web/_board.html", context, status=status)


def _customer(value: str | None) -> Customer:
    """The customer a form names by id; a missing or malformed id is a message, not a crash."""
    customer = Customer.objects.filter(pk=value).first() if (value or "").isdigit() else None
    if customer is None:
        raise NotFound("unknown_customer", _("No such customer."))
    return customer


def _site_of(request: HttpRequest) -> Site:
    return choose_site(request, request.POST.get("site") or request.GET.get("site"))


@require_GET
@track_time_required
def timestamp(request: HttpRequest) -> HttpResponse:
    site = choose_site(request, request.GET.get("site"))
    context = _lists_context(request, site, show_hidden=_flag(request.GET.get("show_hidden")))
    context["sites"] = Site.objects.order_by("name")
    context["page"] = "timestamp"
    return render(request, "web/timestamp.html", context)


@require_GET
@track_time_required
def lists(request: HttpRequest) -> HttpResponse:
    """The pending and stopped lists alone: what the page polls every few seconds."""
    site = _site_of(request)
    return render(
        request,
        "web/_lists.html",
        _lists_context(request, site, show_hidden=_flag(request.GET.get("show_hidden"))),
    )


def _priced(flash: Flash, sale_line: SaleLine | None) -> Flash:
    """The message of a check-out, plus what it added to the till: " 3.70 € on sale 12." and a Pay button."""
    if sale_line is None:
        return flash
    currency = sale_line.sale.currency
    return Flash(
        flash.kind,
        flash.text
        + " "
        + _("%(amount)s on sale %(sale)s.")
        % {"amount": money(sale_line.gross, currency), "sale": sale_line.sale_id},
        link_url=reverse("sale", args=[sale_line.sale_id]),
        link_label=_("Pay"),
    )


def _repriced(text: str, sale_line: SaleLine | None) -> Flash:
    """A correction's message: the stay's new price on its sale, and the way to it."""
    if sale_line is None:
        return Flash("ok", text)
    return _priced(Flash("ok", f"{text} Now"), sale_line)


@require_POST
@track_time_required
def scan(request: HttpRequest) -> HttpResponse:
    site = _site_of(request)
    try:
        result, sale_line = stays.scan_and_price(
            site=site,
            code=request.POST.get("code", ""),
            actor=Actor.for_user(request.user, via=Via.SCAN),
            at=timezone.now(),
        )
    except TimetillError as error:
        return _answer(request, site, Flash.of_error(error), status=error.status)
    return _answer(request, site, _priced(Flash.of_scan(result), sale_line))


def _search_context(
    request: HttpRequest, site: Site, query: str, *, for_line: TimeLine | None = None
) -> dict:
    customers = list(search_customers(query, limit=12))
    open_lines = board.open_lines_by_customer(site=site, customers=customers)
    return {
        "query": query,
        "site": site,
        "tz": site.time_zone,
        "results": [(customer, open_lines.get(customer.pk)) for customer in customers],
        "for_line": for_line,
    }


@require_GET
@track_time_required
def search(request: HttpRequest) -> HttpResponse:
    """Customers by name or code; with ?line=, results offer to assign that line instead of checking in."""
    site = _site_of(request)
    line_pk = request.GET.get("line")
    for_line = None
    if line_pk and line_pk.isdigit():
        for_line = line_service.visible_lines(Actor.for_user(request.user)).filter(pk=line_pk).first()
    context = _search_context(request, site, request.GET.get("q", ""), for_line=for_line)
    return render(request, "web/_search_results.html", context)


@require_POST
@track_time_required
def check_in(request: HttpRequest) -> HttpResponse:
    site = _site_of(request)
    query = request.POST.get("q", "")
    try:
        customer = _customer(request.POST.get("customer"))
        scan_service.check_in(
            site=site, customer=customer, actor=Actor.for_user(request.user), at=timezone.now()
        )
    except TimetillError as error:
        return _answer(request, site, Flash.of_error(error), status=error.status)
    return _answer(
        request,
        site,
        Flash("ok", _("%(who)s checked in.") % {"who": customer.name}),
        search=_search_context(request, site, query),
    )


@require_GET
@track_time_required
def line_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """One line in the side panel: note, customer, times, audit trail."""
    try:
        line = line_service.get_line(Actor.for_user(request.user), pk=pk)
    except TimetillError as error:
        return render(request, "web/_panel_error.html", {"message": error.message}, status=error.status)
    return render(request, "web/_panel.html", _panel_context(request, line))


def _line_action(
    request: HttpRequest,
    pk: int,
    act,  # noqa: ANN001
    done: str | Callable[[str], str | Flash],
) -> HttpResponse:
    """Run one line service; answer with the board and the refreshed panel, or the service's message.

    `done` is the message, "{who}" replaced by the customer; or a function of who, for a message that
    depends on what the service did (a Flash when it carries a link)."""
    site = _site_of(request)
    try:
        line = act(actor=Actor.for_user(request.user), at=timezone.now())
    except TimetillError as error:
        panel_line = line_service.visible_lines(Actor.for_user(request.user)).filter(pk=pk).first()
        return _answer(request, site, Flash.of_error(error), status=error.status, panel_line=panel_line)
    who = line.customer.name if line.customer else (line.scanned_code or line.code)
    flash = done(who) if callable(done) else done.format(who=who)
    if isinstance(flash, str):
        flash = Flash("ok", flash)
    return _answer(request, line.site, flash, panel_line=line)


@require_POST
@track_time_required
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop the stay and price it on its sale (a new one if none), in one transaction."""
    priced: list[SaleLine | None] = []

    def act(*, actor: Actor, at) -> TimeLine:  # noqa: ANN001
        time_line, sale_line = stays.stop_and_price(time_line_id=pk, actor=actor, at=at)
        priced.append(sale_line)
        return time_line

    return _line_action(
        request,
        pk,
        act,
        lambda who: _priced(Flash("ok", _("%(who)s checked out.") % {"who": who}), priced[0]),
    )


@require_POST
@track_time_required
def link_sale(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the stay to an open or parked sale of its site (`sale` = its id), or to a new one (`new`)."""
    choice = request.POST.get("sale", "")
    linked: list[int] = []

    def act(*, actor: Actor, at) -> TimeLine:  # noqa: ANN001
        if choice != "new" and not choice.isdigit():
            raise TimetillError("unknown_sale", _("Choose a sale, or a new one."))
        sale = stays.link_time_line(
            time_line_id=pk, sale_id=None if choice == "new" else int(choice), actor=actor, at=at
        )
        linked.append(sale.pk)
        return line_service.get_line(actor, pk=pk)

    return _line_action(
        request,
        pk,
        act,
        lambda who: _("%(who)s: time line linked to sale %(sale)s.") % {"who": who, "sale": linked[0]},
    )


@require_POST
@track_time_required
def hide_paid(request: HttpRequest) -> HttpResponse:
    """Hide every stopped time line of the site whose sale is paid (each hide is in its audit trail)."""
    site = _site_of(request)
    try:
        hidden = stays.hide_lines_of_closed_sales(
            site_id=site.pk, actor=Actor.for_user(request.user), at=timezone.now()
        )
    except TimetillError as error:
        return _answer(request, site, Flash.of_error(error), status=error.status)
    text = (
        ngettext("%(count)s paid time line hidden.", "%(count)s paid time lines hidden.", hidden)
        % {"count": hidden}
        if hidden
        else _("Nothing to hide.")
    )
    return _answer(request, site, Flash("ok", text))


@require_POST
@track_time_required
def note(request: HttpRequest, pk: int) -> HttpResponse:
    text = request.POST.get("note", "")
    return _line_action(
        request,
        pk,
        lambda **kw: line_service.set_note(line_id=pk, note=text, **kw),
        _("Note saved for {who}."),
    )


@require_POST
@track_time_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    customer_pk = request.POST.get("customer", "")

    def act(*, actor: Actor, at) -> TimeLine:  # noqa: ANN001
        customer = _customer(customer_pk) if customer_pk else None
        return stays.assign_customer(time_line_id=pk, customer=customer, actor=actor, at=at)

    done = _("Time line assigned to {who}.") if customer_pk else _("Customer removed from the time line.")
    return _line_action(request, pk, act, done)


@require_POST
@track_time_required
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    hidden = _flag(request.POST.get("hidden"))
    unpaid_ok = _flag(request.POST.get("unpaid_ok"))  # the Hide button of a stay to pay asked first
    return _line_action(
        request,
        pk,
        lambda **kw: stays.hide_stay(time_line_id=pk, hidden=hidden, unpaid_ok=unpaid_ok, **kw),
        _("{who}: time line hidden.") if hidden else _("{who}: time line shown again."),
    )


def _typed_instant(
    text: str, shown: str, kept: datetime | None, tz: ZoneInfo, *, field: str, later: bool
) -> datetime | None:
    """A time typed in the form; the value the form showed, sent back untouched, is the instant it showed.

    The form shows minutes: reading "10:00" back would drop a scan's seconds and record a change nobody made.
    """
    text = text.strip()
    if not text:
        return None
    if text == shown and kept is not None and not later:
        return kept
    return parse_local(text, tz, field=field, second_occurrence=later)


@require_POST
@track_time_required
def edit_times(request: HttpRequest, pk: int) -> HttpResponse:
    """Start and end in the site's local time; an ambiguous time is its first occurrence unless asked.

    A stay priced on an open or parked sale is priced again; one paid on a closed sale keeps its times; one
    stopped by the correction is priced as any stop. A refused correction reopens the form with what was
    typed and the message beside it."""
    site = _site_of(request)
    actor = Actor.for_user(request.user)
    typed = {
        "start_value": request.POST.get("start", ""),
        "end_value": request.POST.get("end", ""),
        "reason_value": request.POST.get("reason", ""),
        "start_later": _flag(request.POST.get("start_later")),
        "end_later": _flag(request.POST.get("end_later")),
    }
    try:
        line = line_service.get_line(actor, pk=pk)
        tz = line.site.tz
        start = _typed_instant(
            typed["start_value"],
            format_for_input(line.start, tz),
            line.start,
            tz,
            field=_("Start"),
            later=typed["start_later"],
        )
        if start is None:
            raise TimetillError("missing_time", _("Start: give a date and a time."))
        end = _typed_instant(
            typed["end_value"],
            format_for_input(line.end, tz),
            line.end,
            tz,
            field=_("End"),
            later=typed["end_later"],
        )
        corrected = stays.edit_times_and_reprice(
            time_line_id=pk,
            start=start,
            end=end,
            reason=typed["reason_value"],
            actor=actor,
            at=timezone.now(),
        )
    except TimetillError as error:
        panel_line = line_service.visible_lines(actor).filter(pk=pk).first()
        form = {**typed, "open_edit": True, "times_error": error.message}
        return _answer(
            request, site, Flash.of_error(error), status=error.status, panel_line=panel_line, times_form=form
        )
    time_line = corrected.time_line
    who = time_line.customer.name if time_line.customer else (time_line.scanned_code or time_line.code)
    flash = _repriced(_("Times of {who} corrected.").format(who=who), corrected.sale_line)
    return _answer(request, time_line.site, flash, panel_line=time_line)
