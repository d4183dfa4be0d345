"""The web job's interface: progress reports and cancellation."""

import threading
import time

from matchmaking.optimizer import is_feasible, solve
from matchmaking.optimizer.bench.generator import Shape, generate

MEDIUM = Shape(delegations=60, offers=150, sessions=5, rooms=10)


def test_progress_reports_elapsed_best_bound_and_fraction():
    instance = generate(MEDIUM, seed=3)
    calls = []
    schedule = solve(instance, time_limit=60, progress=lambda *args: calls.append(args))
    assert calls, "no progress reported"
    elapsed = [c[0] for c in calls]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0
    assert all(0.0 <= c[3] <= 1.0 for c in calls)
    assert all(c[1] is None or c[2] is None or c[1] <= c[2] + 1e-9 for c in calls)
    last = calls[-1]
    assert last[1:] == (schedule.score, schedule.upper_bound, 1.0)


def test_cancel_event_returns_the_best_feasible_schedule_quickly():
    instance = generate(MEDIUM, seed=4)
    cancel = threading.Event()

    def progress(elapsed, best, bound, fraction):
        if best is not None:
            cancel.set()  # as soon as there is something to return

    started = time.perf_counter()
    schedule = solve(instance, time_limit=120, progress=progress, cancel=cancel)
    assert time.perf_counter() - started < 20
    assert schedule.status == "cancelled" or schedule.proven_optimal
    assert is_feasible(instance, schedule.rounds)
    assert schedule.score > 0
    assert schedule.score <= schedule.upper_bound


def test_cancel_may_be_a_callable():
    instance = generate(MEDIUM, seed=5)
    schedule = solve(instance, time_limit=120, cancel=lambda: True)
    assert schedule.status in {"cancelled", "optimal"}
    assert is_feasible(instance, schedule.rounds)
