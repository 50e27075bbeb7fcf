"""The one place where a scan becomes a time line: resolve the code, apply the policy, record the scan."""

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from timetill.customers.codes import CodeError, normalize_code
from timetill.customers.models import Customer
from timetill.errors import Conflict, Forbidden, NotFound, TimetillError
from timetill.sites.models import Site
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, Scan, TimeLine, looks_like_line_code
from timetill.timelines.services import rows
from timetill.timelines.services.clock import require_aware, require_plausible_scan_time

MAX_CLIENT_ID_LENGTH = 64
# A scan that loses a race to a unique constraint is replayed: the second pass sees the winner.
_ATTEMPTS = 4


@dataclass(frozen=True)
class ScanResult:
    outcome: str  # one of Scan.Outcome
    time_line: TimeLine
    scan: Scan
    replayed: bool = False  # True when the client id was seen before: nothing was changed

    @property
    def message(self) -> str:
        who = (
            self.time_line.customer.name
            if self.time_line.customer
            else _("Code %(code)s") % {"code": self.time_line.scanned_code}
        )
        # The site's wall-clock time, not UTC's.
        since = self.time_line.start.astimezone(self.time_line.site.tz)
        return {
            Scan.Outcome.STARTED: lambda: _("%(who)s checked in.") % {"who": who},
            Scan.Outcome.STOPPED: lambda: _("%(who)s checked out.") % {"who": who},
            Scan.Outcome.SHOWN: lambda: (
                _("%(who)s is here since %(time)s.") % {"who": who, "time": f"{since:%H:%M}"}
                if self.time_line.is_open
                else _("%(who)s: this time line is stopped.") % {"who": who}
            ),
            Scan.Outcome.BOUNCED: lambda: _("%(who)s: the same scan again, ignored.") % {"who": who},
        }[self.outcome]()


def scan(
    *,
    site: Site,
    code: str,
    actor: Actor,
    at: datetime,
    client_id: str | None = None,
    device_time: datetime | None = None,
    on_stop: Callable[[ScanResult], None] | None = None,
    stop_check: Callable[[Site, Customer], rows.Read] | None = None,
    answer: Callable[[ScanResult], dict] | None = None,
) -> ScanResult:
    """Scan `code` at `site`, received at `at` (and scanned at `device_time` if the device says so).

    `on_stop` runs inside the scan's transaction when the scan stops a line (the toggle policy): the till
    prices the stay there, so a check-out and its price commit together (timetill/sales/stays.py). The stop
    and its audit entry are written before it. `stop_check(site, customer)`, if given, is a read of one
    value, run with the scan's locked reads (no round trip of its own): whether `on_stop` has anything to do
    for the customer's open line. When it reads false, `on_stop` is not called, and the stop, its audit entry
    and the scan are written together.
    `answer` turns the result into what the caller answers (JSON-ready); with a client id it is kept on the
    scan, in the same transaction, and a retry with that id gets it back as it was (`ScanResult.answer`).
    Both run before the scan's own row is written (the last write of the transaction, so the row is written
    once): `result.scan.pk` is None there, and the answer cannot hold it; the caller adds it when answering.
    """
    actor.require_site(site)
    if not actor.has_right("track_time") and not actor.is_guardian_only:
        actor.require("track_time")
    try:
        code = normalize_code(code)
    except CodeError as error:
        raise TimetillError(error.code, error.message) from error
    client_id = _check_client_id(client_id)
    require_aware(at, field="at")
    for _attempt in range(_ATTEMPTS):
        # Reads that need no lock run before the write transaction: SQLite runs one writer at a time from
        # BEGIN IMMEDIATE, so the shorter the transaction, the more scans a second (bench/README.md). The
        # code's line or customer and the client id's earlier scan are read together (one round trip on
        # PostgreSQL), but the rights are checked first (they may have changed since the first time), then
        # the replay is answered: a client id answers only to the device or person who made it, so
        # another's id is simply unknown here.
        target, earlier = _resolve(site, code, actor, client_id)
        if earlier is not None:
            return earlier
        if device_time is not None:
            require_plausible_scan_time(device_time, site=site, now=at)
        try:
            with transaction.atomic():
                result, writes, to_stop = _scan_in_transaction(
                    site, code, target, actor, at, client_id, device_time, stop_check
                )
                if on_stop is not None and result.outcome == Scan.Outcome.STOPPED and to_stop:
                    writes.flush()  # the till reads the stopped line
                    on_stop(result)
                if answer is not None and client_id is not None:
                    # Worked out before the scan's row is written, so that the row is written once, with it.
                    result.scan.answer = answer(result)
                writes.inserts.append(result.scan)
                writes.flush()
                return result
        except IntegrityError:
            # Another scan won a race (the same client id, or a line opened meanwhile): look again.
            continue
    raise Conflict("busy", _("Too many scans of this code at once; please scan again."), status=503)


