"""The seller's legal identity, per business or per site."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0002_vat_categories_and_receipt_counters'),
        ('sites', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SellerIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(editable=False, max_length=40, unique=True)),
                ('legal_name', models.CharField(max_length=200, verbose_name='legal name')),
                ('address', models.TextField(help_text='Street, postcode and town, one per line.', verbose_name='address')),
                ('country', models.CharField(default='FR', help_text='ISO code: FR, IT…', max_length=2, verbose_name='country')),
                ('vat_number', models.CharField(blank=True, max_length=20, verbose_name='VAT number')),
                ('siren', models.CharField(blank=True, max_length=9, verbose_name='SIREN')),
                ('siret', models.CharField(blank=True, max_length=14, verbose_name='SIRET')),
                ('rea', models.CharField(blank=True, max_length=20, verbose_name='REA number')),
                ('codice_fiscale', models.CharField(blank=True, max_length=16, verbose_name='codice fiscale')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('iban', models.CharField(blank=True, max_length=34, verbose_name='IBAN')),
                ('bic', models.CharField(blank=True, max_length=11, verbose_name='BIC')),
                ('payment_terms', models.CharField(blank=True, max_length=200, verbose_name='payment terms')),
                ('legal_mentions', models.TextField(blank=True, verbose_name='legal mentions')),
                ('updated_at', models.DateTimeField(blank=True, null=True)),
                ('site', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seller_identity', to='sites.site')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('site__isnull', True), ('scope', 'business')), ('site__isnull', False), _connector='OR'), name='seller_scope_matches_site')],
            },
        ),
    ]
