from datetime import date

from django.core.management.base import BaseCommand, CommandError

from programs.services.reminders import send_stale_profile_reminders


class Command(BaseCommand):
    help = ("Email the delegates of every profile not updated for 12 months. Safe to run as "
            "often as you like: each reminder is sent once per 12-month period.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date written YYYY-MM-DD.") from error
        sent = send_stale_profile_reminders(today)
        self.stdout.write(f"Reminders sent: {sent}")
