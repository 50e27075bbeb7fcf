# The Export model now belongs to the exports app (its table and rows stay, see exports 0001).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_exports"),
        ("exports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Export")],
            database_operations=[],
        ),
    ]
