"""The link between a stay and the sale that holds it moves to the till's side (SaleStay), keeping every link."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    TimeLine = apps.get_model("timelines", "TimeLine")
    SaleStay = apps.get_model("sales", "SaleStay")
    links = TimeLine.objects.filter(sale__isnull=False).values_list("pk", "sale_id")
    SaleStay.objects.bulk_create(
        [SaleStay(time_line_id=pk, sale_id=sale_id) for pk, sale_id in links.iterator()], batch_size=1000
    )


def copy_back(apps, schema_editor):
    TimeLine = apps.get_model("timelines", "TimeLine")
    SaleStay = apps.get_model("sales", "SaleStay")
    for time_line_id, sale_id in SaleStay.objects.values_list("time_line_id", "sale_id").iterator():
        TimeLine.objects.filter(pk=time_line_id).update(sale_id=sale_id)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0003_sale_frozen_copy"),
        ("timelines", "0004_audit_names_and_protected_actors"),
    ]

    operations = [
        migrations.CreateModel(
            name="SaleStay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "sale",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="stays", to="sales.sale"),
                ),
                (
                    "time_line",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="sale_stay", to="timelines.timeline"
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
