"""The optimiser benchmark: our solver, a greedy baseline and the textbook model on the same
generated workshops, in one run, each measurement in a fresh process (so that its peak
resident memory is its own), one after the other (so that they do not share the cores).

    python -m matchmaking.optimizer.bench --write docs/benchmarks.md [--quick] [--seeds 0,1]
        [--cases medium,large] [--merge]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import constraints, evaluate
from ..compiled import Compiled
from ..exact import HighsProblem
from ..formulation import build, column_values
from ..heuristic import State
from ..io import read_rounds, schedule_to_dict, write_schedule
from ..model import Round
from ..solve import _decode, _state_rounds, _to_rounds, solve
from .cases import CASES, QUICK, with_unavailable
from .direct import solve_direct, variable_count

BEGIN = "<!-- optimizer:begin -->"
END = "<!-- optimizer:end -->"
DIRECT_TIME_LIMIT = 60.0
DIRECT_VARIABLE_LIMIT = 2_000_000
REFERENCE_TIME_LIMIT = 600.0  # the long runs that give best known schedules and optima
REPAIR_TIME_LIMIT = 20.0


# -- one measurement, in a child process -------------------------------------------------


def measure(spec: dict) -> dict:
    case = CASES[spec["case"]]
    instance = case.instance(spec["seed"])
    if spec.get("unavailable"):
        instance = with_unavailable(instance, *spec["unavailable"])
    servable = [Compiled(instance).delegation_ids[d] for d in Compiled(instance).servable]
    method = spec["method"]
    result: dict = {"requests": len(instance.requests)}
    started = time.perf_counter()
    if method in {"ours", "ours-fair"}:
        previous = read_rounds(spec["previous"]) if spec.get("previous") else None
        schedule = solve(instance, objective="fair" if method == "ours-fair" else "demand",
                         time_limit=spec["time_limit"], seed=spec["seed"], previous=previous)
        seconds = time.perf_counter() - started
        rounds = schedule.rounds
        result.update(bound=schedule.upper_bound, proven=schedule.proven_optimal,
                      status=schedule.status, worst_share_bound=schedule.worst_share_bound)
        if schedule.changes is not None:
            result["changes"] = schedule_to_dict(schedule)["changes"]
        if spec.get("save"):
            write_schedule(schedule, spec["save"])
    elif method == "reference":
        rounds, bound, proven, status = _reference(instance, spec["time_limit"], spec["seed"])
        seconds = time.perf_counter() - started
        result.update(bound=bound, proven=proven, status=status)
    elif method == "greedy":
        compiled = Compiled(instance)
        state = State(compiled)
        state.greedy()
        seconds = time.perf_counter() - started
        rounds = _state_to_rounds(compiled, state)
        result.update(bound=None, proven=False, status="greedy")
    elif method == "direct":
        variables = variable_count(instance)
        if variables > DIRECT_VARIABLE_LIMIT:
            return {**result, "skipped": f"{variables:,} variables, not built"}
        outcome = solve_direct(instance, time_limit=spec["time_limit"])
        seconds = time.perf_counter() - started
        rounds = outcome.rounds or ()
        result.update(bound=outcome.bound, status=outcome.status, variables=variables,
                      proven=outcome.status == "optimal")
        if outcome.rounds is None:
            result["no_solution"] = True
    else:
        raise ValueError(f"unknown method {method!r}")
    found = constraints.violations(instance, rounds)
    shares = evaluate.shares(instance, rounds)
    result.update(
        score=evaluate.score(instance, rounds),
        seconds=seconds,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        worst_share=evaluate.worst_share(shares, servable),
        feasible=not found,
        rounds=len(rounds),
    )
    return result


def _reference(instance, time_limit: float, seed: int):
    """Our aggregate programme handed whole to HiGHS with a long limit, from the greedy
    schedule: slow, but it proves the optimum where the fast path cannot."""
    compiled = Compiled(instance)
    unit = instance.weight_unit
    scale = 1 / unit if unit else 1.0
    formulation = build(compiled, objective_scale=scale)
    problem = HighsProblem(formulation.cost, formulation.lower, formulation.upper,
                           formulation.matrix, formulation.row_lower, formulation.row_upper,
                           formulation.integer, seed=seed)
    state = State(compiled)
    state.greedy()
    start = column_values(formulation, _state_rounds(state))
    outcome = problem.solve_mip(time_limit=time_limit, should_stop=lambda: False, start=start,
                                absolute_gap=0.999 if unit else 1e-6)
    values = outcome.values if outcome.values is not None else start
    rounds = _to_rounds(compiled, _decode(formulation, values), {})
    bound = outcome.dual_bound
    if unit and math.isfinite(bound):
        bound = math.floor(bound + 1e-6)
    return rounds, round(bound / scale, 9), outcome.status == "optimal", outcome.status


def _state_to_rounds(compiled: Compiled, state: State) -> tuple[Round, ...]:
    rounds = []
    for k, seated in sorted(state.attendees.items()):
        o, s = compiled.os_pairs[k]
        rounds.append(Round(compiled.offer_ids[o], compiled.session_ids[s], state.room_of[k],
                            tuple(sorted(compiled.delegation_ids[compiled.req_delegation[r]]
                                         for r in seated))))
    return tuple(rounds)


def run_child(spec: dict) -> dict:
    # our own interpreter and module, arguments built here: nothing untrusted
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "matchmaking.optimizer.bench", "--measure", json.dumps(spec)],
        capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


# -- the whole benchmark -----------------------------------------------------------------


def machine() -> dict:
    model = platform.processor() or "unknown"
    lscpu = shutil.which("lscpu")
    if lscpu:
        listing = subprocess.run([lscpu], capture_output=True, text=True, check=False)  # noqa: S603
        for line in listing.stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import highspy
    import numpy
    import scipy

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "versions": f"HiGHS {highspy.Highs().version()}, SciPy {scipy.__version__}, "
                    f"NumPy {numpy.__version__}",
    }


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def benchmark(case_names: list[str], seeds: list[int]) -> dict:
    rows = []
    verdicts = []
    for name in case_names:
        case = CASES[name]
        for seed in seeds if case.shape is not None else [0]:
            rows_here, verdicts_here = _run_case(case, seed)
            rows.extend(rows_here)
            verdicts.extend(verdicts_here)
    return {"rows": rows, "verdicts": verdicts}


def _row(case, seed, method, limit, result):
    row = {"case": case.name, "seed": seed, "method": method, "limit": limit, **result}
    shown = {k: row.get(k) for k in ("score", "bound", "seconds", "peak_mb", "worst_share",
                                     "proven", "status")}
    log(f"  {case.name} seed {seed} {method} ({limit:g} s): {shown}")
    return row


def _run_case(case, seed):
    log(f"{case.name} seed {seed}: {case.description}")
    rows, verdicts = [], []
    limits = [5.0, case.time_limit] if case.name == "medium" else [case.time_limit]
    ours = {}
    schedule_file = Path(tempfile.mkdtemp(prefix="bench-")) / "fresh.json"
    for limit in limits:
        spec = {"case": case.name, "seed": seed, "method": "ours", "time_limit": limit}
        if limit == limits[-1]:
            spec["save"] = str(schedule_file)
        ours[limit] = run_child(spec)
        rows.append(_row(case, seed, "ours (demand)", limit, ours[limit]))
    fair = run_child({"case": case.name, "seed": seed, "method": "ours-fair",
                      "time_limit": case.time_limit})
    rows.append(_row(case, seed, "ours (fair)", case.time_limit, fair))
    greedy = run_child({"case": case.name, "seed": seed, "method": "greedy"})
    rows.append(_row(case, seed, "greedy baseline", 0, greedy))
    direct_limit = max(DIRECT_TIME_LIMIT, case.time_limit)
    direct = run_child({"case": case.name, "seed": seed, "method": "direct",
                        "time_limit": direct_limit})
    rows.append(_row(case, seed, "textbook MILP (scipy.optimize.milp)", direct_limit, direct))

    main = ours[case.time_limit]
    candidates = [r.get("score") for r in (main, fair, greedy, direct, *ours.values())
                  if r.get("score") is not None and r.get("feasible")]
    reference = None
    if case.name in {"contended", "large"}:
        reference = run_child({"case": case.name, "seed": seed, "method": "reference",
                               "time_limit": REFERENCE_TIME_LIMIT})
        rows.append(_row(case, seed, "reference: our programme, whole, to HiGHS",
                         REFERENCE_TIME_LIMIT, reference))
        if reference.get("feasible"):
            candidates.append(reference["score"])
    best_known = max(candidates) if candidates else None

    def verdict(target, measured, passed):
        verdicts.append({"case": case.name, "seed": seed, "target": target,
                         "measured": measured, "passed": bool(passed)})

    if "error" in main:
        verdict(case.target, f"error: {main['error']}", False)
        return rows, verdicts
    if case.name in {"santa-marta", "small", "bilateral"}:
        verdict(case.target,
                f"score {main['score']:g}, bound {main['bound']:g}, proven "
                f"{main['proven']}, {main['seconds']:.2f} s",
                main["proven"] and main["seconds"] < case.time_limit)
    elif case.name == "medium":
        quick, proof = ours[5.0], ours[case.time_limit]
        optimum = proof["score"] if proof["proven"] else best_known
        ratio = quick["score"] / optimum if optimum else 0.0
        above = (quick["bound"] - quick["score"]) / quick["score"] if quick["score"] else math.inf
        verdict(">= 99.9% of the optimum within 5 s, bound <= 0.5% above the score",
                f"{100 * ratio:.3f}% of {'the optimum' if proof['proven'] else 'best known'} "
                f"{optimum:g} in {quick['seconds']:.2f} s, bound {100 * above:.3f}% above",
                ratio >= 0.999 and above <= 0.005 and quick["seconds"] < 5.0)
        verdict("proven optimal within 20 s",
                f"proven {proof['proven']} in {proof['seconds']:.2f} s",
                proof["proven"] and proof["seconds"] < 20.0)
        rows_repair, verdict_repair = _repair(case, seed, schedule_file)
        rows.extend(rows_repair)
        verdicts.extend(verdict_repair)
    elif case.name == "large":
        verdicts.append(large_verdict(case, seed, main, reference))
    elif case.name == "contended":
        ratio = main["score"] / best_known if best_known else 0.0
        honest = main["bound"] is not None and main["bound"] >= best_known - 1e-9
        verdict(case.target,
                f"{100 * ratio:.3f}% of best known {best_known:g} in {main['seconds']:.2f} s, "
                f"bound {main['bound']:g} {'>=' if honest else '<'} best known, "
                f"{main['requests']} requests",
                ratio >= 0.995 and main["seconds"] < case.time_limit and honest
                and main["requests"] > 1000)
    return rows, verdicts


def large_verdict(case, seed, main: dict, reference: dict | None) -> dict:
    """The 500-delegation target, ">= 99.9% of the LP-relaxation bound within 30 s": when
    the reference run proves that the optimum itself lies below 99.9% of our bound, no
    schedule can meet the target as written; the row then says so and judges the score
    against the proven optimum instead, rather than reporting a plain FAIL."""
    bound = main["bound"]
    ratio = main["score"] / bound if bound else 0.0
    in_limits = main["seconds"] < case.time_limit and main["peak_mb"] <= 1024
    measured = (f"{100 * ratio:.3f}% of our bound {bound:g} (LP relaxation, by weak duality) "
                f"in {main['seconds']:.2f} s, peak {main['peak_mb']:.0f} MB")
    verdict = {"case": case.name, "seed": seed, "target": case.target,
               "passed": ratio >= 0.999 and in_limits}
    if reference and reference.get("proven") and reference.get("feasible"):
        optimum = reference["score"]
        of_optimum = main["score"] / optimum if optimum else 0.0
        measured += (f"; {100 * of_optimum:.3f}% of the optimum {optimum:g} (proven by the "
                     f"reference run)")
        if bound and optimum / bound < 0.999:
            measured += (f"; unattainable as written: the optimum is "
                         f"{100 * optimum / bound:.3f}% of the LP bound")
            verdict["passed"] = None
            verdict["result"] = ("UNATTAINABLE AS WRITTEN; >= 99.9% of the optimum: "
                                 + ("PASS" if of_optimum >= 0.999 and in_limits else "FAIL"))
    verdict["measured"] = measured
    return verdict


REPAIR_PICKS = 3


def repair_changes(instance, previous, seed: int) -> list[tuple[str, str, str]]:
    """Which delegation drops out of which session: REPAIR_PICKS seeded random picks among
    the delegations busy in the schedule (in a session where they are busy), judged against
    the target, then the busiest presenter in its busiest session, shown as a worst case."""
    presence = constraints.presence(instance, previous)
    busy = sorted(key for key, offers in presence.items() if offers)
    picks = []
    rng = random.Random(f"repair/{seed}")
    delegations = sorted({d for d, _s in busy})
    while len(picks) < min(REPAIR_PICKS, len(delegations)):
        delegation = rng.choice(delegations)
        session = rng.choice([s for d, s in busy if d == delegation])
        if (delegation, session, "random") not in picks:
            picks.append((delegation, session, "random"))
    presenters = {(instance.offer_by_id[r.offer].owner, r.session) for r in previous}
    worst = max(sorted(presenters), key=lambda key: len(presence.get(key, [])))
    picks.append((*worst, "busiest presenter"))
    return picks


def _repair(case, seed, schedule_file: Path):
    """Take one delegation out of one session and compare the repair of the fresh schedule
    with a fresh solve of the changed workshop."""
    instance = case.instance(seed)
    previous = read_rounds(schedule_file)
    presence = constraints.presence(instance, previous)
    rows, verdicts = [], []
    for delegation, session, kind in repair_changes(instance, previous, seed):
        change = [delegation, session]
        busy = len(presence.get((delegation, session), []))
        log(f"  repair ({kind}): {delegation} out of {session}, busy in {busy} rounds there")
        repaired = run_child({"case": case.name, "seed": seed, "method": "ours",
                              "time_limit": REPAIR_TIME_LIMIT, "unavailable": change,
                              "previous": str(schedule_file)})
        fresh = run_child({"case": case.name, "seed": seed, "method": "ours",
                           "time_limit": REPAIR_TIME_LIMIT, "unavailable": change})
        label = f"{delegation} out of {session} ({kind}, in {busy} rounds there)"
        rows.append(_row(case, seed, f"repair: {label}, from previous", REPAIR_TIME_LIMIT,
                         repaired))
        rows.append(_row(case, seed, f"repair: {label}, fresh solve", REPAIR_TIME_LIMIT,
                         fresh))
        if "error" in repaired or "error" in fresh:
            verdicts.append({"case": case.name, "seed": seed, "target": "repair",
                             "measured": "error", "passed": False})
            continue
        changes = repaired.get("changes", {})
        moved = changes.get("rounds_moved", 0) + changes.get("rounds_removed", 0)
        share_moved = moved / len(previous) if previous else 0.0
        ratio = repaired["score"] / fresh["score"] if fresh.get("score") else 0.0
        measured = (
            f"{label}: {moved} of {len(previous)} rounds moved or removed "
            f"({100 * share_moved:.1f}%), {changes.get('rounds_added', 0)} added, "
            f"{changes.get('attendances_changed', 0)} attendances changed; score "
            f"{repaired['score']:g} = {100 * ratio:.2f}% of fresh {fresh['score']:g}"
        )
        passed = share_moved <= 0.05 and ratio >= 0.995
        if kind == "random":
            verdicts.append({"case": case.name, "seed": seed,
                             "target": "repair: <= 5% of rounds moved, >= 99.5% of a fresh "
                                       "solve", "measured": measured, "passed": passed})
        else:
            verdicts.append({"case": case.name, "seed": seed,
                             "target": "(worst case, for information: not a target)",
                             "measured": measured, "passed": None})
    return rows, verdicts


# -- the report ---------------------------------------------------------------------------


def _number(value, digits=1, suffix=""):
    if value is None:
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    return f"{value:.{digits}f}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


HEADER_RESULTS = ("| case | seed | method | limit s | score | bound | gap | seconds | peak MB "
                  "| worst share | proven |")
HEADER_TARGETS = "| case | seed | target | measured | result |"


def result_lines(report: dict) -> list[str]:
    lines = []
    for row in report["rows"]:
        if "skipped" in row or "error" in row:
            note = row.get("skipped") or f"error: {row['error']}"
            lines.append(f"| {row['case']} | {row['seed']} | {row['method']} | "
                         f"{row['limit']:g} | {note} | | | | | | |")
            continue
        score = row.get("score")
        bound = row.get("bound")
        gap = None
        if score is not None and bound:
            gap = 100 * (bound - score) / bound
        infeasible = "" if row.get("feasible", True) else " (INFEASIBLE)"
        score_text = "no solution" if row.get("no_solution") else _number(score) + infeasible
        lines.append(
            f"| {row['case']} | {row['seed']} | {row['method']} | {row['limit']:g} | "
            f"{score_text} | {_number(bound)} | {_number(gap, 3, '%')} | "
            f"{_number(row.get('seconds'), 2)} | {_number(row.get('peak_mb'), 0)} | "
            f"{_number(row.get('worst_share'), 3)} | {'yes' if row.get('proven') else 'no'} |"
        )
    return lines


def verdict_lines(report: dict) -> list[str]:
    lines = []
    for verdict in report["verdicts"]:
        result = verdict.get("result") or {True: "PASS", False: "FAIL", None: "—"}[
            verdict["passed"]]
        lines.append(f"| {verdict['case']} | {verdict['seed']} | {verdict['target']} | "
                     f"{verdict['measured']} | {result} |")
    return lines


def markdown(report: dict, *, command: str, info: dict, started: str, load: tuple,
             load_after: tuple, seeds: list[int], wall: float) -> str:
    lines = [
        "## Negotiation-round optimiser",
        "",
        f"Command: `{command}` (seeds {', '.join(map(str, seeds))}; {wall / 60:.1f} minutes "
        "in all).",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; Python "
        f"{info['python']}, {info['versions']}. Run started {started}; load average "
        f"{load[0]:.2f} before, {load_after[0]:.2f} after (other work on the machine slows "
        "every figure below).",
        "",
        "Each line is one run in a fresh process: its wall-clock seconds include building "
        "the model and computing the bound; peak MB is that process's peak resident memory "
        "(Python, NumPy, SciPy and HiGHS included). Score and worst share are recomputed from "
        "the schedule and the schedule is checked by the validator (an infeasible answer "
        "would be marked). Gap = (bound - score) / bound. Worst share: the smallest share of "
        "requested weight met over the delegations that can be served at all. For `fair`, "
        "the bound is the best score among schedules at least as fair (see the optimiser's "
        "README). A time target is met only by a run that ends strictly inside it.",
        "",
        HEADER_RESULTS,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *result_lines(report),
        "",
        "Targets of issue 4:",
        "",
        HEADER_TARGETS,
        "| --- | --- | --- | --- | --- |",
        *verdict_lines(report),
    ]
    return "\n".join(lines) + "\n"


def _table_rows(lines: list[str], header: str) -> tuple[int, int]:
    """The [start, end) line range of the data rows of the table under `header`."""
    start = lines.index(header) + 2
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return start, end


def _case_seed(line: str) -> tuple[str, str]:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return cells[0], cells[1]


def merge_sections(old_section: str, new_section: str, note: str) -> str:
    """The old section with the rows of every (case, seed) of the new section in place of
    its own, in the cases' order, and `note` (which rows were re-run, when, under what
    load) above the results; rows of cases and seeds not re-run are kept as they were."""
    lines = old_section.rstrip("\n").split("\n")
    new_lines = new_section.rstrip("\n").split("\n")
    order = {name: index for index, name in enumerate(CASES)}

    def key(line: str):
        case, seed = _case_seed(line)
        return (order.get(case, len(order)), int(seed) if seed.isdigit() else 0)

    rerun = set()
    for header in (HEADER_RESULTS, HEADER_TARGETS):
        start, end = _table_rows(new_lines, header)
        rerun |= {_case_seed(line) for line in new_lines[start:end]}
    for header in (HEADER_TARGETS, HEADER_RESULTS):
        start, end = _table_rows(lines, header)
        new_start, new_end = _table_rows(new_lines, header)
        kept = [line for line in lines[start:end] if _case_seed(line) not in rerun]
        # sorted is stable: the rows of one case and seed keep their own order
        lines[start:end] = sorted(kept + new_lines[new_start:new_end], key=key)
    anchor = lines.index(HEADER_RESULTS)
    lines[anchor:anchor] = [note, ""]
    return "\n".join(lines) + "\n"


def rerun_note(new_section: str, *, command: str, started: str, load: tuple,
               load_after: tuple, wall: float) -> str:
    new_lines = new_section.rstrip("\n").split("\n")
    start, end = _table_rows(new_lines, HEADER_RESULTS)
    pairs = list(dict.fromkeys(_case_seed(line) for line in new_lines[start:end]))
    what = ", ".join(f"{case} seed {seed}" for case, seed in pairs)
    return (f"Re-run {started}: `{command}` replaced the rows of {what} ({wall / 60:.1f} "
            f"minutes; load average {load[0]:.2f} before, {load_after[0]:.2f} after); the "
            "other rows are from the run above.")


def read_section(path: Path) -> str | None:
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return None
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return section.lstrip("\n")


def write_section(path: Path, section: str) -> None:
    """Replace only what lies between the optimiser's markers; other sections belong to
    other people."""
    block = f"{BEGIN}\n{section}{END}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            _old, after = rest.split(END, 1)
            text = before + block + after
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = "# Benchmarks\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matchmaking.optimizer.bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="FILE",
                        help="write the results between the optimiser's markers of FILE")
    parser.add_argument("--quick", action="store_true",
                        help=f"only the small cases ({', '.join(QUICK)})")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--seeds", default="0,1,2",
                        help="comma-separated seeds of the generated cases (default: 0,1,2)")
    parser.add_argument("--merge", action="store_true",
                        help="with --write: replace only the rows of the cases and seeds run "
                             "now, keep the others")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        sys.stdout.write(json.dumps(measure(json.loads(args.measure))) + "\n")
        return 0
    names = list(QUICK) if args.quick else list(CASES)
    if args.cases:
        names = [name.strip() for name in args.cases.split(",")]
        unknown = [name for name in names if name not in CASES]
        if unknown:
            parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    seeds = [int(seed) for seed in args.seeds.split(",")]
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()
    clock = time.perf_counter()
    report = benchmark(names, seeds)
    command = "python -m matchmaking.optimizer.bench " + " ".join(argv or sys.argv[1:])
    load_after, wall = os.getloadavg(), time.perf_counter() - clock
    text = markdown(report, command=command.strip(), info=machine(), started=started,
                    load=load, load_after=load_after, seeds=seeds, wall=wall)
    sys.stdout.write(text)
    if args.write:
        old = read_section(Path(args.write)) if args.merge else None
        if old is not None and HEADER_RESULTS in old and HEADER_TARGETS in old:
            note = rerun_note(text, command=command.strip(), started=started, load=load,
                              load_after=load_after, wall=wall)
            text = merge_sections(old, text, note)
        write_section(Path(args.write), text)
    # A missed target is reported in the table, not as a failing command: the report is
    # the product, and `make bench` goes on to the other benchmarks.
    return 0
