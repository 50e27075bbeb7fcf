"""A time line no longer points at the till: the till's SaleStay holds the link (copied there first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("timelines", "0004_audit_names_and_protected_actors"),
        ("sales", "0004_sale_stay"),
    ]

    operations = [migrations.RemoveField(model_name="timeline", name="sale")]