def _check_client_id(client_id: str | None) -> str | None:
    if client_id is None:
        return None
    client_id = client_id.strip()
    if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH or not is_plain_text(client_id):
        raise TimetillError(
            "invalid_client_id",
            _("client_id must be 1 to %(most)s printable characters.") % {"most": MAX_CLIENT_ID_LENGTH},
        )
    return client_id


@dataclass
class _Writes:
    """A scan's writes not yet sent: sent together, in one batch (one round trip on PostgreSQL)."""

    updates: list[tuple[TimeLine, list[str]]] = field(default_factory=list)
    inserts: list[Model] = field(default_factory=list)

    def flush(self) -> None:
        if self.updates or self.inserts:
            rows.write(updates=self.updates, inserts=self.inserts)
        self.updates, self.inserts = [], []


@dataclass(frozen=True)
class _Target:
    """What a code resolves to: a time line's own code, a customer's code, or neither (an unknown code)."""

    own_line: TimeLine | None = None
    customer: Customer | None = None


def _earlier_scan(site: Site, code: str, replay: tuple) -> ScanResult | None:
    """The answer already given to this client id, from its scan, line and customer (`rows.replay_read`): a
    committed scan is final, so no lock is needed."""
    earlier, line, customer = replay
    if earlier is None:
        return None
    if earlier.code != code:
        raise Conflict(
            "client_id_reused",
            _("client_id %(client_id)s was already used for another code.")
            % {"client_id": earlier.client_id},
        )
    line.site = site
    if line.customer_id is not None:
        line.customer = customer
    earlier.time_line = line
    return ScanResult(outcome=earlier.outcome, time_line=line, scan=earlier, replayed=True)


def _resolve(site: Site, code: str, actor: Actor, client_id: str | None) -> tuple[_Target, ScanResult | None]:
    """Resolve the code in PRODUCT.md's order: a time line's own code, a customer's code, else unknown; and
    the client id's earlier scan, if any, once the actor's rights on the code are checked."""
    # A time line's own code has one shape (TimeLine.code's default): other codes skip that lookup.
    by_line = looks_like_line_code(code)
    reads = [rows.customer_by_code_read(code)]
    if by_line:
        reads.append(rows.line_by_code_read(code))
    if client_id is not None:
        reads.append(rows.replay_read(site.pk, actor.client_scope, client_id))
    found = rows.batch(reads)
    (customer,) = found[0]
    own_line = found[1][0] if by_line else None
    replay = found[-1] if client_id is not None else (None, None, None)
    if own_line is not None and not _may_know(actor, own_line):
        # Another site's line, to a device, or another family's, to a parent: as if it did not exist.
        own_line = None
    if own_line is not None:
        if own_line.site_id != site.pk:
            raise TimetillError(
                "other_site",
                _("Time line %(code)s belongs to %(site)s.") % {"code": code, "site": own_line.site.name},
            )
        own_line.site = site
        actor.require_customer(own_line.customer)
        return _Target(own_line=own_line), _earlier_scan(site, code, replay)
    if customer is not None:
        actor.require_customer(customer)
    elif actor.is_guardian_only:
        raise Forbidden(
            "not_your_child", _("You can only check in and out the children you are a guardian of.")
        )
    return _Target(customer=customer), _earlier_scan(site, code, replay)


def _may_know(actor: Actor, line: TimeLine) -> bool:
    if not actor.may_see_site(line.site_id):
        return False
    allowed = actor.customer_ids()
    return allowed is None or line.customer_id in allowed


