"""Which issued invoice line billed which stay: a table beside the frozen lines, filled for the invoices
issued before it existed the way issuing fills it (the child's stopped stays of the line's period)."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models

from timetill.sites.localtime import local_day_bounds


def link_issued_stays(apps, schema_editor):
    InvoiceLine = apps.get_model("invoicing", "InvoiceLine")
    BilledStay = apps.get_model("invoicing", "BilledStay")
    TimeLine = apps.get_model("timelines", "TimeLine")
    lines = InvoiceLine.objects.filter(
        invoice__state="issued", kind="extra_time", child__isnull=False
    ).select_related("invoice__site")
    for line in lines.iterator(chunk_size=500):
        site = line.invoice.site
        tz = ZoneInfo(site.time_zone)
        start = local_day_bounds(line.period_start, tz)[0]
        end = local_day_bounds(line.period_end, tz)[1]
        stays = TimeLine.objects.filter(
            site=site, customer_id=line.child_id, start__lt=end, end__gt=start, invoiced=True
        ).values_list("pk", flat=True)
        BilledStay.objects.bulk_create(
            [BilledStay(invoice_line_id=line.pk, time_line_id=pk) for pk in stays], ignore_conflicts=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0005_invoice_terms_pay_and_send_only"),
        ("timelines", "0005_remove_timeline_sale"),
    ]

    operations = [
        migrations.CreateModel(
            name="BilledStay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "invoice_line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="billed_stays",
                        to="invoicing.invoiceline",
                    ),
                ),
                (
                    "time_line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="billed_by",
                        to="timelines.timeline",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("invoice_line", "time_line"), name="billed_stay_once_per_line"
                    )
                ],
            },
        ),
        migrations.RunPython(link_issued_stays, migrations.RunPython.noop),
    ]
