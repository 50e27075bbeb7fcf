"""The VAT rates a business starts with (the French ones); managers can add or deactivate rates."""

from decimal import Decimal

from django.db import migrations

RATES = [
    ("Standard rate", "20.00"),
    ("Intermediate rate", "10.00"),
    ("Reduced rate", "5.50"),
    ("Super-reduced rate", "2.10"),
    ("No VAT", "0.00"),
]


def seed(apps, schema_editor):
    VatRate = apps.get_model("catalog", "VatRate")
    for name, rate in RATES:
        VatRate.objects.get_or_create(rate=Decimal(rate), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
