"""`timetill demo`: load the demo sites, customers, codes, logins, time lines, products and a parked sale."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from timetill.demo import demo_exists, load_demo


class Command(BaseCommand):
    help = "Load demo data: sites, customers with printable codes, logins, time lines, products, a sale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the demo is already loaded."
        )

    def handle(self, *args, **options):
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already loaded.")
                return
            self.stderr.write("Demo data is already loaded (the user 'demo' exists).")
            raise SystemExit(1)
        summary = load_demo(now=timezone.now())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Logins:")
        for username, (password, role) in summary.logins.items():
            self.stdout.write(f"  {username:<10} {password:<18} ({role})")
        self.stdout.write("Codes to scan (type them, or print the cards page /codes/):")
        for site, name, code in summary.codes:
            self.stdout.write(f"  {site:<9} {code:<15} {name}")
        self.stdout.write("Products (a parked sale waits at the till, /till/):")
        for product in summary.products:
            self.stdout.write(f"  {product}")
