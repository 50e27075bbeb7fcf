"""Changing a time line by hand: assign, note, stop, hide, edit times. Every change is audited."""

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from timetill.customers.models import Customer
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, TimeLine
from timetill.timelines.services import scan as scan_service
from timetill.timelines.services.clock import require_aware, require_not_before_site, require_not_future

MAX_NOTE_LENGTH = 500
MAX_REASON_LENGTH = 500


def visible_lines(actor: Actor) -> QuerySet[TimeLine]:
    """The lines an actor may see: all for staff, its site's for a device, their children's for a parent."""
    lines = TimeLine.objects.select_related("site", "customer", "customer__group")
    if actor.device is not None:
        return lines.filter(site=actor.device.site_id)
    allowed = actor.customer_ids()
    if allowed is not None:
        return lines.filter(customer_id__in=allowed)
    return lines


def get_line(actor: Actor, *, code: str | None = None, pk: int | None = None, lock: bool = False) -> TimeLine:
    lines = visible_lines(actor)
    if lock:
        lines = lines.select_for_update(of=("self",))
    line = lines.filter(code=code).first() if code is not None else lines.filter(pk=pk).first()
    if line is None:
        raise NotFound("unknown_time_line", _("No such time line."))
    return line


def _audit(
    line: TimeLine, actor: Actor, at: datetime, action: str, old: dict, new: dict, reason: str = ""
) -> None:
    AuditEntry.objects.create(
        time_line=line, action=action, at=at, old=old, new=new, reason=reason, **actor.audit_fields()
    )


def _iso(value: datetime | None) -> str | None:
    # The trail speaks UTC, like the database, whatever offset the caller used.
    return value.astimezone(UTC).isoformat() if value is not None else None


@transaction.atomic
def assign_customer(*, line_id: int, customer: Customer | None, actor: Actor, at: datetime) -> TimeLine:
    actor.require("track_time")
    line = get_line(actor, pk=line_id, lock=True)
    if line.invoiced:
        raise Conflict("invoiced", _("This time line is invoiced and can no longer change."))
    old = line.customer
    if old == customer:
        return line
    line.customer = customer
    try:
        with transaction.atomic():
            line.save(update_fields=["customer"])
    except IntegrityError as error:
        raise Conflict(
            "already_open",
            _("%(customer)s already has an open time line at %(site)s.")
            % {"customer": customer.name, "site": line.site.name},
        ) from error
    _audit(
        line,
        actor,
        at,
        "assign",
        {"customer": old.pk if old else None, "customer_name": old.name if old else None},
        {"customer": customer.pk if customer else None, "customer_name": customer.name if customer else None},
    )
    return line


@transaction.atomic
def set_note(*, line_id: int, note: str, actor: Actor, at: datetime) -> TimeLine:
    actor.require("track_time")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH or not is_plain_text(note):
        raise TimetillError(
            "invalid_note",
            _("A note is at most %(most)s printable characters.") % {"most": MAX_NOTE_LENGTH},
        )
    line = get_line(actor, pk=line_id, lock=True)
    if line.note != note:
        _audit(line, actor, at, "note", {"note": line.note}, {"note": note})
        line.note = note
        line.save(update_fields=["note"])
    return line


@transaction.atomic
def stop(*, line_id: int, actor: Actor, at: datetime) -> TimeLine:
    line = get_line(actor, pk=line_id, lock=True)
    actor.require_site(line.site)
    if actor.is_guardian_only:
        actor.require_customer(line.customer)
    else:
        actor.require("track_time")
    return scan_service.stop_line(line, actor=actor, end=at, at=at)


@transaction.atomic
def set_hidden(*, line_id: int, hidden: bool, actor: Actor, at: datetime) -> TimeLine:
    actor.require("track_time")
    line = get_line(actor, pk=line_id, lock=True)
    if hidden and line.end is None:
        raise Conflict("still_open", _("Stop the time line before hiding it."))
    if line.hidden != hidden:
        _audit(line, actor, at, "hide" if hidden else "unhide", {"hidden": line.hidden}, {"hidden": hidden})
        line.hidden = hidden
        line.save(update_fields=["hidden"])
    return line


def as_sent(sent: datetime, *, stored: datetime | None) -> datetime:
    """The stored instant when `sent` is that instant at the precision it was sent in (the API's answers
    give milliseconds, a client whole seconds, a form minutes): sending back what was shown changes
    nothing, and the audit shows no change nobody made."""
    if stored is None:
        return sent
    for truncate in _PRECISIONS:
        if truncate(sent) == sent and truncate(stored) == sent:
            return stored
    return sent


# From the finest to the coarsest: milliseconds, seconds, minutes (every offset is whole minutes).
_PRECISIONS = (
    lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000),
    lambda value: value.replace(microsecond=0),
    lambda value: value.replace(second=0, microsecond=0),
)


@transaction.atomic
def edit_times(
    *, line_id: int, start: datetime, end: datetime | None, reason: str, actor: Actor, at: datetime
) -> TimeLine:
    """Correct a stay's start and end: needs edit_times and a reason; kept in the audit trail."""
    actor.require("edit_times")
    reason = (reason or "").strip()
    if not reason:
        raise TimetillError(
            "reason_required", _("Say why the times change: the reason is kept in the audit trail.")
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise TimetillError(
            "invalid_reason",
            _("A reason is at most %(most)s characters.") % {"most": MAX_REASON_LENGTH},
        )
    require_aware(start, field="start")
    if end is not None:
        require_aware(end, field="end")
    line = get_line(actor, pk=line_id, lock=True)
    tz = line.site.tz  # a time typed in local time is told back in local time
    require_not_future(start, field="Start", now=at, tz=tz)
    if end is not None:
        require_not_future(end, field="End", now=at, tz=tz)
        if end < start:
            raise TimetillError("end_before_start", _("The end cannot be before the start."))
    # Nothing at a site is dated before it existed (a year-1 start would price a stay at millions).
    require_not_before_site(start, site=line.site, field="start")
    if line.invoiced:
        raise Conflict(
            "invoiced", _("This time line is invoiced; correct the invoice with a credit note instead.")
        )
    if end is None and line.end is not None:
        raise TimetillError("end_required", _("A stopped time line keeps an end; give the corrected end."))
    start = as_sent(start, stored=line.start)
    end = as_sent(end, stored=line.end) if end is not None else None
    if (line.start, line.end) == (start, end):
        return line
    old = {"start": _iso(line.start), "end": _iso(line.end)}
    # Instants in UTC, as a line read back from the database has them (an answer shows no client offset).
    start, end = start.astimezone(UTC), end.astimezone(UTC) if end is not None else None
    line.start, line.end = start, end
    fields = ["start", "end"]
    if old["end"] is None and end is not None:
        line.stopped_by, line.stopped_via, line.stopped_device = actor.user, actor.via, actor.device
        fields += ["stopped_by", "stopped_via", "stopped_device"]
    line.save(update_fields=fields)
    _audit(line, actor, at, "edit_times", old, {"start": _iso(start), "end": _iso(end)}, reason)
    return line
