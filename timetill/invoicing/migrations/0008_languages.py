# The language of payers and of issued invoices (docs/i18n.md).

from django.db import migrations, models

# Added in place: SQLite's way of adding a NOT NULL column (rebuilding the table) would trip the triggers
# that keep issued invoices unchanged (0003). The same statement works on PostgreSQL.
ADD_INVOICE_LANGUAGE = "ALTER TABLE invoicing_invoice ADD COLUMN language varchar(8) NOT NULL DEFAULT ''"
DROP_INVOICE_LANGUAGE = "ALTER TABLE invoicing_invoice DROP COLUMN language"


class Migration(migrations.Migration):

    dependencies = [
        ('invoicing', '0007_payer_country_pec_einvoice_copies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_INVOICE_LANGUAGE, DROP_INVOICE_LANGUAGE)],
            state_operations=[
                migrations.AddField(
                    model_name='invoice',
                    name='language',
                    field=models.CharField(blank=True, default='', max_length=8),
                ),
            ],
        ),
        migrations.AddField(
            model_name='payer',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('fr', 'Français'), ('it', 'Italiano')], default='', max_length=8),
        ),
    ]