def _lock(site: Site, code: str, target: _Target) -> list[rows.Read]:
    """Serialise the scans that could race: of one customer (any of their codes), or of one unknown code.

    PostgreSQL only: SQLite's IMMEDIATE transactions already run one writer at a time. The lock is the first
    statement of the transaction's first batch; each later statement of the batch reads with a snapshot of
    its own, taken once the lock is held."""
    if connection.vendor != "postgresql":
        return []
    if target.customer is not None:
        # Lock late and once: the customer's row, whatever code or scanner reads them.
        return [rows.lock_customer_read(target.customer.pk)]
    key = zlib.crc32(code.encode()) - 2**31  # the two-int advisory lock takes signed 32-bit ints
    return [rows.lock_code_read(site.pk, key)]


def _scan_in_transaction(
    site: Site,
    code: str,
    target: _Target,
    actor: Actor,
    at: datetime,
    client_id: str | None,
    device_time: datetime | None,
    stop_check: Callable[[Site, Customer], rows.Read] | None = None,
) -> tuple[ScanResult, _Writes, bool]:
    """The scan's outcome, the writes it needs (not yet sent: the scan's row joins them) and, for a stop,
    whether `stop_check` found anything to do (True without one)."""
    when = device_time or at
    own_line, customer = target.own_line, target.customer
    writes = _Writes()
    # The lock, the bounce window's scan, the open line, what a stop would have to do and a new line's id:
    # one batch (one round trip on PostgreSQL).
    reads = _lock(site, code, target)
    window = timedelta(seconds=site.bounce_seconds)
    at_bounce = at_line = at_check = at_id = None
    if window:
        at_bounce = len(reads)
        reads.append(rows.bounce_read(site.pk, code, when - window, when + window))
    if own_line is None:
        at_line = len(reads)
        if customer is not None:
            reads.append(rows.open_line_of_customer_read(site.pk, customer.pk))
            toggle_site = site.existing_line_policy == Site.ExistingLinePolicy.TOGGLE
            if stop_check is not None and toggle_site and rows.batches():
                at_check = len(reads)
                reads.append(stop_check(site, customer))
        else:
            reads.append(rows.open_line_of_code_read(site.pk, code))
        if rows.reserves_ids():
            at_id = len(reads)
            reads.append(rows.next_line_id_read())
    found = rows.batch(reads)
    bounced, bounced_line = found[at_bounce] if at_bounce is not None else (None, None)

    def record(outcome: str, line: TimeLine) -> tuple[ScanResult, _Writes, bool]:
        if outcome != Scan.Outcome.STOPPED or stop_check is None:
            to_stop = True
        elif at_check is not None:
            to_stop = bool(found[at_check][0])
        else:
            # Statements one by one (SQLite, one writer at a time): asked only when the scan stops a line.
            to_stop = bool(rows.batch([stop_check(site, customer)])[0][0])
        return _record(site, code, actor, at, client_id, device_time, when, outcome, line), writes, to_stop

    if bounced is not None:
        line = bounced_line
        line.site = site
        if customer is not None and line.customer_id == customer.pk:
            line.customer = customer
        return record(Scan.Outcome.BOUNCED, line)

    if own_line is not None:
        return record(Scan.Outcome.SHOWN, own_line)

    (line,) = found[at_line]
    if line is not None:
        line.site, line.customer = site, customer  # what the filter matched: no query to read them again
        # A scan made before the open line began (a late-synced device, or a scanner that lost the race for
        # the lock after its receipt time was taken) cannot be its check-out: it only shows the line.
        toggles = site.existing_line_policy == Site.ExistingLinePolicy.TOGGLE and when >= line.start
        if customer is not None and toggles:
            entry = _stop(line, actor=actor, end=when, at=at)
            writes.updates.append((line, list(_STOP_FIELDS)))
            writes.inserts.append(entry)
            return record(Scan.Outcome.STOPPED, line)
        return record(Scan.Outcome.SHOWN, line)

    if customer is None and site.unknown_code_policy == Site.UnknownCodePolicy.REFUSE:
        raise NotFound(
            "unknown_code", _("The code %(code)s belongs to no customer and no time line.") % {"code": code}
        )
    line = _new_line(
        site=site, customer=customer, scanned_code="" if customer else code, actor=actor, start=when
    )
    if at_id is not None:
        # Its id known beforehand: the line is written with the scan, in one batch.
        (line.pk,) = found[at_id]
        writes.inserts.append(line)
    else:
        rows.insert(line)  # its id, from its row, goes into the scan's
    return record(Scan.Outcome.STARTED, line)


