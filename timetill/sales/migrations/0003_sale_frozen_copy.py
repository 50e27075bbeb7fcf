"""A closed sale keeps a copy of what its receipt shows; sales closed before get theirs from today's data."""

from django.conf import settings
from django.db import migrations, models


def copy_closed_sales(apps, schema_editor):
    # The best record there is of what these receipts showed: the names as they are now (no seller identity
    # existed, so the business name the receipts printed).
    Sale = apps.get_model("sales", "Sale")
    business = getattr(settings, "TIMETILL_BUSINESS_NAME", "")
    closed = Sale.objects.filter(state="closed", frozen__isnull=True).select_related("site", "customer", "refund_of")
    for sale in closed.iterator():
        site = sale.site
        sale.frozen = {
            "seller": {"legal_name": business or site.name},
            "site": {"name": site.name, "slug": site.slug, "time_zone": site.time_zone},
            "customer": {"name": sale.customer.name, "address": ""} if sale.customer_id else None,
            "refund_of_number": sale.refund_of.number if sale.refund_of_id else None,
        }
        sale.save(update_fields=["frozen"])


class Migration(migrations.Migration):
    dependencies = [("sales", "0002_line_vat_category_receipt_numbers_in_billing")]

    operations = [
        migrations.AddField(
            model_name="sale",
            name="frozen",
            field=models.JSONField(
                blank=True,
                help_text="What the receipt shows of the seller, the site and the customer, copied when it closed.",
                null=True,
            ),
        ),
        migrations.RunPython(copy_closed_sales, migrations.RunPython.noop),
    ]
