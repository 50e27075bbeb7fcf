"""What the Timestamp and family pages show about time lines: elapsed time, local days, warnings, amounts."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import dateformat
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from timetill.customers.models import Customer
from timetill.formats import duration, money
from timetill.sales.models import Sale, SaleLine
from timetill.sales.stays import Charge, Due, amounts_due_so_far, charges_of, unpaid_message
from timetill.sites.localtime import local_date, local_day_bounds
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine
from timetill.timelines.services.lines import visible_lines


def hours_minutes(length: timedelta) -> str:
    """A length of time as "2 h 05" (``27 h 01`` past a day: a desk reads hours, not days)."""
    return duration(length)


@dataclass(frozen=True)
class LineRow:
    line: TimeLine
    elapsed: timedelta
    started_today: bool
    ended_today: bool = True  # a stopped stay of an earlier day shows its date
    warnings: list[str] = field(default_factory=list)
    due: Due | None = None  # an open stay: what it costs so far (its quote is None without a time product)
    charge: Charge | None = None  # a stopped stay: its line on its sale, if it has one
    # Worked out once per row in Python, not by template tags and filters (a pending list has hundreds).
    times_label: str = ""  # the site's local start ("14:05", or "Mon 01/12 14:05" another day), and end
    due_label: str = ""  # the amount due so far, written in the active language
    charge_label: str = ""  # the charge's amount
    detail_url: str = ""
    action_url: str = ""  # an open stay's Stop, a stopped stay's Hide

    @property
    def elapsed_label(self) -> str:
        return hours_minutes(self.elapsed)

    @property
    def group_name(self) -> str:
        customer = self.line.customer
        return customer.group.name if customer is not None and customer.group is not None else ""

    @property
    def who(self) -> str:
        line = self.line
        return line.customer.name if line.customer else (line.scanned_code or line.code)

    @property
    def unpaid_question(self) -> str:
        """The Hide button's question for a stay still to pay (empty when paid or not charged)."""
        if self.charge is None or self.charge.paid:
            return ""
        return unpaid_message(self.who, self.charge) + " " + _("Hide it anyway?")


def warnings_for(line: TimeLine, *, now: datetime) -> list[str]:
    """The warnings of an open line: a forgotten check-out (opened an earlier local day), an overlong stay."""
    site = line.site
    found = []
    opened_on = local_date(line.start, site.tz)
    if opened_on < local_date(now, site.tz):
        # The weekday in the page's language ("lun 07/12"), as the list writes its times.
        found.append(
            _("open since {day}: forgotten check-out?").format(day=dateformat.format(opened_on, "D d/m"))
        )
    if site.max_stay_minutes and now - line.start > timedelta(minutes=site.max_stay_minutes):
        found.append(_("over maximum stay"))
    return found


