"""Products point down at the billing core's VAT rates: the model leaves the catalogue, its rows stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_package_product_invoice_shows_period_packageitem"), ("billing", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="vat_rate",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="products", to="billing.vatrate"
                    ),
                ),
                migrations.DeleteModel(name="VatRate"),
            ],
            database_operations=[],
        ),
    ]
