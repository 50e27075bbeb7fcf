# Triggers that refuse UPDATE and DELETE of issued invoices, their lines and credit notes (SQLite, PostgreSQL).

from django.db import migrations

# The statements live beside the models (the tests lift and restore them around a flush of the tables).
from timetill.invoicing.immutable import statements


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0002_line_quantity_discount_vat_exemption")]

    operations = [migrations.RunPython(create, drop)]
