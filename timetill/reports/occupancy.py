"""Occupancy of a site over a period: the rate per hour, day or week, the peak, the average stay.

The rate of a slice of time is the time occupied ÷ (capacity × open time). Everything is exact to the second
and counted in UTC (a DST day lasts 23 or 25 hours); open stays count up to now.

How it stays fast over a year of a million stays: let F(t) be the time occupied by all stays from the
beginning up to the instant t. Then F(t) = Σ over stays started before t of (t − start) − Σ over stays ended
before t of (t − end) = t·N_start(t) − S_start(t) − t·N_end(t) + S_end(t), where N is a count and S a sum of
epochs. The time occupied between two instants a and b is F(b) − F(a). The database groups the starts and
the ends into slices of g seconds (g divides every boundary the report needs: hours, days, opening hours),
returning counts and sums; prefix sums of those few thousand rows give F at every boundary. The peak is
bounded per slice by the same counts, and only the slices that could hold it are read event by event.
"""

# ruff: noqa: S608  (tables and columns come from the models, values are parameters)

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from math import gcd

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.errors import TimetillError
from timetill.reports.epochs import db_instant, epoch_of, epoch_sql, instant_of, table
from timetill.reports.periods import Period
from timetill.sites.hours import parse_opening_hours
from timetill.sites.localtime import local_day_bounds
from timetill.sites.models import Site

BUCKETS = {"hour": gettext_lazy("Hour"), "day": gettext_lazy("Day"), "week": gettext_lazy("Week")}
HOUR = 3600


class OccupancyError(TimetillError):
    pass


@dataclass(frozen=True)
class Slice:
    """One hour, day or week of the report (a partial one when the period runs up to now)."""

    start: datetime  # UTC
    end: datetime
    occupied_seconds: int  # within opening hours
    open_seconds: int
    capacity: int

    @property
    def rate(self) -> Decimal | None:
        """Occupied ÷ (capacity × open time), four decimals (0.2512 is 25.12 %); None when closed."""
        if not self.open_seconds:
            return None
        return _ratio(self.occupied_seconds, self.capacity * self.open_seconds)

    @property
    def average_present(self) -> Decimal | None:
        """How many were there on average while open."""
        if not self.open_seconds:
            return None
        return _ratio(self.occupied_seconds, self.open_seconds, places=2)


@dataclass(frozen=True)
class Summary:
    """A whole period: its rate, its peak and when, its stays and their average length."""

    period: Period
    capacity: int
    occupied_seconds: int
    open_seconds: int
    outside_hours_seconds: int  # time occupied while the site was closed (not in the rate)
    peak: int
    peak_at: datetime | None  # UTC: the first instant the peak was reached
    stays: int  # stays that started in the period
    average_stay_seconds: int | None
    measured_until: datetime  # the period's end, or now when it has not ended yet

    @property
    def rate(self) -> Decimal | None:
        if not self.open_seconds:
            return None
        return _ratio(self.occupied_seconds, self.capacity * self.open_seconds)


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # 0 = Monday
    hour: int  # local hour of the day
    occupied_seconds: int
    open_seconds: int
    capacity: int

    @property
    def rate(self) -> Decimal | None:
        if not self.open_seconds:
            return None
        return _ratio(self.occupied_seconds, self.capacity * self.open_seconds)


@dataclass(frozen=True)
class Occupancy:
    site: Site
    bucket: str
    summary: Summary
    previous: Summary
    slices: tuple[Slice, ...]
    heat: tuple[HeatCell, ...] = field(default=())

    @property
    def peak_slice(self) -> Slice | None:
        at = self.summary.peak_at
        if at is None:
            return None
        return next((s for s in self.slices if s.start <= at < s.end), None)


def _ratio(numerator: int, denominator: int, *, places: int = 4) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1).scaleb(-places))


# -- the period's boundaries ---------------------------------------------------------------------------------


