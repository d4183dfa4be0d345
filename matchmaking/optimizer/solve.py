"""`solve`: build the negotiation rounds, with a proof of quality.

The search, in order, each step only ever improving the best schedule found so far:

1. greedy construction and a short ruin-and-recreate search (`heuristic`);
2. the LP relaxation of the aggregate programme (`formulation`): dual simplex for small
   programmes, interior point with crossover for large ones; its dual vector gives the
   upper bound, recomputed by weak duality (`exact.lagrangian_bound`);
3. RINS: the variables on which the LP vertex and the best schedule agree are fixed and
   HiGHS solves what is left, which is small;
4. HiGHS on the whole programme, started from the best schedule, for the proof (programmes
   small enough for the simplex), or further neighbourhood searches over a few sessions at
   a time (large ones).

Scores are multiples of a weight unit (0.1 under the rank rule), so any bound rounds down to
a multiple of it; a schedule is proven optimal when its recomputed score reaches the bound.

Determinism: HiGHS runs single-threaded with `seed` as its random seed and the heuristics
use `random.Random(seed)` with budgets counted in iterations, so the same instance and seed
give the same schedule on the same machine, provided no step is cut short by `time_limit`.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import constraints, evaluate, explain, repair, rooms
from .compiled import Compiled
from .exact import WHOLE_MIP_NONZERO_LIMIT, HighsProblem
from .formulation import Formulation, build, column_values, reached_count, set_reached
from .heuristic import State, pinned_start, ruin_and_recreate
from .model import (
    OBJECTIVES,
    InfeasibleInstance,
    Instance,
    Round,
    Schedule,
    round_score,
)

ProgressCallback = Callable[[float, float | None, float | None, float], None]
CancelFlag = threading.Event | Callable[[], bool] | None

PROOF_TOLERANCE = 1e-6
# With a previous schedule, what keeping one of its rounds (offer in the same session) is
# worth: as much as meeting its heaviest request (a first choice, 1.0, under the rank
# rule), so that a round moves only when that wins more than one such request per round
# moved. One score step (0.1 under the rank rule) per round was measured first: on the
# 120-delegation benchmark it moved 6.9% of the rounds to win 0.2 (D043 out of s3: a
# second swap of two rounds to keep one attendance); at one first choice it moves 4.6%
# for 0.5% of the score. Keeping an attendance is worth half a score step.
KEEP_ROUND_IN_HEAVIEST_REQUESTS = 1.0
KEEP_ATTENDANCE_STEPS = 0.5
# Programmes small enough for the whole branch and bound (see `_Search.run_all`): above
# this relative gap between the first incumbent and the LP bound, neighbourhoods of two
# sessions are searched before branch and bound (with this share of the time left), below
# it RINS is (with its share). Measured gaps of the greedy start: 120-delegation case
# 0.2-0.46% (RINS finds the optimum within 1-2 s), contended case 0.34% (RINS proves it in
# 4 s), 0.99% and 1.65% (RINS 10-17 s for little, see run_all).
RINS_SHARE = 0.6
# With a previous schedule, the share of the time limit the score's own LP bound may take
# before the search (120-delegation case: about 1 s of 20).
SCORE_BOUND_SHARE = 0.3
WIDE_GAP = 0.007
PAIR_SEARCH_SHARE = 0.75
# The fair objective with a minimum of rounds per delegation: the share of the time left
# that stage 0 (most delegations reaching the minimum) may take before the share stages.
REACHING_SHARE = 0.3


class SolveError(RuntimeError):
    """No feasible schedule was found before the time limit or cancellation (only possible
    when pins need attendees that the quick heuristics could not seat)."""


# -- the run: clock, cancellation, progress ------------------------------------------------


class _Run:
    def __init__(self, time_limit: float, progress: ProgressCallback | None, cancel: CancelFlag):
        self.started = time.perf_counter()
        self.time_limit = max(0.0, float(time_limit))
        self.deadline = self.started + self.time_limit
        self._progress = progress
        self._cancel = cancel
        self.best_score: float | None = None
        self.bound: float | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.perf_counter())

    def cancelled(self) -> bool:
        if self._cancel is None:
            return False
        if isinstance(self._cancel, threading.Event):
            return self._cancel.is_set()
        return bool(self._cancel())

    def should_stop(self) -> bool:
        return self.cancelled() or time.perf_counter() >= self.deadline

    def report(self, best_score: float | None = None, bound: float | None = None,
               *, done: bool = False) -> None:
        if best_score is not None:
            self.best_score = best_score
        if bound is not None:
            self.bound = bound
        if self._progress is None:
            return
        elapsed = self.elapsed()
        fraction = 1.0 if done else (
            min(1.0, elapsed / self.time_limit) if self.time_limit > 0 else 1.0
        )
        self._progress(elapsed, self.best_score, self.bound, fraction)


# -- pins ---------------------------------------------------------------------------------


def check_pins(instance: Instance) -> None:
    """Raise InfeasibleInstance when a pin cannot be honoured on its own, or a set of pins
    breaks a rule together (the attendance of several pins is left to the exact search)."""
    seen_session: dict[tuple[str, str], int] = {}
    per_offer: dict[str, int] = {}
    per_owner: dict[tuple[str, str], int] = {}
    for index, pin in enumerate(instance.pinned):
        offer = instance.offer_by_id[pin.offer]
        room = instance.room_by_id[pin.room]
        where = f"pinned[{index}]"
        if not constraints.can_be_present(instance, offer.owner, pin.session):
            raise InfeasibleInstance(
                f"{where}: the owner {offer.owner!r} of offer {pin.offer!r} is unavailable in "
                f"session {pin.session!r}"
            )
        key = (pin.offer, pin.session)
        if key in seen_session:
            raise InfeasibleInstance(
                f"{where}: offer {pin.offer!r} is also pinned in session {pin.session!r} by "
                f"pinned[{seen_session[key]}] (an offer runs at most once per session)"
            )
        seen_session[key] = index
        per_offer[pin.offer] = per_offer.get(pin.offer, 0) + 1
        if per_offer[pin.offer] > offer.max_repeats:
            raise InfeasibleInstance(
                f"{where}: offer {pin.offer!r} is pinned {per_offer[pin.offer]} times, "
                f"max_repeats is {offer.max_repeats}"
            )
        owner_key = (offer.owner, pin.session)
        per_owner[owner_key] = per_owner.get(owner_key, 0) + 1
        if not constraints.fits(instance, offer.owner, pin.session, per_owner[owner_key]):
            raise InfeasibleInstance(
                f"{where}: {offer.owner!r} would present {per_owner[owner_key]} pinned rounds "
                f"in session {pin.session!r} with "
                f"{instance.delegation_by_id[offer.owner].delegates} delegate(s)"
            )
        if room.capacity < instance.min_attendees:
            raise InfeasibleInstance(
                f"{where}: room {pin.room!r} seats {room.capacity}, min_attendees is "
                f"{instance.min_attendees}"
            )
        able = [
            request.delegation for request in instance.requests_by_offer[pin.offer]
            if constraints.can_be_present(instance, request.delegation, pin.session)
            and constraints.within_attendance_limit(instance, request.delegation, 1)
        ]
        if len(able) < instance.min_attendees:
            raise InfeasibleInstance(
                f"{where}: only {len(able)} delegation(s) can attend offer {pin.offer!r} in "
                f"session {pin.session!r}, min_attendees is {instance.min_attendees}"
            )


# -- the search ---------------------------------------------------------------------------


@dataclass
class _Incumbent:
    values: np.ndarray
    objective: float  # in the programme's units


class _Search:
    """LP bound, RINS, then the whole programme or session neighbourhoods, on one
    formulation; keeps the best incumbent and the best valid bound."""

    def __init__(self, formulation: Formulation, run: _Run, seed: int, *,
                 integral: bool, score_of: Callable[[np.ndarray], float],
                 bound_to_score: Callable[[float], float] | None,
                 lp_method: str | None = None, reports: bool = True,
                 session_pairs: bool = True):
        self.f = formulation
        # False for the max-min stage of `fair`: its worst share is tied between many
        # delegations, which re-planning two sessions rarely lifts; RINS and RENS instead.
        self.session_pairs = session_pairs
        self.lp_method = lp_method
        self.reports = reports
        self.run = run
        self.seed = seed
        self.integral = integral
        self.score_of = score_of
        # None when the objective is not the score (fair stage 1, stability bonus): its
        # bound is then not reported as a bound on the score.
        self.bound_to_score = bound_to_score
        self.global_bound = True
        self.problem = HighsProblem(formulation.cost, formulation.lower, formulation.upper,
                                    formulation.matrix, formulation.row_lower,
                                    formulation.row_upper, formulation.integer, seed=seed)
        self.incumbent: _Incumbent | None = None
        self.bound = math.inf
        self.proven = False
        self.infeasible = False

    def objective_of(self, values: np.ndarray) -> float:
        return float(self.f.cost @ values)

    def offer(self, values: np.ndarray) -> bool:
        objective = self.objective_of(values)
        if self.incumbent is None or objective > self.incumbent.objective + PROOF_TOLERANCE:
            self.incumbent = _Incumbent(values.copy(), objective)
            self._report()
            return True
        return False

    def tighten(self, bound: float) -> None:
        if self.integral and math.isfinite(bound):
            bound = math.floor(bound + PROOF_TOLERANCE)
        if bound < self.bound:
            self.bound = bound
            self._report()

    def closed(self) -> bool:
        return self.incumbent is not None and (
            self.incumbent.objective >= self.bound - PROOF_TOLERANCE
        )

    def _report(self) -> None:
        if not self.reports:
            return
        best = None if self.incumbent is None else round_score(
            self.score_of(self.incumbent.values))
        bound = None
        if self.bound_to_score is not None and math.isfinite(self.bound):
            bound = round_score(self.bound_to_score(self.bound))
        self.run.report(best, bound)

    @property
    def absolute_gap(self) -> float:
        # With integral objective values, a gap below one unit proves optimality.
        return 0.999 if self.integral else PROOF_TOLERANCE

    def run_all(self, *, deadline: float,
                improve: Callable[[Callable[[], bool]], np.ndarray | None] | None = None) -> None:
        """`improve(stop)` runs a heuristic in this thread while HiGHS solves the LP
        relaxation in another (HiGHS releases the GIL), and returns its best columns."""
        run = self.run

        def remaining() -> float:
            return max(0.0, min(deadline, run.deadline) - time.perf_counter())

        def stop() -> bool:
            return run.should_stop() or time.perf_counter() >= deadline

        if self.closed() or stop():
            self.proven = self.closed()
            return
        outcome = {}

        def relax():
            try:
                outcome["lp"] = self.problem.solve_lp(time_limit=remaining(), should_stop=stop,
                                                      method=self.lp_method)
            except BaseException as error:  # re-raised in the calling thread
                outcome["error"] = error

        worker = threading.Thread(target=relax, name="lp-relaxation", daemon=True)
        worker.start()
        if improve is not None:
            values = improve(stop)
            if values is not None:
                self.offer(values)
        while worker.is_alive():
            worker.join(timeout=0.1)
            if run.cancelled() or time.perf_counter() >= min(deadline, run.deadline):
                # The LP thread ends on its own (an interior-point iteration or the
                # crossover can run seconds past the limit on a loaded machine: measured
                # 34 s in 30 s runs of `fair` on the 500-delegation case); the incumbent
                # and the bound found so far stand.
                return
        if "error" in outcome:
            raise outcome["error"]
        lp = outcome["lp"]
        if self.global_bound:
            self.tighten(lp.bound)
        if self.closed():
            self.proven = True
            return
        if lp.values is not None and self._integral_solution(lp.values):
            integral_values = lp.values.copy()
            integral_values[self.f.integer] = np.round(integral_values[self.f.integer])
            self.offer(integral_values)
            if self.closed():
                self.proven = True
                return
        big = self.problem.nonzeros > WHOLE_MIP_NONZERO_LIMIT
        if lp.values is not None and big:
            # Large programmes: RENS first, it needs the time (12 s on the 500-delegation
            # case) and does not need a good incumbent; then RINS around the incumbent.
            # Run side by side they were slower on a busy two-core machine than in turn.
            for name, share in (("rens", 0.7), ("rins", 0.5)):
                if self.closed() or stop():
                    break
                if name == "rins" and self.incumbent is not None:
                    self._restricted(self._rins_job(lp.values), remaining() * share, stop)
                elif name == "rens":
                    self._restricted(self._rens_job(lp.values), remaining() * share, stop)
        elif lp.values is not None and not self.session_pairs:
            for name, share in (("rins", 0.6), ("rens", 0.5)):
                if self.closed() or stop():
                    break
                if name == "rins" and self.incumbent is not None:
                    self._restricted(self._rins_job(lp.values), remaining() * share, stop)
                elif name == "rens":
                    self._restricted(self._rens_job(lp.values), remaining() * share, stop)
        elif lp.values is not None and self.incumbent is not None:
            if self._relative_gap() <= WIDE_GAP:
                # RINS around the incumbent: fix what the LP vertex and the incumbent
                # agree on; small, usually solved within a second or two.
                self._restricted(self._rins_job(lp.values), remaining() * RINS_SHARE, stop)
            else:
                # A gap this wide is closed neither by RINS nor by branch and bound within
                # the budget (contended case, seed 2: RINS 17 s for +1.1, branch and bound
                # nothing in 25 s), while re-solving two sessions at a time with the rest
                # fixed climbs it (same case: 315.0 -> 319.0 of the optimum 319.2 in
                # 20 s). Then branch and bound, from the better incumbent, for the bound.
                self._session_neighbourhoods(
                    deadline=time.perf_counter() + remaining() * PAIR_SEARCH_SHARE,
                    stop=stop, width=2, until_local_optimum=True,
                )
        if self.closed():
            self.proven = True
            return
        if stop():
            return
        if not big or self.incumbent is None:
            self._whole(time_limit=remaining(), stop=stop)
        else:
            self._session_neighbourhoods(deadline=deadline, stop=stop)
        self.proven = self.closed()

    def _relative_gap(self) -> float:
        if self.incumbent is None or not math.isfinite(self.bound) or self.bound <= 0:
            return math.inf
        return (self.bound - self.incumbent.objective) / self.bound

    def _integral_solution(self, values: np.ndarray) -> bool:
        integer = self.f.integer
        return bool(np.all(np.abs(values[integer] - np.round(values[integer])) < 1e-7))

    def _restricted(self, job: dict, time_limit: float, stop) -> None:
        outcome = self.problem.solve_mip(time_limit=time_limit, should_stop=stop, **job)
        if outcome.values is not None:
            self.offer(outcome.values)

    def _rens_job(self, lp_values: np.ndarray):
        """RENS on the rounds: keep the rounds and room sizes on which the LP vertex is
        already integral, let HiGHS choose the fractional ones and every attendance. Few
        decisions remain and the LP has made the others well (measured: the optimum of the
        500-delegation case to within 0.1 in 12 s, without any incumbent)."""
        decided = self.f.integer.copy()
        decided[: self.f.n_x] = False
        decided &= np.abs(lp_values - np.round(lp_values)) < 1e-6
        rounded = np.round(lp_values)
        lower = np.where(decided, rounded, self.problem.lower)
        upper = np.where(decided, rounded, self.problem.upper)
        start = None
        if self.incumbent is not None and np.all(
            (self.incumbent.values >= lower - 1e-9) & (self.incumbent.values <= upper + 1e-9)
        ):
            start = self.incumbent.values
        return {"lower": lower, "upper": upper, "start": start,
                "absolute_gap": self.absolute_gap}

    def _rins_job(self, lp_values: np.ndarray):
        """RINS: fix what the LP vertex and the incumbent agree on."""
        incumbent = self.incumbent.values
        agree = self.f.integer & (np.abs(lp_values - incumbent) < 1e-6)
        return {"lower": np.where(agree, incumbent, self.problem.lower),
                "upper": np.where(agree, incumbent, self.problem.upper),
                "start": incumbent, "absolute_gap": self.absolute_gap}

    def _whole(self, *, time_limit: float, stop) -> None:
        def progress(primal, dual):
            if self.global_bound and dual is not None and math.isfinite(dual):
                self.tighten(dual)

        outcome = self.problem.solve_mip(
            time_limit=time_limit, should_stop=stop,
            start=None if self.incumbent is None else self.incumbent.values,
            absolute_gap=self.absolute_gap, on_progress=progress,
        )
        if outcome.values is not None:
            self.offer(outcome.values)
        if outcome.status == "infeasible":
            self.infeasible = True
        elif self.global_bound and math.isfinite(outcome.dual_bound):
            self.tighten(outcome.dual_bound)
        if outcome.status == "optimal" and self.incumbent is not None:
            # HiGHS stops at the gap tolerance; its own bound closes to the incumbent.
            self.tighten(max(outcome.dual_bound, self.incumbent.objective))

    def _session_neighbourhoods(self, *, deadline: float, stop, width: int = 3,
                                until_local_optimum: bool = False) -> None:
        """Free every variable of `width` sessions, fix the rest at the incumbent, solve;
        the session sets are taken in a seeded order. With `until_local_optimum` every set
        is visited in turn and the search ends after a whole pass without improvement (no
        set of `width` sessions can be re-planned for more); otherwise sets are drawn at
        random until the deadline."""
        c = self.f.compiled
        if c.S <= 1 or self.incumbent is None:
            return
        rng = random.Random(self.seed)
        session_of_column = np.full(self.f.n_columns, -1)
        for j, (_r, s) in enumerate(c.rs_pairs):
            session_of_column[j] = s
        for k, (_o, s) in enumerate(c.os_pairs):
            session_of_column[self.f.n_x + k] = s
            for column in self.f.w_of_round[k]:
                session_of_column[column] = s
        # the minimum-rounds indicators follow the attendances, whichever sessions move
        always_free = np.zeros(self.f.n_columns, dtype=bool)
        always_free[list(self.f.z_of_delegation.values())] = True
        width = min(c.S, width)
        if until_local_optimum:
            sets = [list(chosen) for chosen in itertools.combinations(range(c.S), width)]
            rng.shuffle(sets)
            order = itertools.cycle(sets)
        else:
            order = iter(lambda: rng.sample(range(c.S), width), None)
        unimproved = 0
        for chosen in order:
            if stop():
                break
            free = np.isin(session_of_column, chosen) | ~self.f.integer | always_free
            incumbent = self.incumbent.values
            lower = np.where(free, self.problem.lower, incumbent)
            upper = np.where(free, self.problem.upper, incumbent)
            slice_limit = min(max(0.0, deadline - time.perf_counter()), 10.0)
            if slice_limit < 0.5:
                break
            outcome = self.problem.solve_mip(
                time_limit=slice_limit, should_stop=stop, lower=lower, upper=upper,
                start=incumbent, absolute_gap=self.absolute_gap,
            )
            improved = outcome.values is not None and self.offer(outcome.values)
            if self.closed():
                break
            unimproved = 0 if improved else unimproved + 1
            if until_local_optimum and unimproved >= len(sets):
                break


# -- from and to schedules ---------------------------------------------------------------


def _state_rounds(state: State) -> dict[int, tuple[int, list[int]]]:
    return {k: (state.room_capacity[state.room_of[k]], list(seated))
            for k, seated in state.attendees.items()}


def _decode(formulation: Formulation, values: np.ndarray) -> dict[int, list[int]]:
    c = formulation.compiled
    chosen = {}
    for k in range(formulation.n_y):
        if values[formulation.n_x + k] > 0.5:
            chosen[k] = [c.rs_pairs[j][0] for j in c.rs_of_os[k] if values[j] > 0.5]
    return chosen


def _to_rounds(compiled: Compiled, seated: dict[int, list[int]],
               preferred: dict[tuple[str, str], str]) -> tuple[Round, ...]:
    c = compiled
    by_session: dict[int, dict[str, list[str]]] = {}
    for k, requests in seated.items():
        o, s = c.os_pairs[k]
        attendees = sorted(c.delegation_ids[c.req_delegation[r]] for r in requests)
        by_session.setdefault(s, {})[c.offer_ids[o]] = attendees
    result = []
    for s in sorted(by_session):
        session_id = c.session_ids[s]
        offers = by_session[s]
        fixed = {c.offer_ids[o]: room for (o, ss), room in c.pinned_room.items()
                 if ss == s and c.offer_ids[o] in offers}
        wanted = {offer_id: preferred[(offer_id, session_id)] for offer_id in offers
                  if (offer_id, session_id) in preferred}
        assignment = rooms.assign(c.instance, session_id,
                                  {offer_id: len(att) for offer_id, att in offers.items()},
                                  fixed=fixed, preferred=wanted)
        for offer_id in sorted(offers, key=lambda o: (assignment[o], o)):
            result.append(Round(offer_id, session_id, assignment[offer_id],
                                tuple(offers[offer_id])))
    return tuple(result)


# -- public entry point ------------------------------------------------------------------


def solve(
    instance: Instance,
    *,
    objective: str = "demand",
    time_limit: float = 60.0,
    seed: int = 0,
    previous: Sequence[Round] | Schedule | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag = None,
    min_rounds: int = 0,
) -> Schedule:
    """Build the rounds of `instance`.

    objective: "demand" (most total weight) or "fair" (largest smallest share first, then
    most total weight). previous: a schedule (or its rounds) to stay close to (see
    `repair`). progress(elapsed, best score, bound, fraction) is called from the solving
    thread; cancel (a threading.Event or a callable returning True) stops the search, which
    then returns its best feasible schedule. min_rounds (fair only): before anything else,
    as many delegations as possible attend at least that many rounds (fewer for a delegation
    that cannot attend that many: see `Compiled.round_targets`).

    Raises InfeasibleInstance when the pins cannot all be honoured, SolveError when stopped
    before any feasible schedule was found."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    if not isinstance(min_rounds, int) or isinstance(min_rounds, bool) or min_rounds < 0:
        raise ValueError(f"min_rounds must be an integer >= 0, got {min_rounds!r}")
    if min_rounds and objective != "fair":
        raise ValueError("min_rounds is a target of the fair objective; use objective='fair'")
    run = _Run(time_limit, progress, cancel)
    check_pins(instance)
    previous_rounds: tuple[Round, ...] | None = None
    if previous is not None:
        previous_rounds = tuple(previous.rounds if isinstance(previous, Schedule) else previous)
    compiled = Compiled(instance)
    unit = instance.weight_unit
    integral = unit is not None
    # With a previous schedule every score step is split in two, so that keeping a round
    # or an attendance is worth half the smallest score step (see `_stability_bonus`).
    halves = 2.0 if previous_rounds is not None else 1.0
    scale = halves / unit if unit else 1.0

    kept = repair.keepable(instance, previous_rounds) if previous_rounds else []
    # With a previous schedule the search maximises score plus a stability bonus, whose
    # bound says nothing of the score alone: the score's LP bound is computed first, with a
    # share of the time, so that it never runs past the limit.
    score_bound = (
        _score_bound(compiled, run, seed, time_limit=SCORE_BOUND_SHARE * run.remaining())
        if previous_rounds else math.inf
    )
    start = _heuristic_start(compiled, kept)
    run.report(None if start is None else round_score(start.value),
               _combinatorial_bound(compiled))

    def score_of(values: np.ndarray) -> float:
        return _score_of(compiled, values)

    share_level = share_bound = reached_bound = None
    targets = compiled.round_targets(min_rounds)
    if objective == "demand":
        demand = build(compiled, objective_scale=scale)
        bonus = _stability_bonus(demand, previous_rounds, unit)
        search = _Search(demand, run, seed, integral=integral, score_of=score_of,
                         bound_to_score=None if bonus else (lambda v: v / scale),
                         lp_method=_lp_method(instance))
        improve = None
        if start is not None:
            search.offer(column_values(demand, _state_rounds(start)))
            if not bonus:  # ruin and recreate knows nothing of stability

                def improve(stop):
                    improved = _ruin_and_recreate(compiled, start, seed, stop)
                    return column_values(demand, _state_rounds(improved))

        search.run_all(deadline=run.deadline - _reserve(run, compiled), improve=improve)
        final = search
    else:
        final, share_level, share_bound, reached_bound = _solve_fair(
            compiled, run, seed, start, kept, scale, integral, previous_rounds, targets
        )

    if final.incumbent is None:
        if final.infeasible:
            raise InfeasibleInstance(
                "the pins cannot all be honoured together: their rounds cannot all reach "
                "min_attendees with the delegates available"
            )
        raise SolveError("stopped before a feasible schedule was found")

    preferred = {(r.offer, r.session): r.room for r in previous_rounds or ()}
    rounds_ = _to_rounds(compiled, _decode(final.f, final.incumbent.values), preferred)
    found = constraints.violations(instance, rounds_)
    if found:  # a bug, never an expected outcome: the programme encodes the same rules
        raise AssertionError("solver produced an infeasible schedule: " + str(found[0]))

    score = evaluate.score(instance, rounds_)
    if final.bound_to_score is not None and math.isfinite(final.bound):
        upper_bound = round_score(final.bound_to_score(final.bound))
    elif math.isfinite(score_bound):
        upper_bound = round_score(score_bound)
    else:
        # the search bounded another objective, or its relaxation did not finish in time:
        # the counting bound below (never a second LP past the time limit)
        upper_bound = None
    cheap = _combinatorial_bound(compiled)
    if upper_bound is None or (objective == "demand" and cheap < upper_bound):
        upper_bound = cheap if upper_bound is None else min(upper_bound, cheap)
    upper_bound = max(upper_bound, score)  # a bound below a feasible score would be a bug
    proven = score >= upper_bound - PROOF_TOLERANCE
    reached = None
    if targets:
        reached = _reached_by(compiled, targets, rounds_)
    if objective == "fair":
        proven = proven and share_level is not None and share_bound is not None and (
            share_level >= share_bound - PROOF_TOLERANCE
        )
        if targets:
            proven = proven and reached_bound is not None and reached >= reached_bound
    shares = evaluate.shares(instance, rounds_)
    servable = [compiled.delegation_ids[d] for d in compiled.servable]
    worst = evaluate.worst_share(shares, servable)
    status = "optimal" if proven else (
        "cancelled" if run.cancelled() else
        "time_limit" if run.remaining() <= _reserve(run, compiled) else "stopped"
    )
    run.report(score, upper_bound, done=True)
    return Schedule(
        rounds=rounds_,
        score=score,
        upper_bound=upper_bound,
        objective=objective,
        proven_optimal=proven,
        delegations=shares,
        unmet=explain.unmet(instance, rounds_),
        changes=repair.changes(previous_rounds, rounds_) if previous_rounds is not None
        else None,
        worst_share=worst,
        worst_share_bound=None if share_bound is None else round_score(share_bound),
        min_rounds=min_rounds or None,
        min_rounds_reached=reached,
        min_rounds_reached_bound=reached_bound,
        status=status,
        seconds=round(run.elapsed(), 3),
    )


