"""Reading locust's statistics (`--json-file`): requests, failures and exact percentiles per
request name and per group of names, from locust's response-time histograms."""

import json
from collections import Counter

GROUPS = {
    "public pages": lambda name: name == "public pages",
    "search": lambda name: name == "search",
    "delegate edits": lambda name: name.startswith("delegate: ") and "agenda socket" not in name
    and "agenda message" not in name,
    "organiser": lambda name: name.startswith("organiser: "),
}


def read(path):
    """{name: {"count", "failures", "times": Counter(ms -> count), "max"}}, GET and POST of a
    name together."""
    by_name = {}
    for entry in json.loads(open(path, encoding="utf-8").read()):  # noqa: SIM115
        row = by_name.setdefault(entry["name"], {"count": 0, "failures": 0, "times": Counter(),
                                                 "max": 0})
        row["count"] += entry["num_requests"]
        row["failures"] += entry["num_failures"]
        row["times"].update({float(ms): count for ms, count in entry["response_times"].items()})
        row["max"] = max(row["max"], entry["max_response_time"] or 0)
    return by_name


def percentile(times, fraction):
    """The smallest response time that at least `fraction` of the requests did not exceed."""
    total = sum(times.values())
    if not total:
        return None
    wanted, seen = fraction * total, 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= wanted:
            return ms
    return max(times)


def grouped(by_name):
    """{group: row} over GROUPS, then "all requests" (WebSocket events left out)."""
    groups = {}
    for group, member in GROUPS.items():
        rows = [row for name, row in by_name.items() if member(name)]
        groups[group] = _merge(rows)
    groups["all requests"] = _merge([row for name, row in by_name.items()
                                     if "agenda socket" not in name
                                     and "agenda message" not in name])
    return groups


def _merge(rows):
    merged = {"count": 0, "failures": 0, "times": Counter(), "max": 0}
    for row in rows:
        merged["count"] += row["count"]
        merged["failures"] += row["failures"]
        merged["times"].update(row["times"])
        merged["max"] = max(merged["max"], row["max"])
    return merged