def _days(period: Period) -> list[date]:
    return [period.first + timedelta(days=n) for n in range(period.days)]


def _slice_bounds(period: Period, bucket: str, until: int) -> list[tuple[int, int]]:
    """(start, end) epochs of each hour, day or week, cut at `until`."""
    bounds: list[tuple[int, int]] = []
    if bucket == "week":
        week_start = epoch_of(period.start)
        for day in _days(period):
            day_end = epoch_of(local_day_bounds(day, period.tz)[1])
            if day.weekday() == 6 or day == period.last:
                bounds.append((week_start, day_end))
                week_start = day_end
    else:
        for day in _days(period):
            day_start, day_end = (epoch_of(instant) for instant in local_day_bounds(day, period.tz))
            if bucket == "day":
                bounds.append((day_start, day_end))
            else:
                # A local hour is 3,600 s of UTC from local midnight: 23 on the spring day, 25 in autumn.
                bounds.extend((t, min(t + HOUR, day_end)) for t in range(day_start, day_end, HOUR))
    return [(start, min(end, until)) for start, end in bounds if start < until]


def _open_windows(site: Site, period: Period, until: int) -> list[tuple[int, int]]:
    """The site's opening hours in the period as (start, end) epochs; all of it when it never closes."""
    hours = parse_opening_hours(site.opening_hours)
    start = epoch_of(period.start)
    if hours is None:
        return [(start, until)]
    windows = []
    for day in _days(period):
        day_start, day_end = local_day_bounds(day, period.tz)
        for window in hours[day.weekday()]:
            # A wall time skipped by the spring-forward gap maps to the instant after the gap.
            opens = epoch_of(datetime.combine(day, window.start, tzinfo=period.tz))
            closes = (
                epoch_of(day_end)
                if window.end is None
                else epoch_of(datetime.combine(day, window.end, tzinfo=period.tz))
            )
            opens, closes = max(opens, epoch_of(day_start)), min(closes, until)
            if opens < closes:
                windows.append((opens, closes))
    return windows


def _overlap(windows: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(max(a, start), min(b, end)) for a, b in windows if a < end and b > start]


# -- the database's part -------------------------------------------------------------------------------------