def _score_of(compiled: Compiled, values: np.ndarray) -> float:
    return math.fsum(compiled.req_weight[r] for j, (r, _s) in enumerate(compiled.rs_pairs)
                     if values[j] > 0.5)


def _stability_bonus(formulation: Formulation, previous: Sequence[Round] | None,
                     unit: float | None) -> bool:
    """Add to the objective a bonus for every round (offer, session) and every attendance
    (delegation, offer, session) of the previous schedule that the new one keeps (see
    KEEP_ROUND_IN_HEAVIEST_REQUESTS). Returns whether any bonus was added."""
    if not previous:
        return False
    c = formulation.compiled
    heaviest = max(c.req_weight, default=1.0) or 1.0
    if unit:
        # the objective counts half steps when there is a previous schedule (see solve);
        # every weight is a multiple of the unit, so every bonus stays integral
        step = 2.0
        round_bonus = KEEP_ROUND_IN_HEAVIEST_REQUESTS * round(heaviest / unit) * step
    else:
        step = 0.1 * min((w for w in c.req_weight if w > 0), default=1.0)
        round_bonus = KEEP_ROUND_IN_HEAVIEST_REQUESTS * heaviest
    attendance_bonus = KEEP_ATTENDANCE_STEPS * step
    cost = formulation.cost.copy()
    seat = {pair: j for j, pair in enumerate(c.rs_pairs)}
    added = False
    for round_ in previous:
        o = c.offer_index.get(round_.offer)
        s = c.session_index.get(round_.session)
        k = c.os_index.get((o, s))
        if k is None:
            continue
        cost[formulation.n_x + k] += round_bonus
        added = True
        for delegation_id in round_.attendees:
            request = c.instance.request_by_pair.get((delegation_id, round_.offer))
            if request is None:
                continue
            r = c.request_index[(delegation_id, round_.offer)]
            j = seat.get((r, s))
            if j is not None:
                cost[j] += attendance_bonus
    formulation.cost = cost
    return added


