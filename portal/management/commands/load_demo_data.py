from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module has load(stdout); they run in this order, each in a transaction.
DEMO_MODULES = [
    "portal.demo",
    "programs.demo_profiles",
    "programs.demo_registry",
    "programs.demo_library",
    "matchmaking.demo",
]


class Command(BaseCommand):
    help = "Load the demo data of every app. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        for module_name in DEMO_MODULES:
            self.stdout.write(f"Demo data: {module_name}")
            with transaction.atomic():
                import_module(module_name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.print_logins()

    def print_logins(self):
        from portal.demo import DEMO_ACCOUNTS

        self.stdout.write("")
        self.stdout.write("Demo logins (sign in at /en/account/login/ or /admin/):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account['role'].label:<18} {account['email']:<28} {account['password']}"
            )