def _record(
    site: Site,
    code: str,
    actor: Actor,
    at: datetime,
    client_id: str | None,
    device_time: datetime | None,
    when: datetime,
    outcome: str,
    line: TimeLine,
) -> ScanResult:
    # Written by scan(), last: its answer is known only once the rest of the scan is done.
    row = Scan(
        site=site,
        code=code,
        client_id=client_id,
        client_scope=actor.client_scope if client_id is not None else "",
        user=actor.user,
        device=actor.device,
        via=actor.via,
        device_time=device_time,
        received_at=at,
        scanned_at=when,
        outcome=outcome,
        time_line=line,
    )
    return ScanResult(outcome=outcome, time_line=line, scan=row)


def start_line(
    *, site: Site, customer: Customer | None, scanned_code: str, actor: Actor, start: datetime, note: str = ""
) -> TimeLine:
    """Open a time line. Callers hold the customer's lock; the database constraint backs it up (callers retry
    the whole transaction on an IntegrityError, so no savepoint is needed)."""
    with transaction.atomic(savepoint=False):
        return rows.insert(
            _new_line(
                site=site, customer=customer, scanned_code=scanned_code, actor=actor, start=start, note=note
            )
        )


def _new_line(
    *, site: Site, customer: Customer | None, scanned_code: str, actor: Actor, start: datetime, note: str = ""
) -> TimeLine:
    return TimeLine(
        site=site,
        customer=customer,
        scanned_code=scanned_code,
        start=start,
        note=note,
        started_by=actor.user,
        started_via=actor.via,
        started_device=actor.device,
    )


_STOP_FIELDS = ("end", "stopped_by", "stopped_via", "stopped_device")


def stop_line(line: TimeLine, *, actor: Actor, end: datetime, at: datetime) -> TimeLine:
    entry = _stop(line, actor=actor, end=end, at=at)
    # The stop and its audit entry in one batch (one round trip on PostgreSQL), in the caller's transaction.
    rows.write(updates=[(line, list(_STOP_FIELDS))], inserts=[entry])
    return line


def _stop(line: TimeLine, *, actor: Actor, end: datetime, at: datetime) -> AuditEntry:
    """Stop the line in memory, and the audit entry that says so: the caller writes both."""
    if line.end is not None:
        raise Conflict("already_stopped", _("This time line is already stopped."))
    if end < line.start:
        raise TimetillError("end_before_start", _("The end cannot be before the start."))
    line.end = end
    line.stopped_by = actor.user
    line.stopped_via = actor.via
    line.stopped_device = actor.device
    return AuditEntry(
        time_line=line,
        action="stop",
        at=at,
        old={"end": None},
        new={"end": end.astimezone(UTC).isoformat()},
        **actor.audit_fields(),
    )


def check_in(*, site: Site, customer: Customer, actor: Actor, at: datetime) -> TimeLine:
    """Start a time line for a customer by hand (a search result, a parent's button)."""
    actor.require_site(site)
    actor.require_customer(customer)
    if not actor.is_guardian_only:
        actor.require("track_time")
    require_aware(at, field="at")
    for _attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    rows.batch([rows.lock_customer_read(customer.pk)])  # the scan's own lock
                open_line = TimeLine.objects.filter(site=site, customer=customer, end__isnull=True).first()
                if open_line is not None:
                    raise Conflict(
                        "already_open",
                        _("%(customer)s is already checked in here.") % {"customer": customer.name},
                    )
                return start_line(site=site, customer=customer, scanned_code="", actor=actor, start=at)
        except IntegrityError:
            continue
    raise Conflict("busy", _("Too many check-ins at once; please try again."), status=503)