def _reserve(run: _Run, compiled: Compiled) -> float:
    """Time kept back from the search for what follows it (rooms, validation, explanations)
    and for HiGHS overrunning its limit a little, so that the run ends within time_limit
    (measured on a loaded two-core machine: 0.2 s plus 3e-5 s per request-session pair
    ended 30.07 s and 30.80 s into 30 s runs, hence twice that)."""
    return min(0.15 * run.time_limit, 0.4 + 6e-5 * len(compiled.rs_pairs))


def _lp_method(instance: Instance) -> str | None:
    """Bilateral mode (one-seat tables) has a relaxation close to a transportation problem,
    which the simplex solves several times faster than the interior point (see exact.py)."""
    if instance.rooms and all(room.capacity == 1 for room in instance.rooms):
        return "simplex"
    return None


def _heuristic_start(compiled: Compiled, kept: Sequence[Round]) -> State | None:
    """Pins first, then what can be kept of a previous schedule, then the greedy."""
    state = pinned_start(compiled)
    if state is None:
        return None
    for round_ in sorted(kept, key=lambda r: (r.session, r.room, r.offer)):
        k = compiled.os_index.get((compiled.offer_index[round_.offer],
                                   compiled.session_index[round_.session]))
        if k is None or k in state.attendees:
            continue
        o, s = compiled.os_pairs[k]
        seated = [r for r in compiled.requests_of_offer[o]
                  if compiled.delegation_ids[compiled.req_delegation[r]] in round_.attendees
                  and state.can_attend(r, s)]
        room_free = (state.room_capacity[round_.room], round_.room) in state.free[s]
        if (room_free and state.repeats[o] < compiled.max_repeats[o]
                and state.delegation_free(compiled.owner[o], s)
                and len(seated) >= compiled.min_attendees):
            state.open(k, round_.room, seated)
    state.greedy()
    return state


