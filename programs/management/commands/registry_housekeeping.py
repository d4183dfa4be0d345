"""Keep the ecosystem registry current; meant to run daily (cron, systemd timer).

- asks the contacts of entries nobody has confirmed for 12 months to confirm or update them
  (again at most every 30 days), the directory meanwhile flagging those entries;
- deletes registrations whose email was never confirmed before the link expired.
"""

from django.core.management.base import BaseCommand

from programs.services.registry import purge_unconfirmed, request_reconfirmations


class Command(BaseCommand):
    help = "Ask stale registry entries to confirm their data; drop never-confirmed registrations."

    def handle(self, *args, **options):
        asked = request_reconfirmations()
        purged = purge_unconfirmed()
        self.stdout.write(f"Asked {asked} organisation(s) to confirm their entry; deleted "
                          f"{purged} registration(s) whose email was never confirmed.")
