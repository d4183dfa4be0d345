"""`python manage.py build_rounds INSTANCE.json -o SCHEDULE.json [options]`: the optimiser's
`solve` command inside the project: same arguments (`cli.add_solve_arguments`), same main
function (`cli.run_solve`), same exit statuses (2: invalid instance, 3: infeasible pins)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from matchmaking.optimizer import cli


class Command(BaseCommand):
    help = "Build negotiation rounds from an instance file (FORMAT.md, negotiation-rounds/1)."

    def add_arguments(self, parser):
        cli.add_solve_arguments(parser)

    def handle(self, *args, **options):
        # print() writes the line end separately, which Django's OutputWrapper would double.
        status = cli.run_solve(
            argparse.Namespace(**options),
            stdout=getattr(self.stdout, "_out", self.stdout),
            stderr=getattr(self.stderr, "_out", self.stderr),
        )
        if status != cli.EXIT_OK:
            # run_solve has printed the reason; keep the optimiser's exit status.
            raise CommandError(f"build_rounds stopped with exit status {status}",
                               returncode=status)
