# Sites: when they began (nothing is dated before), how old a synced scan may be, family check-in.

import django.core.validators
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='site',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='site',
            name='family_check_in',
            field=models.BooleanField(default=False, help_text='Parents may check their children in and out here themselves (a daycare, a club).'),
        ),
        migrations.AddField(
            model_name='site',
            name='max_offline_days',
            field=models.PositiveIntegerField(default=7, help_text="A device's scan made longer ago than this is refused when it is synced.", validators=[django.core.validators.MinValueValidator(1)]),
        ),
    ]