class _Presence:
    """F(t), the count present just before t, and the exact peak, for one site between `start` and `until`."""

    def __init__(self, *, site_id: int, start: int, until: int, now: int, points: set[int]) -> None:
        self.site_id, self.start, self.until, self.now = site_id, start, until, now
        offsets = [t - start for t in points if start < t < until]
        # A minute, or less when a boundary needs it; the peak is bounded minute by minute.
        self.granule = gcd(*offsets, until - start, 60)
        self.size = -(-(until - start) // self.granule)
        self._read()

    def _read(self) -> None:
        table_name, site, start, end = table()
        select = (
            f"SELECT {epoch_sql(start)}, {epoch_sql(f'COALESCE({end}, %s)')} FROM {table_name} "
            f"WHERE {site} = %s"
        )
        now, p0, p1 = (db_instant(instant_of(t)) for t in (self.now, self.start, self.until))
        n, g, origin, until = self.size, self.granule, self.start, self.until
        starts_n, starts_sum, ends_n, ends_sum = [0] * n, [0] * n, [0] * n, [0] * n
        stays = ends_total = 0
        with connection.cursor() as cursor:
            # The stays that start in the period, in one pass over integers and in chunks (bounded memory);
            # an open stay has lasted until now.
            cursor.execute(f"{select} AND {start} >= %s AND {start} < %s", [now, self.site_id, p0, p1])
            while chunk := cursor.fetchmany(20_000):
                stays += len(chunk)
                for s, e in chunk:
                    k = (s - origin) // g
                    starts_n[k] += 1
                    starts_sum[k] += s
                    ends_total += e
                    if e < until:
                        k = (e - origin) // g
                        ends_n[k] += 1
                        ends_sum[k] += e
            self.stay_seconds = ends_total - sum(starts_sum)
            # And those already there when it starts: read through the index on the end, not the whole past.
            before_n = before_sum = 0
            for condition in (f"{end} > %s", f"{end} IS NULL"):
                cursor.execute(
                    f"{select} AND {start} < %s AND {condition}",
                    [now, self.site_id, p0] + ([p0] if "%s" in condition else []),
                )
                for s, e in cursor.fetchall():
                    before_n += 1
                    before_sum += s
                    if e < until:
                        k = (e - origin) // g
                        ends_n[k] += 1
                        ends_sum[k] += e
        self.starts_n, self.before_n, self.stays = starts_n, before_n, stays
        # Prefix sums: index k holds the stays started (ended) before the k-th slice boundary.
        self.ns, self.ss = (
            list(accumulate(starts_n, initial=before_n)),
            list(accumulate(starts_sum, initial=before_sum)),
        )
        self.ne, self.se = list(accumulate(ends_n, initial=0)), list(accumulate(ends_sum, initial=0))

    def _index(self, t: int) -> int:
        if t >= self.until:
            return self.size
        offset = t - self.start
        assert offset % self.granule == 0, "every boundary is on a slice"
        return offset // self.granule

    def occupied_until(self, t: int) -> int:
        """F(t): seconds occupied by every stay up to the instant t."""
        k = self._index(t)
        return t * self.ns[k] - self.ss[k] - t * self.ne[k] + self.se[k]

    def occupied(self, windows: list[tuple[int, int]]) -> int:
        return sum(self.occupied_until(b) - self.occupied_until(a) for a, b in windows)

    def peak(self) -> tuple[int, int | None]:
        """The most present at once, and the first instant it was reached (epoch), None when nobody came."""
        if not any(self.starts_n) and self.before_n == 0:
            return 0, None
        present = [self.ns[k] - self.ne[k] for k in range(self.size)]  # just before each slice begins
        # The most a slice can hold: whoever was there as it began, plus whoever came during it. Slices are
        # read event by event from the most promising down, until none could beat (or tie earlier) the best.
        bounds = [present[k] + self.starts_n[k] for k in range(self.size)]
        # Someone was there just before each boundary: the peak is at least the most of those.
        floor = max(present[1:] + [self.ns[-1] - self.ne[-1]])
        candidates = [k for k in range(self.size) if bounds[k] >= floor]
        best, best_at = -1, None
        for k in sorted(candidates, key=lambda k: (-bounds[k], k)):
            if bounds[k] < best:
                break
            if bounds[k] == best and best_at is not None and self._at(k) >= best_at:
                continue
            value, at = self._sweep(k, present[k])
            if value > best or (value == best and (best_at is None or at < best_at)):
                best, best_at = value, at
        return best, best_at

    def _at(self, k: int) -> int:
        return self.start + k * self.granule

    def _sweep(self, k: int, present: int) -> tuple[int, int]:
        """Walk one slice's arrivals and departures in order (departures first at a shared instant)."""
        low, high = self._at(k), min(self._at(k + 1), self.until)
        table_name, site, start, end = table()
        events: defaultdict[int, int] = defaultdict(int)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {epoch_sql(start)}, {epoch_sql(f'COALESCE({end}, %s)')} FROM {table_name} "
                f"WHERE {site} = %s AND {start} >= %s AND {start} < %s",
                [
                    db_instant(instant_of(self.until)),
                    self.site_id,
                    db_instant(instant_of(low)),
                    db_instant(instant_of(high)),
                ],
            )
            for s, e in cursor.fetchall():
                if e > s:  # a stay of no time is never present
                    events[s] += 1
            cursor.execute(
                f"SELECT {epoch_sql(start)}, {epoch_sql(end)} FROM {table_name} "
                f"WHERE {site} = %s AND {end} >= %s AND {end} < %s",
                [self.site_id, db_instant(instant_of(low)), db_instant(instant_of(high))],
            )
            for s, e in cursor.fetchall():
                if e > s:
                    events[e] -= 1
        best, best_at = present, low
        if low in events:
            best = -1  # the count at the slice's first instant is the one after its events
        for instant in sorted(events):
            present += events[instant]
            if present > best:
                best, best_at = present, instant
        return best, best_at


