"""HiGHS, driven directly through highspy: LP bounds, neighbourhood searches, the proof.

Bounds are never taken on trust from a floating-point LP: `lagrangian_bound` turns any dual
vector into a valid upper bound (weak duality holds for every multiplier vector, so an
inexact interior-point dual still gives a true bound, only a slightly weaker one).
HiGHS runs single-threaded with a fixed random seed, which makes it deterministic as long as
a run ends before its time limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

# Which LP method, measured on the benchmark's programmes (IPM = interior point + crossover,
# which also ends at a vertex): 500-delegation case (150,000 nonzeros) simplex > 30 s, IPM
# 10 s; contended case (39,000) simplex 23 s, IPM 1.9 s; 120-delegation case (20,000)
# simplex 1.8-2.7 s, IPM 0.7 s; bilateral case (73,000) simplex 0.5 s, IPM 2.2 s, because
# with one-seat tables its relaxation is close to a transportation problem; tiny programmes
# the same either way. Hence: the simplex for tiny and for bilateral programmes, else IPM.
SIMPLEX_NONZERO_LIMIT = 10_000
# HiGHS's branch and bound solves its own root LP with the dual simplex: above this size it
# spends the whole budget there, and neighbourhood searches do better.
WHOLE_MIP_NONZERO_LIMIT = 50_000


def lagrangian_bound(
    cost: np.ndarray,
    matrix: sparse.csr_matrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    multipliers: np.ndarray,
) -> float:
    """An upper bound on max{cost.x : row_lower <= Ax <= row_upper, lower <= x <= upper}.

    Positive multipliers price the upper row limits, negative ones the lower limits; a
    multiplier on an infinite side is dropped (set to zero), which keeps the bound valid."""
    multipliers = np.asarray(multipliers, dtype=float).copy()
    multipliers[(multipliers > 0) & ~np.isfinite(row_upper)] = 0.0
    multipliers[(multipliers < 0) & ~np.isfinite(row_lower)] = 0.0
    row_part = np.where(
        multipliers > 0,
        multipliers * np.where(np.isfinite(row_upper), row_upper, 0.0),
        multipliers * np.where(np.isfinite(row_lower), row_lower, 0.0),
    )
    reduced = cost - matrix.T @ multipliers
    column_part = np.maximum(reduced * lower, reduced * upper)
    return float(math.fsum(row_part) + math.fsum(column_part))


@dataclass
class LpOutcome:
    bound: float  # valid upper bound in objective units; +inf when the LP did not finish
    values: np.ndarray | None  # a basic (vertex) solution when one is available
    seconds: float
    method: str


@dataclass
class MipOutcome:
    values: np.ndarray | None
    objective: float | None
    dual_bound: float  # the solver's bound on the (possibly restricted) programme
    status: str  # "optimal", "infeasible", "time_limit", "interrupted", "other"
    seconds: float


ProgressHook = Callable[[float | None, float], None]  # (best objective, dual bound)


class HighsProblem:
    """A maximisation programme in array form, solved by fresh HiGHS instances."""

    def __init__(
        self,
        cost: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        matrix: sparse.csr_matrix,
        row_lower: np.ndarray,
        row_upper: np.ndarray,
        integer: np.ndarray,
        *,
        seed: int = 0,
    ):
        self.cost = np.asarray(cost, dtype=float)
        self.lower = np.asarray(lower, dtype=float)
        self.upper = np.asarray(upper, dtype=float)
        self.matrix = matrix.tocsr()
        self.row_lower = np.asarray(row_lower, dtype=float)
        self.row_upper = np.asarray(row_upper, dtype=float)
        self.integer = np.asarray(integer, dtype=bool)
        self.seed = seed
        self._csc = self.matrix.tocsc()

    @property
    def nonzeros(self) -> int:
        return int(self.matrix.nnz)

    def _model(self, lower, upper, integer: bool) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        n_rows, n_cols = self.matrix.shape
        lp.num_col_ = n_cols
        lp.num_row_ = n_rows
        lp.col_cost_ = self.cost
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = np.where(np.isfinite(self.row_lower), self.row_lower, -highspy.kHighsInf)
        lp.row_upper_ = np.where(np.isfinite(self.row_upper), self.row_upper, highspy.kHighsInf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self._csc.indptr
        lp.a_matrix_.index_ = self._csc.indices
        lp.a_matrix_.value_ = self._csc.data
        lp.a_matrix_.num_col_ = n_cols
        lp.a_matrix_.num_row_ = n_rows
        lp.sense_ = highspy.ObjSense.kMaximize
        if integer:
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
                for flag in self.integer
            ]
        return lp

    def _highs(self, time_limit: float) -> highspy.Highs:
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("random_seed", int(self.seed) % 2_147_483_647)
        highs.setOptionValue("time_limit", max(0.01, float(time_limit)))
        return highs

    @staticmethod
    def _watch(highs: highspy.Highs, should_stop: Callable[[], bool], kinds) -> None:
        def interrupt(event):
            if should_stop():
                event.interrupt()

        for kind in kinds:
            getattr(highs, kind).subscribe(interrupt)

    def solve_lp(
        self,
        *,
        time_limit: float,
        should_stop: Callable[[], bool],
        method: str | None = None,
    ) -> LpOutcome:
        started = time.perf_counter()
        if method is None:
            method = "simplex" if self.nonzeros <= SIMPLEX_NONZERO_LIMIT else "ipm"
        highs = self._highs(time_limit)
        if method == "ipm":
            highs.setOptionValue("solver", "ipm")
            highs.setOptionValue("run_crossover", "on")
        else:
            highs.setOptionValue("solver", "simplex")
        highs.passModel(self._model(self.lower, self.upper, integer=False))
        # Only the interior-point callback: it fires once per iteration (a few dozen), while
        # the simplex one fires so often that it would fight for the GIL with heuristics
        # running meanwhile in the main thread (measured: twice as slow). Simplex solves are
        # only used on programmes small enough to finish within seconds.
        self._watch(highs, should_stop, ("cbIpmInterrupt",))
        highs.run()
        status = highs.getModelStatus()
        solution = highs.getSolution()
        bound = math.inf
        values = None
        if solution.dual_valid:
            duals = np.asarray(solution.row_dual, dtype=float)
            bound = min(
                self.bound_from(duals), self.bound_from(-duals)
            )
        if status == highspy.HighsModelStatus.kOptimal and solution.value_valid:
            values = np.asarray(solution.col_value, dtype=float)
        return LpOutcome(bound=bound, values=values, seconds=time.perf_counter() - started,
                         method=method)

    def bound_from(self, multipliers: np.ndarray) -> float:
        # HiGHS's sign convention for row duals of a maximisation is not part of its
        # documented interface; both signs give valid bounds, the caller takes the smaller.
        return lagrangian_bound(self.cost, self.matrix, self.row_lower, self.row_upper,
                                self.lower, self.upper, multipliers)

    def solve_mip(
        self,
        *,
        time_limit: float,
        should_stop: Callable[[], bool],
        lower: np.ndarray | None = None,
        upper: np.ndarray | None = None,
        start: np.ndarray | None = None,
        absolute_gap: float = 1e-6,
        on_progress: ProgressHook | None = None,
        on_solution: Callable[[np.ndarray, float], None] | None = None,
        options: dict | None = None,
    ) -> MipOutcome:
        started = time.perf_counter()
        highs = self._highs(time_limit)
        for name, value in (options or {}).items():
            highs.setOptionValue(name, value)
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("mip_abs_gap", float(absolute_gap))
        highs.passModel(self._model(
            self.lower if lower is None else lower,
            self.upper if upper is None else upper,
            integer=True,
        ))
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = list(map(float, start))
            solution.value_valid = True
            highs.setSolution(solution)

        last_report = [0.0]

        def interrupt(event):
            if on_progress is not None:
                now = time.perf_counter()
                if now - last_report[0] >= 0.25:
                    last_report[0] = now
                    primal = event.data_out.mip_primal_bound
                    on_progress(
                        None if not math.isfinite(primal) or abs(primal) >= 1e30 else primal,
                        event.data_out.mip_dual_bound,
                    )
            if should_stop():
                event.interrupt()

        highs.cbMipInterrupt.subscribe(interrupt)
        if on_solution is not None:
            def improved(event):
                on_solution(np.asarray(event.data_out.mip_solution, dtype=float),
                            event.data_out.objective_function_value)

            highs.cbMipImprovingSolution.subscribe(improved)
        highs.run()
        model_status = highs.getModelStatus()
        info = highs.getInfo()
        solution = highs.getSolution()
        values = None
        objective = None
        if solution.value_valid and info.primal_solution_status == 2:
            values = np.asarray(solution.col_value, dtype=float)
            objective = float(info.objective_function_value)
        status = {
            highspy.HighsModelStatus.kOptimal: "optimal",
            highspy.HighsModelStatus.kInfeasible: "infeasible",
            highspy.HighsModelStatus.kTimeLimit: "time_limit",
            highspy.HighsModelStatus.kInterrupt: "interrupted",
        }.get(model_status, "other")
        dual_bound = float(info.mip_dual_bound)
        if status == "infeasible":
            dual_bound = -math.inf
        elif not math.isfinite(dual_bound) or abs(dual_bound) >= 1e30:
            dual_bound = math.inf
        return MipOutcome(values=values, objective=objective, dual_bound=dual_bound,
                          status=status, seconds=time.perf_counter() - started)
