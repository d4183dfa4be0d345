"""`manage.py healthcheck [--json] [component ...]`: exit status 0 when every component
works, 1 otherwise; for container health checks and monitoring."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal.health import CHECKS, check_health


class Command(BaseCommand):
    help = "Check the database, cache, channel layer and search backend."

    def add_arguments(self, parser):
        parser.add_argument("components", nargs="*",
                            help=f"Components to check: {', '.join(CHECKS)} (all by default).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args, components, as_json, **options):
        unknown = [name for name in components if name not in CHECKS]
        if unknown:
            raise CommandError(f"Unknown component {', '.join(unknown)}: choose among "
                               f"{', '.join(CHECKS)}.")
        states = check_health(components or None)
        if as_json:
            self.stdout.write(json.dumps({state.name: state.as_dict() for state in states},
                                         indent=2))
        else:
            for state in states:
                style = self.style.SUCCESS if state.ok else self.style.ERROR
                self.stdout.write(style(f"{'ok' if state.ok else 'FAILED':6} {state.name:14} "
                                        f"{state.milliseconds:7.1f} ms  {state.detail}"))
        if not all(state.ok for state in states):
            raise SystemExit(1)
