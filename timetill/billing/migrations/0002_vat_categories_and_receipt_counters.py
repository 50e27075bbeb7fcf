"""VAT rates get their own table, an EN 16931 category and an exemption; receipt counters move here."""

from django.db import migrations, models


def categorise(apps, schema_editor):
    # Rates held before had no category: 0 % was "no VAT" without a reason, which e-invoices call zero rated.
    VatRate = apps.get_model("billing", "VatRate")
    VatRate.objects.filter(rate=0).update(category="Z")


def move_receipt_counters(apps, schema_editor):
    # Each site's last receipt number carries on in the billing core's receipt series (no year: it never
    # restarted), so the next receipt follows the last one printed.
    ReceiptCounter = apps.get_model("sales", "ReceiptCounter")
    Counter = apps.get_model("billing", "Counter")
    for old in ReceiptCounter.objects.all():
        Counter.objects.update_or_create(
            scope=f"site:{old.site_id}", series="receipt", year=0, defaults={"last": old.last}
        )


def move_back(apps, schema_editor):
    ReceiptCounter = apps.get_model("sales", "ReceiptCounter")
    Counter = apps.get_model("billing", "Counter")
    for counter in Counter.objects.filter(series="receipt", year=0, scope__startswith="site:"):
        ReceiptCounter.objects.update_or_create(
            site_id=int(counter.scope.split(":", 1)[1]), defaults={"last": counter.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("catalog", "0004_vat_rates_in_billing"),
        ("sales", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="vatrate", table=None),
        migrations.AlterModelOptions(name="vatrate", options={"ordering": ["-rate", "category", "pk"]}),
        migrations.AlterField(
            model_name="vatrate",
            name="rate",
            field=models.DecimalField(decimal_places=2, help_text="In percent, e.g. 20.00.", max_digits=5, verbose_name="rate"),
        ),
        migrations.AlterField(model_name="vatrate", name="name", field=models.CharField(max_length=50, verbose_name="name")),
        migrations.AlterField(model_name="vatrate", name="active", field=models.BooleanField(default=True, verbose_name="active")),
        migrations.AddField(
            model_name="vatrate",
            name="category",
            field=models.CharField(
                choices=[("S", "Standard rate"), ("Z", "Zero rated"), ("E", "Exempt from VAT"), ("AE", "Reverse charge"), ("O", "Not subject to VAT")],
                default="S",
                max_length=2,
                verbose_name="category",
            ),
        ),
        migrations.AddField(
            model_name="vatrate",
            name="exemption_reason",
            field=models.CharField(
                blank=True,
                help_text="Why no VAT is charged, with the law: e.g. “Exonération de TVA, art. 261-4-4° du CGI”.",
                max_length=200,
                verbose_name="exemption reason",
            ),
        ),
        migrations.AddField(
            model_name="vatrate",
            name="exemption_code",
            field=models.CharField(blank=True, help_text="VATEX code or natura, e.g. VATEX-EU-132-1I, N4.", max_length=30, verbose_name="exemption code"),
        ),
        migrations.RunPython(categorise, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="vatrate",
            constraint=models.UniqueConstraint(fields=("rate", "category"), name="vat_rate_unique_per_category"),
        ),
        migrations.AddConstraint(
            model_name="vatrate",
            constraint=models.CheckConstraint(
                condition=models.Q(("category__in", ("S", "Z")), models.Q(("exemption_reason", ""), _negated=True), _connector="OR"),
                name="vat_exemption_has_reason",
            ),
        ),
        migrations.RunPython(move_receipt_counters, move_back),
    ]
