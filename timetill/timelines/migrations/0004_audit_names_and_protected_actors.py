# Audit entries keep who acted as they were named; users and devices that acted can no longer be deleted.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_names(apps, schema_editor):
    """The names of the users and devices of existing entries, as they are at this migration."""
    AuditEntry = apps.get_model("timelines", "AuditEntry")
    for entry in AuditEntry.objects.select_related("user", "device").filter(
        models.Q(user__isnull=False) | models.Q(device__isnull=False)
    ):
        AuditEntry.objects.filter(pk=entry.pk).update(
            user_name=entry.user.username if entry.user_id else "",
            device_name=entry.device.name if entry.device_id else "",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0002_site_history_and_family_check_in'),
        ('timelines', '0003_scan_client_scope_and_answer'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='device_name',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='user_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='device',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sites.device'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='scan',
            name='device',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='scans', to='sites.device'),
        ),
        migrations.AlterField(
            model_name='scan',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='timeline',
            name='started_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='timeline',
            name='started_device',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sites.device'),
        ),
        migrations.AlterField(
            model_name='timeline',
            name='stopped_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='timeline',
            name='stopped_device',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sites.device'),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop),
    ]
