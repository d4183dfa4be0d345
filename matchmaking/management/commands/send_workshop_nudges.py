"""`python manage.py send_workshop_nudges [--now 2026-03-07T08:00]`: nudge delegations that
have ranked nothing or left requests for their offers unanswered as a workshop's "answer by"
date nears, and e-mail organisers a digest of what changed since the last publication.
Meant for a daily cron job: reruns send nothing twice (see matchmaking.services.nudges)."""

from django.core.management.base import BaseCommand

from matchmaking.management.moments import add_now_argument, moment_from
from matchmaking.services.nudges import run_daily


class Command(BaseCommand):
    help = ("Nudge delegations before a workshop's answer-by date; send organisers the digest "
            "of changes since the last publication.")

    def add_arguments(self, parser):
        add_now_argument(parser)

    def handle(self, *args, now=None, **options):
        moment = moment_from(now)
        sent, unreachable, digested = run_daily(moment)
        for delegation, kind in sent:
            self.stdout.write(f"Nudged {delegation} ({delegation.workshop.slug}): {kind}")
        for delegation, kind in unreachable:
            self.stdout.write(f"No e-mail address for {delegation} "
                              f"({delegation.workshop.slug}): {kind}")
        for workshop in digested:
            self.stdout.write(f"Digest sent to the organisers of {workshop.slug}")
        self.stdout.write(f"{len(sent)} nudge(s) sent, {len(unreachable)} without an address, "
                          f"{len(digested)} digest(s).")