# -- the report ----------------------------------------------------------------------------------------------


def _summary(
    site: Site, period: Period, *, at: datetime, until: int, presence: _Presence | None = None
) -> Summary:
    start = epoch_of(period.start)
    windows = _open_windows(site, period, until)
    if presence is None:
        # Hours too: the peak is looked for slice by slice, and a slice must stay small.
        points = {
            t for bounds in (windows, _slice_bounds(period, "hour", until)) for pair in bounds for t in pair
        }
        presence = _Presence(site_id=site.pk, start=start, until=until, now=epoch_of(at), points=points)
    occupied = presence.occupied(windows)
    peak, peak_at = presence.peak()
    return Summary(
        period=period,
        capacity=site.capacity,
        occupied_seconds=occupied,
        open_seconds=sum(b - a for a, b in windows),
        outside_hours_seconds=presence.occupied([(start, until)]) - occupied,
        peak=peak,
        peak_at=instant_of(peak_at) if peak_at is not None else None,
        stays=presence.stays,
        average_stay_seconds=presence.stay_seconds // presence.stays if presence.stays else None,
        measured_until=instant_of(until),
    )


def occupancy(*, site: Site, period: Period, bucket: str, at: datetime) -> Occupancy:
    """The occupancy of `site` in `period`, sliced by `bucket` (hour, day, week), as it stands at `at`."""
    if bucket not in BUCKETS:
        raise OccupancyError(
            "invalid_bucket", _("“%(bucket)s” is not hour, day or week.") % {"bucket": bucket[:20]}
        )
    if period.tz.key != site.time_zone:
        period = Period(first=period.first, last=period.last, tz=site.tz)
    start, now = epoch_of(period.start), epoch_of(at)
    until = min(epoch_of(period.end), now)
    if until <= start:
        raise OccupancyError(
            "period_not_started",
            _("The period has not started yet: nothing to measure before %(day)s.")
            % {"day": period.first.strftime("%d/%m/%Y")},
        )
    windows = _open_windows(site, period, until)
    hours = _slice_bounds(period, "hour", until)
    slices = hours if bucket == "hour" else _slice_bounds(period, bucket, until)
    points = {t for bounds in (windows, hours, slices) for pair in bounds for t in pair}
    presence = _Presence(site_id=site.pk, start=start, until=until, now=now, points=points)

    def slice_of(a: int, b: int) -> Slice:
        inside = _overlap(windows, a, b)
        return Slice(
            start=instant_of(a),
            end=instant_of(b),
            occupied_seconds=presence.occupied(inside),
            open_seconds=sum(y - x for x, y in inside),
            capacity=site.capacity,
        )

    hour_slices = [slice_of(a, b) for a, b in hours]
    heat: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for hour in hour_slices:
        local = hour.start.astimezone(period.tz)
        cell = heat[(local.weekday(), local.hour)]
        cell[0] += hour.occupied_seconds
        cell[1] += hour.open_seconds
    previous = period.previous()
    return Occupancy(
        site=site,
        bucket=bucket,
        summary=_summary(site, period, at=at, until=until, presence=presence),
        previous=_summary(site, previous, at=at, until=min(epoch_of(previous.end), now)),
        slices=tuple(hour_slices if bucket == "hour" else (slice_of(a, b) for a, b in slices)),
        heat=tuple(
            HeatCell(weekday=w, hour=h, occupied_seconds=o, open_seconds=op, capacity=site.capacity)
            for (w, h), (o, op) in sorted(heat.items())
        ),
    )