def _ruin_and_recreate(compiled: Compiled, start: State, seed: int, stop) -> State:
    # The budget is counted in iterations, so that the result does not depend on the
    # machine's speed; it is sized to take about as long as the LP relaxation it runs
    # beside (measured: 600 iterations take 3 to 5 s on the 500-delegation instance, its
    # relaxation about 10 s).
    candidates = len(compiled.os_pairs)
    iterations = 600 if candidates > 2000 else 100 if candidates > 500 else 30
    return ruin_and_recreate(start, seed=seed, iterations=iterations, should_stop=stop)


def _combinatorial_bound(compiled: Compiled) -> float:
    """A quick valid bound: each delegation meets at most as many requests as it has seats
    over the sessions it can attend (and max_attended), at best its heaviest ones."""
    c = compiled
    total = []
    for d, requests in enumerate(c.requests_of_delegation):
        weights = sorted((c.req_weight[r] for r in requests if c.rs_of_request[r]),
                         reverse=True)
        seats = sum(c.delegates[d] for s in range(c.S) if c.present[d][s])
        if c.max_attended[d] is not None:
            seats = min(seats, c.max_attended[d])
        total.extend(weights[:seats])
    return round_score(math.fsum(total))


def _score_bound(compiled: Compiled, run: _Run, seed: int, *, time_limit: float) -> float:
    """The LP bound on the score alone, for when the search optimised something else
    (a stability bonus): FORMAT.md's upper_bound speaks of the score of every schedule."""
    unit = compiled.instance.weight_unit
    scale = 1.0 / unit if unit else 1.0
    formulation = build(compiled, objective_scale=scale)
    problem = HighsProblem(formulation.cost, formulation.lower, formulation.upper,
                           formulation.matrix, formulation.row_lower, formulation.row_upper,
                           formulation.integer, seed=seed)
    lp = problem.solve_lp(time_limit=time_limit, should_stop=run.should_stop,
                          method=_lp_method(compiled.instance))
    bound = lp.bound
    if unit and math.isfinite(bound):
        bound = math.floor(bound + PROOF_TOLERANCE)
    return bound / scale


