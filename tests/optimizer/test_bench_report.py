"""The benchmark's verdicts and the merging of a partial re-run into the report."""

from matchmaking.optimizer.bench.cases import CASES
from matchmaking.optimizer.bench.run import (
    HEADER_RESULTS,
    HEADER_TARGETS,
    large_verdict,
    merge_sections,
    verdict_lines,
)

LARGE = CASES["large"]


def ours(score, bound, seconds=29.4, peak_mb=250.0):
    return {"score": score, "bound": bound, "seconds": seconds, "peak_mb": peak_mb}


def reference(score, proven=True):
    return {"score": score, "proven": proven, "feasible": True}


def test_large_target_met_as_written():
    verdict = large_verdict(LARGE, 1, ours(1459.5, 1459.6), reference(1459.5, proven=False))
    assert verdict["passed"] is True and "result" not in verdict
    assert verdict["measured"] == (
        "99.993% of our bound 1459.6 (LP relaxation, by weak duality) in 29.40 s, peak 250 MB")


def test_large_target_unattainable_when_the_optimum_is_below_it():
    verdict = large_verdict(LARGE, 0, ours(1498.4, 1504.2), reference(1498.4))
    assert verdict["passed"] is None
    assert verdict["result"] == "UNATTAINABLE AS WRITTEN; >= 99.9% of the optimum: PASS"
    assert verdict["measured"] == (
        "99.614% of our bound 1504.2 (LP relaxation, by weak duality) in 29.40 s, peak 250 MB;"
        " 100.000% of the optimum 1498.4 (proven by the reference run); unattainable as "
        "written: the optimum is 99.614% of the LP bound")
    assert verdict_lines({"verdicts": [verdict]})[0].endswith(
        "| UNATTAINABLE AS WRITTEN; >= 99.9% of the optimum: PASS |")


def test_large_target_judged_against_the_optimum_still_needs_time_and_quality():
    late = large_verdict(LARGE, 2, ours(1512.3, 1514.4, seconds=30.0), reference(1512.4))
    assert late["result"] == "UNATTAINABLE AS WRITTEN; >= 99.9% of the optimum: FAIL"
    poor = large_verdict(LARGE, 2, ours(1510.0, 1514.4), reference(1512.4))
    assert poor["result"].endswith("FAIL")  # 99.841% of the optimum
    # without a proven optimum, a plain verdict against the bound
    unproven = large_verdict(LARGE, 2, ours(1510.5, 1514.4), reference(1512.4, proven=False))
    assert unproven["passed"] is False and "result" not in unproven


def section(results, targets, intro="Command: `bench` (seeds 0, 1)."):
    return "\n".join([
        "## Negotiation-round optimiser", "", intro, "",
        HEADER_RESULTS, "| --- |", *results, "", "Targets of issue 4:", "",
        HEADER_TARGETS, "| --- |", *targets,
    ]) + "\n"


def test_merge_replaces_only_the_rows_of_the_cases_and_seeds_run_again():
    old = section(
        ["| small | 0 | ours | 1 | old |", "| medium | 0 | ours | 5 | old |",
         "| medium | 0 | greedy | 0 | old |", "| medium | 1 | ours | 5 | old |",
         "| contended | 0 | ours | 30 | old |"],
        ["| small | 0 | proven | old | PASS |", "| medium | 0 | 5 s | old | FAIL |",
         "| medium | 1 | 5 s | old | FAIL |", "| contended | 0 | 99.5% | old | FAIL |"],
    )
    new = section(
        ["| medium | 0 | ours | 5 | new |", "| medium | 0 | greedy | 0 | new |",
         "| contended | 0 | ours | 30 | new |"],
        ["| medium | 0 | 5 s | new | PASS |", "| contended | 0 | 99.5% | new | PASS |"],
        intro="Command: `bench --cases medium,contended --seeds 0`.",
    )
    merged = merge_sections(old, new, "Re-run: medium seed 0, contended seed 0.")
    assert merged == section(
        ["| small | 0 | ours | 1 | old |", "| medium | 0 | ours | 5 | new |",
         "| medium | 0 | greedy | 0 | new |", "| medium | 1 | ours | 5 | old |",
         "| contended | 0 | ours | 30 | new |"],
        ["| small | 0 | proven | old | PASS |", "| medium | 0 | 5 s | new | PASS |",
         "| medium | 1 | 5 s | old | FAIL |", "| contended | 0 | 99.5% | new | PASS |"],
    ).replace(HEADER_RESULTS, "Re-run: medium seed 0, contended seed 0.\n\n" + HEADER_RESULTS)
