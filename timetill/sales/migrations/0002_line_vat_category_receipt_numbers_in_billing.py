"""Sale lines copy their VAT category and exemption; receipt numbers now come from the billing core's counters."""

from django.db import migrations, models


def categorise(apps, schema_editor):
    # Lines sold before at 0 % carried "no VAT" without a reason: zero rated, as the rate itself became.
    SaleLine = apps.get_model("sales", "SaleLine")
    SaleLine.objects.filter(vat_rate=0).update(vat_category="Z")


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("billing", "0002_vat_categories_and_receipt_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="saleline",
            name="vat_category",
            field=models.CharField(
                choices=[("S", "Standard rate"), ("Z", "Zero rated"), ("E", "Exempt from VAT"), ("AE", "Reverse charge"), ("O", "Not subject to VAT")],
                default="S",
                max_length=2,
            ),
        ),
        migrations.AddField(model_name="saleline", name="vat_exemption_reason", field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name="saleline", name="vat_exemption_code", field=models.CharField(blank=True, max_length=30)),
        migrations.RunPython(categorise, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReceiptCounter"),
    ]
