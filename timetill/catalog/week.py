"""A picture of a tariff's week: its bands (rate tariffs) or its included hours (Daily Time), as coloured
stretches of each weekday, for the editor's preview."""

from typing import Any

from django.utils.translation import gettext as _

from timetill.catalog.tariff_forms import DAY_SHORT, WEEKDAYS

MINUTES_A_DAY = 24 * 60
COLOURS = 6  # band colours in the style sheet: .week-c0 … .week-c5


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _stretch(start: int, end: int, colour: str, title: str) -> dict[str, Any]:
    return {
        "left": f"{start * 100 / MINUTES_A_DAY:.3f}",
        "width": f"{(end - start) * 100 / MINUTES_A_DAY:.3f}",
        "colour": colour,
        "title": title,
    }


def week_picture(document: dict[str, Any]) -> dict[str, Any] | None:
    """{"days": [{"name", "stretches": [{left, width (percent of the day), colour, title}]}], "legend": […]};
    None when the tariff has nothing that depends on the time of day (a ladder, a rate without bands)."""
    days: dict[str, list[dict[str, Any]]] = {day: [] for day in WEEKDAYS}
    legend = []
    if document.get("kind") == "daily":
        for day, window in (document.get("included") or {}).items():
            if window:
                start, end = _minutes(window["from"]), _minutes(window["to"])
                title = f"{DAY_SHORT[day]} {window['from']}–{window['to']}"
                days[day].append(_stretch(start, end, "week-included", title))
        legend.append({"colour": "week-included", "name": _("Included hours")})
        legend.append({"colour": "week-extra", "name": _("Early or late (extra time)")})
        legend.append({"colour": "week-base", "name": _("Not included (an unplanned day)")})
    elif document.get("bands"):
        colours: dict[str, str] = {}  # bands of one name (a night split at midnight) share a colour
        for i, band in enumerate(document["bands"]):
            name = band.get("name") or _("Band {n}").format(n=i + 1)
            colour = colours.setdefault(name, f"week-c{len(colours) % COLOURS}")
            start, end = _minutes(band["from"]), _minutes(band["to"])
            if end <= start:
                end += MINUTES_A_DAY  # runs past midnight into the next day
            title = f"{name} {band['from']}–{band['to']}"
            for day in band.get("days") or WEEKDAYS:
                days[day].append(_stretch(start, min(end, MINUTES_A_DAY), colour, title))
                if end > MINUTES_A_DAY:
                    following = WEEKDAYS[(WEEKDAYS.index(day) + 1) % 7]
                    days[following].append(_stretch(0, end - MINUTES_A_DAY, colour, title))
            legend.append({"colour": colour, "name": name})
        legend.append({"colour": "week-base", "name": _("Other times: the base price")})
    else:
        return None
    unique = list({item["name"]: item for item in legend}.values())
    return {
        "days": [
            {
                "name": DAY_SHORT[day],
                "stretches": days[day],
                "bar": "week-extra" if document.get("kind") == "daily" and days[day] else "week-base",
            }
            for day in WEEKDAYS
        ],
        "legend": unique,
        "hours": [0, 6, 12, 18, 24],
        "daily": document.get("kind") == "daily",
    }
