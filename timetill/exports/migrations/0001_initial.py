# The Export model moves here from the reports app, which created its table: the table and its rows stay as
# they are (db_table reports_export); only Django's idea of whose model it is changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("reports", "0001_exports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Export",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("time_lines_xlsx", "Time lines (XLSX)"), ("einvoices_zip", "E-invoices of a month (ZIP)")], default="time_lines_xlsx", max_length=20)),
                        ("query", models.JSONField(default=dict, help_text="What was asked for: the time lines report's filters, or the e-invoices' site, month and format.")),
                        ("state", models.CharField(choices=[("queued", "Waiting"), ("running", "Being written"), ("done", "Ready"), ("failed", "Failed")], default="queued", max_length=8)),
                        ("total_rows", models.PositiveIntegerField(default=0, help_text="Time lines or files to write.")),
                        ("done_rows", models.PositiveIntegerField(default=0, help_text="Time lines or files written so far.")),
                        ("file_name", models.CharField(help_text="The name the download is saved under.", max_length=100)),
                        ("token", models.CharField(help_text="The stored file's name: not guessable.", max_length=32, unique=True)),
                        ("size", models.PositiveBigIntegerField(default=0)),
                        ("error", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "reports_export",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["created_at"], name="reports_exp_created_32e6a4_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
