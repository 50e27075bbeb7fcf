"""The occupancy charts as SVG drawn on the server: pygal's line chart (no script: it would load from the
web) and a weekday × hour heat map written as plain SVG rectangles."""

import pygal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pygal.style import Style

from timetill.reports.occupancy import Occupancy
from timetill.svg import for_the_policy

WEEKDAYS = tuple(gettext_lazy(day) for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
_STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1",
    colors=("#2563eb", "#dc2626", "#f59e0b"),
    font_family="system-ui, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    value_font_size=13,
    tooltip_font_size=14,
)


def slice_label(occupancy: Occupancy, index: int) -> str:
    start = occupancy.slices[index].start.astimezone(occupancy.site.tz)
    if occupancy.bucket == "hour":
        return start.strftime("%d/%m %H:%M")
    return start.strftime("%d/%m")


def occupancy_chart(occupancy: Occupancy, *, nonce: str) -> str:
    """Average present per slice, the capacity line, and the peak marked where it happened. `nonce` is the
    page's Content-Security-Policy nonce, for the chart's own <style>."""
    chart = pygal.Line(
        style=_STYLE,
        width=960,
        height=420,
        js=(),  # pygal's tooltips script lives on a web server: none, the chart stays offline
        disable_xml_declaration=True,
        show_dots=False,
        dots_size=6,
        fill=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_count=8,
        truncate_label=-1,
        legend_at_bottom=True,
        range=(0, max(occupancy.site.capacity, occupancy.summary.peak) * 1.1),
        include_x_axis=True,
        margin=10,
    )
    chart.title = _("Present on average, against the capacity")
    slices = occupancy.slices
    chart.x_labels = [slice_label(occupancy, i) for i in range(len(slices))]
    chart.add(_("Present on average"), [float(s.average_present or 0) for s in slices])
    chart.add(
        _("Capacity"), [occupancy.site.capacity] * len(slices), fill=False, stroke_style={"dasharray": "8,6"}
    )
    peak_slice = occupancy.peak_slice
    if peak_slice is not None:
        marks = [None] * len(slices)
        marks[slices.index(peak_slice)] = occupancy.summary.peak
        chart.add(
            _("Peak: %(count)d at once") % {"count": occupancy.summary.peak},
            marks,
            show_dots=True,
            fill=False,
        )
    # Without the config script pygal always writes for its tooltips (not loaded, see js=() above): an
    # inline script the page's policy refuses, and that does nothing.
    return for_the_policy(chart.render(is_unicode=True), nonce=nonce)


def heat_colour(rate) -> str:
    """White (empty) to deep blue (full); grey when closed."""
    if rate is None:
        return "#e5e7eb"
    share = min(float(rate), 1.0)
    # From #eff6ff to #1e3a8a.
    low, high = (0xEF, 0xF6, 0xFF), (0x1E, 0x3A, 0x8A)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))
