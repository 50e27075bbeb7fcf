"""Products sold by the unit (whole quantities only): goods and ladder steps yes, time products no."""

from django.db import migrations, models


def time_is_measured(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Product.objects.filter(kind__in=["time", "daily_time"]).update(sold_by_unit=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_vat_rates_in_billing"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="sold_by_unit",
            field=models.BooleanField(
                default=True,
                help_text="Sold in whole quantities only (a coffee, a ticket); off for what is measured (1.5 hours).",
            ),
        ),
        migrations.RunPython(time_is_measured, migrations.RunPython.noop),
    ]