def _reached_by(compiled: Compiled, targets: dict[int, int], rounds_: Sequence[Round]) -> int:
    """How many delegations attend at least their target in `rounds_` (recomputed from the
    rounds, like the score)."""
    attended: dict[str, int] = {}
    for round_ in rounds_:
        for delegation_id in round_.attendees:
            attended[delegation_id] = attended.get(delegation_id, 0) + 1
    return sum(1 for d, target in targets.items()
               if attended.get(compiled.delegation_ids[d], 0) >= target)


def _solve_fair(compiled: Compiled, run: _Run, seed: int, start: State | None,
                kept: Sequence[Round], scale: float, integral: bool,
                previous: Sequence[Round] | None, targets: dict[int, int]):
    """With `targets`, stage 0 maximises how many delegations reach their minimum rounds;
    stage 1 maximises the worst share, stage 2 the total weight at that level, both keeping
    stage 0's count. Returns (search, share level, share bound, reaching bound)."""

    def score_of(values: np.ndarray) -> float:
        return _score_of(compiled, values)

    fair_start = pinned_start(compiled)
    if fair_start is not None:
        fair_start.favour_worst_off = True
        fair_start.greedy()
    starts = [state for state in (start, fair_start) if state is not None]

    reached = reached_bound = None
    carried_zero = None
    if targets:
        stage_zero = build(compiled, targets=targets, maximise_reaching=True)
        # The count is an integer: bounds round down, a gap below one proves optimality.
        search_zero = _Search(stage_zero, run, seed, integral=True, score_of=score_of,
                              bound_to_score=None, reports=False, session_pairs=False)
        for state in starts:
            search_zero.offer(column_values(stage_zero, _state_rounds(state)))
        search_zero.run_all(deadline=run.started + run.elapsed() + REACHING_SHARE
                            * run.remaining())
        if search_zero.incumbent is None:
            return search_zero, None, None, None
        carried_zero = search_zero.incumbent.values
        reached = reached_count(stage_zero, carried_zero)
        reached_bound = len(targets)
        if math.isfinite(search_zero.bound):
            reached_bound = min(reached_bound,
                                math.floor(search_zero.bound + PROOF_TOLERANCE))
        reached_bound = max(reached_bound, reached)

    stage_one = build(compiled, maximise_worst_share=True, targets=targets,
                      reaching_floor=reached)

    # The max-min relaxation is badly degenerate for the simplex (measured: 16 s against 2 s
    # for the interior point on the bilateral case). Its progress is not a score: stage 1
    # reports nothing, the web layer sees the scores of stage 2.
    search_one = _Search(stage_one, run, seed, integral=False, score_of=score_of,
                         bound_to_score=None, lp_method="ipm", reports=False,
                         session_pairs=False)
    candidates = [column_values(stage_one, _state_rounds(state)) for state in starts]
    if carried_zero is not None:
        # stage 0's columns are stage 1's without the share column, which comes last; its
        # solver may leave an indicator at 0 where the minimum is reached
        values = np.append(carried_zero, 0.0)
        set_reached(stage_one, values)
        candidates.append(values)
    for values in candidates:
        if reached is not None and reached_count(stage_one, values) < reached:
            continue  # would break stage 0's count
        values[stage_one.share_column] = _worst_share_of(stage_one, values)
        search_one.offer(values)
    stage_one_deadline = run.started + run.elapsed() + 0.5 * run.remaining()
    search_one.run_all(deadline=stage_one_deadline)
    if search_one.incumbent is None:
        return search_one, None, None, reached_bound
    level = _worst_share_of(stage_one, search_one.incumbent.values)
    level_bound = search_one.bound if math.isfinite(search_one.bound) else 1.0

    stage_two = build(compiled, share_floor=level, objective_scale=scale, targets=targets,
                      reaching_floor=reached)
    bonus = _stability_bonus(stage_two, previous, compiled.instance.weight_unit)
    search_two = _Search(stage_two, run, seed, integral=integral, score_of=score_of,
                         bound_to_score=None if bonus else (lambda v: v / scale),
                         lp_method=_lp_method(compiled.instance))
    carried = search_one.incumbent.values[: stage_two.n_columns].copy()
    search_two.offer(carried)
    # Stage 1 serves only what lifts the worst share; adding rounds and attendees can only
    # raise shares, so its schedule completed greedily still meets the level.
    completed = _state_from(compiled, _decode(stage_one, search_one.incumbent.values))
    completed.greedy()
    search_two.offer(column_values(stage_two, _state_rounds(completed)))
    search_two.run_all(deadline=run.deadline - _reserve(run, compiled))
    return search_two, level, min(1.0, level_bound), reached_bound


