"""The monthly run: the packages' monthly lines of M, the extra time of M−1 priced by the engine, splits,
proration, forgotten check-outs, refreshing, and never billing a period twice."""

from datetime import date
from decimal import Decimal

import pytest

from timetill.errors import TimetillError
from timetill.invoicing.models import Invoice, InvoiceLine, InvoiceRun
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR

NOVEMBER = parse_month("2026-11")
RUN_AT = paris(2026, 11, 2, 9, 0)


def run(site, month=NOVEMBER, at=RUN_AT):
    return run_month(site_id=site.pk, month=month, actor=OPERATOR, at=at)


def lines_of(invoice):
    return [(line.description, line.detail, line.gross) for line in invoice.lines.all()]


def test_product_week_is_billed_on_the_next_months_invoice_with_its_period_and_detail(
    daycare, make_family, package, make_enrolment, product_week
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    summary = run(daycare)
    invoice = Invoice.objects.get()
    assert invoice.state == "draft" and invoice.month == date(2026, 11, 1)
    assert lines_of(invoice) == [
        ("Monthly fee", "", Decimal("440.000")),
        ("Extra Hours for the period 01/10/2026–31/10/2026", "", Decimal("38.000")),
    ]
    assert invoice.gross == Decimal("478.00")
    assert (summary.families, summary.invoices, summary.total) == (1, 1, Decimal("478.00"))
    extra = invoice.lines.get(kind="extra_time")
    assert (extra.period_start, extra.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert [(d["date"], d["arrival"], d["departure"], d["amount"]) for d in extra.explanation["days"]] == [
        ("2026-10-05", "08:00", "16:10", "0.00"),
        ("2026-10-06", "08:00", "16:11", "5.00"),
        ("2026-10-07", "07:40", "16:00", "3.00"),
        ("2026-10-08", "08:05", "16:40", "10.00"),
        ("2026-10-09", "09:00", "12:00", "20.00"),
    ]
    assert extra.explanation["total"] == "38.00"
    assert any(line["code"] == "unplanned_day" for line in extra.explanation["lines"])


def test_the_period_can_be_left_out_of_the_line(
    daycare, make_family, package, make_enrolment, product_week, products
):
    products["extra"].invoice_shows_period = False
    products["extra"].description = "(extra hours)"
    products["extra"].save()
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    product_week(lea)
    run(daycare)
    assert InvoiceLine.objects.get(kind="extra_time").description == "Extra Hours (extra hours)"


def test_only_the_days_enrolled_count(daycare, make_family, package, make_enrolment, product_week):
    _family, (lea,) = make_family("Martin")
    # Enrolled from Thursday 8 October: Monday to Wednesday are not billed (the Thursday's 10 + Friday's 20).
    make_enrolment(lea, package, date(2026, 10, 8))
    product_week(lea)
    run(daycare)
    assert InvoiceLine.objects.get(kind="extra_time").gross == Decimal("30.00")


def test_an_unplanned_friday_is_the_flat_price(daycare, make_family, package, make_enrolment, make_stay):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    make_stay(lea, paris(2026, 10, 16, 9, 0), paris(2026, 10, 16, 11, 0))
    run(daycare)
    line = InvoiceLine.objects.get(kind="extra_time")
    assert line.gross == Decimal("20.00")
    assert [d["date"] for d in line.explanation["days"]] == ["2026-10-16"]


def test_a_split_child_gives_each_payer_their_half(
    daycare, make_family, package, make_enrolment, product_week
):
    family, (zoe,) = make_family("Durand", payers=2, split=(Decimal(50), Decimal(50)))
    make_enrolment(zoe, package)
    product_week(zoe)
    run(daycare)
    invoices = list(Invoice.objects.order_by("payer__position"))
    assert [i.payer.name for i in invoices] == ["Parent1 Durand", "Parent2 Durand"]
    for invoice in invoices:
        assert [(d, g) for d, _detail, g in lines_of(invoice)] == [
            ("Monthly fee", Decimal("220.000")),
            ("Extra Hours for the period 01/10/2026–31/10/2026", Decimal("19.000")),
        ]
        assert invoice.gross == Decimal("239.00")


def test_an_odd_cent_goes_to_the_last_payer_so_the_shares_add_up(
    daycare, make_family, make_enrolment, products
):
    from timetill.catalog.packages import ItemSpec, PackageSpec, create_package

    products["fee"].price = Decimal("100.01")
    products["fee"].save()
    package = create_package(
        spec=PackageSpec(name="Fee", items=(ItemSpec(products["fee"].pk),)), actor=OPERATOR
    )
    _family, (zoe,) = make_family("Durand", payers=2, split=(Decimal(50), Decimal(50)))
    make_enrolment(zoe, package)
    run(daycare)
    assert sorted(Invoice.objects.values_list("gross", flat=True)) == [Decimal("50.00"), Decimal("50.01")]


@pytest.mark.parametrize(
    ("rule", "start", "detail", "gross"),
    [
        ("none", date(2026, 11, 13), "", Decimal("440.00")),
        ("calendar_days", date(2026, 11, 13), "18 of 30 days", Decimal("264.00")),
        # Mon–Thu are planned: November 2026 has 17 of them, 9 from Friday the 13th.
        ("planned_days", date(2026, 11, 13), "9 of 17 planned days", Decimal("232.94")),
    ],
)
def test_a_child_starting_midmonth_is_prorated_by_the_packages_rule(
    daycare, make_family, make_package, make_enrolment, rule, start, detail, gross
):
    package = make_package(proration=rule)
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, start)
    run(daycare, at=paris(2026, 11, 13, 9, 0))
    line = InvoiceLine.objects.get(kind="monthly")
    assert (line.detail, line.gross) == (detail, gross)


def test_running_twice_gives_the_same_drafts(daycare, make_family, package, make_enrolment, product_week):
    family, (lea, tom) = make_family("Martin", children=("Léa", "Tom"))
    make_enrolment(lea, package)
    make_enrolment(tom, package)
    product_week(lea)

    def snapshot():
        return [
            (
                i.payer_id,
                i.gross,
                [(ln.kind, ln.child_id, ln.description, ln.gross, ln.explanation) for ln in i.lines.all()],
            )
            for i in Invoice.objects.order_by("pk")
        ]

    run(daycare)
    first = snapshot()
    run(daycare, at=paris(2026, 11, 3, 9, 0))
    assert snapshot() == first
    assert Invoice.objects.count() == 1
    assert InvoiceRun.objects.filter(state="done").count() == 2


def test_a_refresh_takes_in_a_late_stay(
    daycare, make_family, package, make_enrolment, product_week, make_stay
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    product_week(lea)
    run(daycare)
    make_stay(lea, paris(2026, 10, 12, 8, 0), paris(2026, 10, 12, 16, 30))  # 20 minutes late: 2 units, 10 €
    run(daycare)
    assert InvoiceLine.objects.get(kind="extra_time").gross == Decimal("48.00")


def test_a_forgotten_check_out_is_flagged_and_never_billed_silently(
    daycare, make_family, package, make_enrolment, product_week, make_stay
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    product_week(lea)
    forgotten = make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    summary = run(daycare)
    line = InvoiceLine.objects.get(kind="extra_time")
    assert line.to_review and line.blocks_issue
    assert line.gross == Decimal("38.00")  # the open stay is not priced
    assert "20/10/2026 08:00 still open" in line.review_note
    assert [f.time_line_id for f in line.flagged_stays.all()] == [forgotten.pk]
    assert summary.to_review == 1
    assert summary.warnings == ("Léa Martin: stay from 20/10/2026 08:00 still open (a forgotten check-out?)",)


def test_a_stay_longer_than_the_maximum_is_flagged(daycare, make_family, package, make_enrolment, make_stay):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    make_stay(lea, paris(2026, 10, 20, 7, 0), paris(2026, 10, 20, 19, 0))  # 12 h, the site's maximum is 11 h
    run(daycare)
    line = InvoiceLine.objects.get(kind="extra_time")
    assert line.to_review and "longer than the maximum stay" in line.review_note


@pytest.mark.parametrize(
    ("month", "at", "code"),
    [("2026-12", RUN_AT, "month_not_begun"), ("2026-06", RUN_AT, "no_enrolment")],
)
def test_a_month_not_begun_or_without_enrolment_is_refused(
    daycare, make_family, package, make_enrolment, month, at, code
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    with pytest.raises(TimetillError) as refused:
        run(daycare, month=parse_month(month), at=at)
    assert refused.value.code == code
    assert not InvoiceRun.objects.exists() and not Invoice.objects.exists()


@pytest.mark.parametrize("text", ["2026-13", "november", "2026/11", "", "1999-01"])
def test_a_month_badly_written_is_refused(text):
    with pytest.raises(TimetillError) as refused:
        parse_month(text)
    assert refused.value.code == "invalid_month"


def test_a_second_run_of_the_same_month_meanwhile_is_told_so(daycare, make_family, package, make_enrolment):
    from timetill.invoicing.run import start_run

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    start_run(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=RUN_AT)
    with pytest.raises(TimetillError) as refused:
        run(daycare)
    assert refused.value.code == "run_in_progress"
    assert "still going" in refused.value.message
    assert not Invoice.objects.exists()


def test_only_invoicing_managers_run_a_month(daycare, cashier, make_family, package, make_enrolment):
    from timetill.timelines.actors import Actor

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    with pytest.raises(TimetillError) as refused:
        run_month(site_id=daycare.pk, month=NOVEMBER, actor=Actor.for_user(cashier), at=RUN_AT)
    assert refused.value.code == "forbidden"


def test_a_corrected_check_out_and_a_refresh_clear_the_review(
    daycare, make_family, package, make_enrolment, product_week, make_stay, manager
):
    from timetill.timelines.actors import Actor
    from timetill.timelines.services.lines import edit_times

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    product_week(lea)
    forgotten = make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    run(daycare)
    edit_times(
        line_id=forgotten.pk,
        start=paris(2026, 10, 20, 8, 0),
        end=paris(2026, 10, 20, 16, 30),
        reason="Forgot to scan out; left at 16:30 says the educator",
        actor=Actor.for_user(manager),
        at=RUN_AT,
    )
    run(daycare)
    line = InvoiceLine.objects.get(kind="extra_time")
    assert not line.to_review
    assert line.gross == Decimal("48.00")  # 38 + the Tuesday's 20 minutes late (10)


def test_an_accepted_line_holds_until_its_stays_change(
    daycare, make_family, package, make_enrolment, make_stay, manager
):
    from timetill.invoicing.models import ReviewAcceptance
    from timetill.invoicing.review import accept_line
    from timetill.timelines.actors import Actor

    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package)
    make_stay(lea, paris(2026, 10, 5, 8, 0), paris(2026, 10, 5, 16, 30))
    make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    run(daycare)
    line = InvoiceLine.objects.get(kind="extra_time")
    with pytest.raises(TimetillError) as refused:
        accept_line(line_id=line.pk, reason="  ", actor=Actor.for_user(manager), at=RUN_AT)
    assert refused.value.code == "reason_required"
    accept_line(line_id=line.pk, reason="Went home with her father", actor=Actor.for_user(manager), at=RUN_AT)
    run(daycare)  # a refresh keeps the acceptance: the stays are the same
    line = InvoiceLine.objects.get(kind="extra_time")
    assert line.to_review and not line.blocks_issue
    assert line.reviewed.reason == "Went home with her father" and line.reviewed.user == manager
    make_stay(lea, paris(2026, 10, 22, 7, 0), paris(2026, 10, 22, 19, 0))  # one more stay to look at
    run(daycare)
    assert InvoiceLine.objects.get(kind="extra_time").blocks_issue
    assert ReviewAcceptance.objects.count() == 1
