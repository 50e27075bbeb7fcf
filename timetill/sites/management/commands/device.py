"""`timetill device add|list|revoke`: give a scanner its token, list devices, revoke a token."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.sites.models import Device, Site
from timetill.sites.services import register_device, revoke_device


class Command(BaseCommand):
    help = "Manage scanning devices and their tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Register a device and print its token (shown once).")
        add.add_argument("name")
        add.add_argument(
            "--site", required=True, help="The site's slug: the only site the device may scan at."
        )
        sub.add_parser("list", help="List devices.")
        revoke = sub.add_parser("revoke", help="Revoke a device's token.")
        revoke.add_argument("device_id", type=int)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "add":
            site = Site.objects.filter(slug=options["site"]).first()
            if site is None:
                raise CommandError(_("There is no site “%(site)s”.") % {"site": options["site"]})
            issued = register_device(site=site, name=options["name"])
            self.stdout.write(f'Device {issued.device.pk} "{issued.device.name}" at {site.slug}.')
            self.stdout.write("Its token (shown only now; keep it in the device's configuration):")
            self.stdout.write(issued.token)
        elif action == "list":
            for device in Device.objects.select_related("site"):
                state = "active" if device.is_active else f"revoked {device.revoked_at:%Y-%m-%d %H:%M}"
                self.stdout.write(
                    f"{device.pk:>4}  {device.site.slug:<12} {device.name:<24} {device.token_hint}…  {state}"
                )
        else:
            device = Device.objects.filter(pk=options["device_id"]).first()
            if device is None:
                raise CommandError(_("There is no device %(id)s.") % {"id": options["device_id"]})
            revoke_device(device=device, at=timezone.now())
            self.stdout.write(f'Device {device.pk} "{device.name}" revoked.')