def _state_from(compiled: Compiled, seated: dict[int, list[int]]) -> State:
    """The heuristic state of a schedule given as {candidate round: requests seated}."""
    state = State(compiled)
    by_session: dict[int, dict[str, int]] = {}
    for k, requests in seated.items():
        o, s = compiled.os_pairs[k]
        by_session.setdefault(s, {})[compiled.offer_ids[o]] = len(requests)
    for s, sizes in by_session.items():
        fixed = {compiled.offer_ids[o]: room for (o, ss), room in compiled.pinned_room.items()
                 if ss == s and compiled.offer_ids[o] in sizes}
        placed = rooms.assign(compiled.instance, compiled.session_ids[s], sizes, fixed=fixed)
        for offer_id, room in sorted(placed.items()):
            k = compiled.os_index[(compiled.offer_index[offer_id], s)]
            state.open(k, room, seated[k])
    return state


def _worst_share_of(formulation: Formulation, values: np.ndarray) -> float:
    c = formulation.compiled
    met = [0.0] * len(c.delegation_ids)
    for j, (r, _s) in enumerate(c.rs_pairs):
        if values[j] > 0.5:
            met[c.req_delegation[r]] += c.req_weight[r]
    shares = [met[d] / c.requested_weight[d] for d in c.servable]
    return min(shares) if shares else 1.0
