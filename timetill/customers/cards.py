"""Printable member cards: an EAN-13 code as an EAN-13 barcode (python-barcode), any other code as a QR code
(segno), to cut out and scan."""

from dataclasses import dataclass

import segno
from barcode import EAN13
from barcode.writer import SVGWriter
from django.db.models import QuerySet

from timetill.customers.codes import is_valid_ean13
from timetill.customers.models import Code, Customer
from timetill.svg import for_the_policy


@dataclass(frozen=True)
class Card:
    customer: str
    group: str
    code: str
    kind: str
    qr_svg: str  # inline SVG markup: the QR code, or the EAN-13 barcode of an EAN-13 code
    is_barcode: bool = False


def qr_svg(value: str) -> str:
    # make_qr, never Micro QR: phone cameras and most 2D readers do not read Micro QR.
    return segno.make_qr(value, error="m").svg_inline(scale=4, border=2, dark="#111")


def ean13_svg(value: str) -> str:
    """An EAN-13 barcode as inline SVG, with its digits printed under the bars as a reader expects."""
    svg = EAN13(value, writer=SVGWriter()).render(
        {"module_width": 0.5, "module_height": 18.0, "font_size": 9, "text_distance": 4.0, "quiet_zone": 3.0}
    )
    text = svg.decode("utf-8")
    # Inline: without the XML declaration and doctype, and its style attributes made SVG attributes.
    return for_the_policy(text[text.index("<svg") :])


def card_image(value: str, kind: str) -> tuple[str, bool]:
    if kind == Code.Kind.EAN13 and is_valid_ean13(value):
        return ean13_svg(value), True
    return qr_svg(value), False


def cards_for(customers: QuerySet[Customer]) -> list[Card]:
    return [
        Card(
            customer=c.name,
            group=c.group.name if c.group else "",
            code=code.value,
            kind=code.get_kind_display(),
            qr_svg=image,
            is_barcode=is_barcode,
        )
        for c in customers.select_related("group").prefetch_related("codes")
        for code in c.codes.all()
        for image, is_barcode in [card_image(code.value, code.kind)]
    ]
