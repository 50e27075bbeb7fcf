"""Printable member cards: each customer's codes as QR codes (segno), to cut out and scan."""

from dataclasses import dataclass

import segno
from django.db.models import QuerySet

from timetill.customers.models import Customer


@dataclass(frozen=True)
class Card:
    customer: str
    group: str
    code: str
    kind: str
    qr_svg: str  # inline SVG markup


def qr_svg(value: str) -> str:
    # make_qr, never Micro QR: phone cameras and most 2D readers do not read Micro QR.
    return segno.make_qr(value, error="m").svg_inline(scale=4, border=2, dark="#111")


def cards_for(customers: QuerySet[Customer]) -> list[Card]:
    return [
        Card(
            customer=c.name,
            group=c.group.name if c.group else "",
            code=code.value,
            kind=code.get_kind_display(),
            qr_svg=qr_svg(code.value),
        )
        for c in customers.select_related("group").prefetch_related("codes")
        for code in c.codes.all()
    ]
