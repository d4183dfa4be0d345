"""Command line: `python -m matchmaking.optimizer solve|validate ...`.

Exit statuses (FORMAT.md fixes 2 and 3; the others are this tool's):
  0  solve: a schedule was written; validate: the schedule is feasible
  1  validate: the schedule breaks at least one rule (each violation is printed);
     solve: stopped before any feasible schedule was found
  2  the instance is invalid (the offending entry is named), a schedule document is not
     shaped as FORMAT.md says, or the command line is wrong; nothing is written
  3  the pins cannot all be honoured (the reason is printed); nothing is written

`python manage.py build_rounds` takes the same options as `solve` and calls `run_solve`.
Ctrl-C during `solve` stops the search and writes the best schedule found so far.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from typing import TextIO

from . import constraints, evaluate
from .io import InvalidSchedule, dumps_schedule, read_instance, read_rounds, write_schedule
from .model import OBJECTIVES, InfeasibleInstance, InvalidInstance, Schedule
from .solve import SolveError, solve

EXIT_OK = 0
EXIT_INFEASIBLE_SCHEDULE = 1
EXIT_NO_SCHEDULE = 1
EXIT_INVALID = 2
EXIT_INFEASIBLE_PINS = 3


def add_solve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instance", help="instance JSON (FORMAT.md, negotiation-rounds/1)")
    parser.add_argument("-o", "--output", metavar="SCHEDULE.json",
                        help="where to write the schedule (default: standard output)")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                        help="stop searching after this long (default: 60)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="random seed; same seed, instance and machine give the same "
                             "schedule when the search ends before the time limit")
    parser.add_argument("--objective", choices=OBJECTIVES, default="demand",
                        help="demand: most total weight; fair: largest smallest share, then "
                             "most total weight (default: demand)")
    parser.add_argument("--min-rounds", type=int, default=0, metavar="N",
                        help="fair only: first let as many delegations as possible attend "
                             "at least N rounds (all they can, when fewer)")
    parser.add_argument("--previous", metavar="SCHEDULE.json",
                        help="stay close to this schedule: what is still feasible stays "
                             "unless moving it gains more score than it costs in stability")
    parser.add_argument("--explain", action="store_true",
                        help="print every unmet request with its reason")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line on standard error")


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m matchmaking.optimizer",
        description="Build negotiation rounds from supply and demand (FORMAT.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_parser = commands.add_parser("solve", help="build a schedule")
    add_solve_arguments(solve_parser)
    validate_parser = commands.add_parser("validate",
                                          help="check a schedule against an instance")
    validate_parser.add_argument("instance", help="instance JSON")
    validate_parser.add_argument("schedule", help="schedule JSON")
    return parser


class _ProgressLine:
    """One line per second on stderr: elapsed, best score, bound, gap."""

    def __init__(self, stream: TextIO, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.last = -1.0
        self.last_text = ""

    def __call__(self, elapsed, best, bound, fraction) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if fraction < 1.0 and now - self.last < 1.0:
            return
        self.last = now
        best_text = "-" if best is None else f"{best:g}"
        bound_text = "-" if bound is None else f"{bound:g}"
        gap = ""
        if best is not None and bound is not None and bound > 0:
            gap = f"  gap {100 * (bound - best) / bound:.2f}%"
        text = f"best {best_text}  bound {bound_text}{gap}"
        if fraction >= 1.0 and text == self.last_text:
            return  # the final report repeats the last line
        self.last_text = text
        print(f"[{elapsed:7.1f} s] {text}", file=self.stream, flush=True)


def explanation_lines(instance, schedule: Schedule) -> list[str]:
    ranks = {(r.delegation, r.offer): r.rank for r in instance.requests}
    lines = [f"unmet requests: {len(schedule.unmet)}"]
    for entry in schedule.unmet:
        lines.append(f"  {entry.delegation:<12} {entry.offer:<20} rank "
                     f"{ranks[(entry.delegation, entry.offer)]:<3} {entry.reason}")
    return lines


def run_solve(args: argparse.Namespace, *, stdout: TextIO | None = None,
              stderr: TextIO | None = None, cancel: threading.Event | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        instance = read_instance(args.instance)
    except InvalidInstance as error:
        print(f"invalid instance: {error}", file=stderr)
        return EXIT_INVALID
    previous = None
    if args.previous:
        try:
            previous = read_rounds(args.previous)
        except InvalidSchedule as error:
            print(f"invalid previous schedule: {error}", file=stderr)
            return EXIT_INVALID

    min_rounds = getattr(args, "min_rounds", 0) or 0
    if min_rounds < 0 or (min_rounds and args.objective != "fair"):
        print("--min-rounds needs --objective fair and a number >= 0", file=stderr)
        return EXIT_INVALID
    cancel = cancel or threading.Event()
    restore = None
    if threading.current_thread() is threading.main_thread():
        def on_interrupt(_signum, _frame):
            cancel.set()
        restore = signal.signal(signal.SIGINT, on_interrupt)
    try:
        schedule = solve(instance, objective=args.objective, time_limit=args.time_limit,
                         seed=args.seed, previous=previous, min_rounds=min_rounds,
                         progress=_ProgressLine(stderr, not args.quiet), cancel=cancel)
    except InfeasibleInstance as error:
        print(f"infeasible: {error}", file=stderr)
        return EXIT_INFEASIBLE_PINS
    except SolveError as error:
        print(f"no schedule: {error}", file=stderr)
        return EXIT_NO_SCHEDULE
    finally:
        if restore is not None:
            signal.signal(signal.SIGINT, restore)

    if args.output:
        write_schedule(schedule, args.output)
    else:
        stdout.write(dumps_schedule(schedule))
    if not args.quiet:
        verdict = "proven optimal" if schedule.proven_optimal else f"status {schedule.status}"
        print(f"score {schedule.score:g}, upper bound {schedule.upper_bound:g}, {verdict}, "
              f"{len(schedule.rounds)} rounds, {len(schedule.unmet)} unmet requests",
              file=stderr)
    if args.explain:
        report = stdout if args.output else stderr
        print("\n".join(explanation_lines(instance, schedule)), file=report)
    return EXIT_OK


def run_validate(args: argparse.Namespace, *, stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        instance = read_instance(args.instance)
    except InvalidInstance as error:
        print(f"invalid instance: {error}", file=stderr)
        return EXIT_INVALID
    try:
        rounds = read_rounds(args.schedule)
    except InvalidSchedule as error:
        print(f"invalid schedule: {error}", file=stderr)
        return EXIT_INVALID
    found = constraints.violations(instance, rounds)
    for violation in found:
        print(violation, file=stdout)
    print(f"score {evaluate.score(instance, rounds):g}", file=stdout)
    if found:
        print(f"infeasible: {len(found)} violation(s)", file=stdout)
        return EXIT_INFEASIBLE_SCHEDULE
    print("feasible", file=stdout)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "solve":
        return run_solve(args)
    return run_validate(args)