def url_maker(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for every row of a list: reversed once, then each row's pk put in."""
    marker = "4611686018427387904"  # no address of the site holds it by chance
    head, _, tail = reverse(name, args=[int(marker)]).partition(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _local(instant: datetime, tz, *, same_day: bool) -> str:
    """What the date filters wrote: "H:i", else "D d/m H:i" (the weekday in the active language)."""
    local = instant.astimezone(tz)
    if same_day:
        return f"{local:%H:%M}"
    return f"{WEEKDAYS_ABBR[local.weekday()]} {local:%d/%m %H:%M}"


def _row(
    line: TimeLine,
    now: datetime,
    *,
    due: Due | None = None,
    charge: Charge | None = None,
    detail_url: str = "",
    action_url: str = "",
) -> LineRow:
    tz = line.site.tz
    started_today = local_date(line.start, tz) == local_date(line.end or now, tz)
    ended_today = line.end is None or local_date(line.end, tz) == local_date(now, tz)
    if line.end is None:
        times = _local(line.start, tz, same_day=started_today)
    else:
        start = _local(line.start, tz, same_day=started_today and ended_today)
        times = f"{start} – {_local(line.end, tz, same_day=started_today)}"
    return LineRow(
        line=line,
        elapsed=(line.end or now) - line.start,
        started_today=started_today,
        ended_today=ended_today,
        warnings=warnings_for(line, now=now) if line.end is None else [],
        due=due,
        charge=charge,
        times_label=times,
        due_label=money(due.quote.total.amount, due.quote.currency) if due and due.quote else "",
        charge_label=money(charge.amount, charge.currency) if charge is not None else "",
        detail_url=detail_url,
        action_url=action_url,
    )


def pending_rows(*, site: Site, actor: Actor, now: datetime) -> list[LineRow]:
    """Every open line at the site, the longest-running first, with its amount due so far."""
    lines = list(visible_lines(actor).filter(site=site, end__isnull=True).order_by("start", "pk"))
    dues = amounts_due_so_far(time_lines=lines, now=now)  # one pass: no query per stay
    detail, stop = url_maker("timestamp-line"), url_maker("timestamp-stop")
    return [
        _row(line, now, due=dues.get(line.pk), detail_url=detail(line.pk), action_url=stop(line.pk))
        for line in lines
    ]


def _stopped_lines(*, site: Site, actor: Actor, now: datetime) -> QuerySet[TimeLine]:
    """The lines stopped during the site's local day, and those of earlier days still to pay.

    A stay that ended on an earlier day (a forgotten check-out corrected today, a stay nobody took the
    payment for) stays in the list while its sale is open or parked: out of sight it would be lost revenue.
    """
    day_start, day_end = local_day_bounds(local_date(now, site.tz), site.tz)
    unpaid = SaleLine.objects.filter(
        time_line=OuterRef("pk"),
        refund_of_line__isnull=True,
        sale__state__in=(Sale.State.OPEN, Sale.State.PARKED),
    )
    return visible_lines(actor).filter(
        Q(end__gte=day_start, end__lt=day_end) | Q(end__lt=day_start) & Exists(unpaid), site=site
    )


def stopped_rows(*, site: Site, actor: Actor, now: datetime, show_hidden: bool) -> list[LineRow]:
    """The lines stopped during the site's local day and the unpaid ones of earlier days, the latest first."""
    lines = _stopped_lines(site=site, actor=actor, now=now)
    if not show_hidden:
        lines = lines.filter(hidden=False)
    stopped = list(lines.select_related("sale_stay__sale").order_by("-end", "-pk"))  # the sale: its Pay link
    charges = charges_of(time_lines=stopped)  # one query for the whole list
    detail, hide = url_maker("timestamp-line"), url_maker("timestamp-hide")
    return [
        _row(line, now, charge=charges.get(line.pk), detail_url=detail(line.pk), action_url=hide(line.pk))
        for line in stopped
    ]


def hidden_count(*, site: Site, actor: Actor, now: datetime) -> int:
    return _stopped_lines(site=site, actor=actor, now=now).filter(hidden=True).count()


def open_lines_by_customer(*, site: Site, customers: list[Customer]) -> dict[int, TimeLine]:
    lines = TimeLine.objects.filter(site=site, customer__in=customers, end__isnull=True)
    return {line.customer_id: line for line in lines}


@dataclass(frozen=True)
class ChildCard:
    """A child on the family page: where they are now and their last stays."""

    customer: Customer
    open_line: TimeLine | None
    recent: list[LineRow]
    site: Site | None  # where the Check in button checks them in
    elapsed_label: str = ""


def family_cards(
    *, actor: Actor, now: datetime, default_site: Site | None, recent: int = 5
) -> list[ChildCard]:
    """The actor's children (their guardianships), each with state and recent stays."""
    children = Customer.objects.filter(guardians__user=actor.user).order_by("name").distinct()
    cards = []
    for child in children:
        lines: QuerySet[TimeLine] = visible_lines(actor).filter(customer=child)
        open_line = lines.filter(end__isnull=True).first()
        last = lines.order_by("-start").first()
        # Check in where the child was last seen: a family uses one daycare; a new child starts at the
        # parent's default site, or the first site. Only where parents check their children in.
        candidates = [last.site if last else None, default_site]
        site = next((s for s in candidates if s is not None and s.family_check_in), None)
        site = site or Site.objects.filter(family_check_in=True).order_by("name").first()
        stays = [_row(line, now) for line in lines.filter(end__isnull=False).order_by("-start")[:recent]]
        elapsed = hours_minutes(now - open_line.start) if open_line else ""
        cards.append(
            ChildCard(customer=child, open_line=open_line, recent=stays, site=site, elapsed_label=elapsed)
        )
    return cards


@dataclass(frozen=True)
class AuditRow:
    at: str  # in the site's zone
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (what, old, new), times shown in the site's zone
    reason: str


_ACTION_LABELS = {
    "assign": gettext_lazy("Customer"),
    "note": gettext_lazy("Note"),
    "stop": pgettext_lazy("what happened to a stay", "Stopped"),
    "hide": gettext_lazy("Hidden"),
    "unhide": gettext_lazy("Shown again"),
    "edit_times": gettext_lazy("Times corrected"),
}
# The names of what a history entry changed.
_CHANGE_LABELS = {
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "note": gettext_lazy("note"),
    "customer": gettext_lazy("customer"),
    "customer name": gettext_lazy("customer name"),
    "hidden": gettext_lazy("hidden"),
}


def _change_label(key: str) -> str:
    words = key.replace("_", " ")
    return str(_CHANGE_LABELS.get(words, words))


def _show(value: object, tz) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value).astimezone(tz).strftime("%d/%m %H:%M")
        except ValueError:
            return value
    return str(value)


def audit_rows(line: TimeLine) -> list[AuditRow]:
    """The line's audit trail, oldest first, readable: who, when, old → new, why."""
    tz = line.site.tz
    rows = []
    for entry in line.audit.all():
        who = entry.user_name or entry.device_name or _("system")  # as named when they acted
        keys = [k for k in (entry.new or {}) if k != "customer"] or list(entry.old or {})
        changes = [
            (_change_label(key), _show(entry.old.get(key), tz), _show(entry.new.get(key), tz))
            for key in keys
            # A correction records both times; the history names only the one that changed.
            if entry.action != "edit_times" or entry.old.get(key) != entry.new.get(key)
        ]
        rows.append(
            AuditRow(
                at=entry.at.astimezone(tz).strftime("%d/%m %H:%M"),
                who=who,
                action=str(_ACTION_LABELS.get(entry.action, entry.action)),
                changes=changes,
                reason=entry.reason,
            )
        )
    return rows
