"""The billing core's first state: VAT rates taken over from the catalogue (same table, same rows), counters."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalog", "0002_vat_rates")]

    operations = [
        # The catalogue's table becomes the billing core's model; nothing moves in the database yet.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VatRate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=50)),
                        ("rate", models.DecimalField(decimal_places=2, help_text="In percent, e.g. 20.00.", max_digits=5, unique=True)),
                        ("active", models.BooleanField(default=True)),
                    ],
                    options={"ordering": ["-rate"], "db_table": "catalog_vatrate"},
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(help_text='"business" or "site:<id>".', max_length=40)),
                ("series", models.CharField(max_length=20)),
                ("year", models.PositiveIntegerField(help_text="0 for a series that does not restart each year.")),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "series", "year"), name="counter_unique_per_scope_series_year")
                ],
            },
        ),
    ]
