"""Invoice lines' explanations read through ExplanationField: the monthly run stores Daily Time lines'
explanations compact, and the field reads both the compact form and the full one every earlier row keeps
(no row is rewritten: issued lines never change). The column stays the same JSON column, so the database
is not touched (SQLite would otherwise rebuild the table and lose the triggers that guard issued lines)."""

from django.db import migrations

import timetill.invoicing.explanation


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0008_languages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="invoiceline",
                    name="explanation",
                    field=timetill.invoicing.explanation.ExplanationField(
                        blank=True, help_text="The engine's quote, day by day.", null=True
                    ),
                ),
            ],
        ),
    ]
