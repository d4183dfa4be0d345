"""`python manage.py send_outcome_reminders [--now 2026-01-31T08:00]`: e-mail the parties of
cooperation intentions that have not moved for 90 days. Meant for a daily cron job: a party
is reminded of an intention at most once per 90 days of stillness, so reruns send nothing."""

from django.core.management.base import BaseCommand

from matchmaking.management.moments import add_now_argument, moment_from
from matchmaking.services.outcomes import send_stalled_reminders


class Command(BaseCommand):
    help = "Remind delegations of cooperation intentions with no movement in 90 days."

    def add_arguments(self, parser):
        add_now_argument(parser)

    def handle(self, *args, now=None, **options):
        moment = moment_from(now)
        reminded, unreachable = send_stalled_reminders(moment)
        for delegation, intentions in reminded.items():
            numbers = ", ".join(f"#{intention.number}" for intention in intentions)
            self.stdout.write(f"Reminded {delegation} ({delegation.workshop.slug}): {numbers}")
        for delegation in unreachable:
            self.stdout.write(f"No e-mail address for {delegation} "
                              f"({delegation.workshop.slug})")
        self.stdout.write(f"{len(reminded)} delegation(s) reminded, "
                          f"{len(unreachable)} without an address.")
