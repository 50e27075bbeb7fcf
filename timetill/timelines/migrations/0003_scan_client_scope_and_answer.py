# Client ids scoped to the device or person who made them; the first answer kept; sites dated.

from django.db import migrations, models
from django.db.models import Min


def scope_client_ids(apps, schema_editor):
    """Scans that already carry a client id belong to the device, else the person, that made them."""
    Scan = apps.get_model("timelines", "Scan")
    for scan in Scan.objects.filter(client_id__isnull=False).only("pk", "device_id", "user_id"):
        if scan.device_id is not None:
            scope = f"device:{scan.device_id}"
        elif scan.user_id is not None:
            scope = f"user:{scan.user_id}"
        else:
            scope = "operator"
        Scan.objects.filter(pk=scan.pk).update(client_scope=scope)


def date_existing_sites(apps, schema_editor):
    """A site that was there before sites were dated existed at least since its first stay or scan."""
    Site = apps.get_model("sites", "Site")
    TimeLine = apps.get_model("timelines", "TimeLine")
    Scan = apps.get_model("timelines", "Scan")
    for site in Site.objects.all():
        earliest = [
            TimeLine.objects.filter(site=site).aggregate(first=Min("start"))["first"],
            Scan.objects.filter(site=site).aggregate(first=Min("scanned_at"))["first"],
            site.created_at,
        ]
        Site.objects.filter(pk=site.pk).update(created_at=min(value for value in earliest if value))


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0002_site_history_and_family_check_in'),
        ('timelines', '0002_timeline_sale'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='scan',
            name='scan_client_id_unique',
        ),
        migrations.AddField(
            model_name='scan',
            name='answer',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='scan',
            name='client_scope',
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.RunPython(scope_client_ids, migrations.RunPython.noop),
        migrations.RunPython(date_existing_sites, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='scan',
            constraint=models.UniqueConstraint(condition=models.Q(('client_id__isnull', False)), fields=('site', 'client_scope', 'client_id'), name='scan_client_id_unique_per_scope'),
        ),
    ]
