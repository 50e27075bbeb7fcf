"""Revenue from time: the till's paid lines that price stays, by product and customer group; refunds count."""

from decimal import Decimal

from tests.conftest import PARIS, paris
from timetill.reports.periods import Period
from timetill.reports.revenue import revenue
from timetill.sales.services import PaymentSpec, close_sale, refund
from timetill.sales.stays import sale_id_of  # the link is on the till's side

D = Decimal


def day(d) -> Period:
    return Period(first=d, last=d, tz=PARIS)


def test_only_paid_time_counts_by_product_and_group(scene):
    found = revenue(site=scene.site, period=day(paris(2026, 3, 3).date()))
    assert [(r.name, r.gross) for r in found.by_product] == [("Parking", D("3.70"))]
    assert [(r.name, r.gross) for r in found.by_group] == [("Members", D("3.70"))]
    assert found.total.gross == D("3.70") and found.total.net + found.total.vat == D("3.70")
    assert found.sources == ("sales", "invoices", "credit_notes")


def test_a_later_payment_and_a_refund_fall_in_their_own_days(scene, cashier_actor):
    bruno_sale = sale_id_of(scene.lines["bruno"])
    close_sale(
        sale_id=bruno_sale,
        payments=[PaymentSpec("card", D("3.70"))],
        actor=cashier_actor,
        at=paris(2026, 3, 4, 9, 0),
    )
    back = refund(sale_id=sale_id_of(scene.lines["ana"]), actor=cashier_actor, at=paris(2026, 3, 4, 10, 0))
    close_sale(
        sale_id=back.pk,
        payments=[PaymentSpec("cash", D("-3.70"))],
        actor=cashier_actor,
        at=paris(2026, 3, 4, 10, 1),
    )
    wednesday = revenue(site=scene.site, period=day(paris(2026, 3, 4).date()))
    assert {r.name: r.gross for r in wednesday.by_group} == {"Visitors": D("3.70"), "Members": D("-3.70")}
    assert wednesday.total.gross == D("0.00")
    assert revenue(site=scene.site, period=day(paris(2026, 3, 3).date())).total.gross == D("3.70")
