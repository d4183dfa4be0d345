"""`python -m scripts.load.run --write docs/benchmarks.md` (`make bench-load`): the load
benchmark on PostgreSQL and Redis, bounded in time.

1. A database of its own (`portal_load`), migrated, with the demo data and the scenario's
   people and pages (`scripts.load.dataset`).
2. Daphne workers on 127.0.0.1 (one process per core by default: Daphne runs each request's
   view in a thread of its own, but Python's threads share one core per process; there is
   no proxy here, so locust gives each simulated user one worker in turn), a Channels worker
   for the optimiser runs, Redis as channel layer and cache, psycopg's connection pool.
3. locust, headless: the scenario with the public page cache on, then the same scenario
   with it off (the baseline: what the cache saves, on the same machine in the same run),
   then anonymous visitors alone with the cache on.
4. The fan-out: agenda sockets opened as delegates on every worker, a publication, the
   delay until each socket hears of it (`scripts.load.fanout`).
5. The figures written between <!-- load:begin --> and <!-- load:end -->.
"""

import argparse
import asyncio
import contextlib
import csv
import datetime
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from portal.bench_support import drop_postgres_database, fresh_postgres_database, write_section
from scripts.load import stats

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
P95_TARGET_MS, FANOUT_TARGET_S = 300, 2.0
TARGET_GROUPS = ("public pages", "search")
# Every simulated user comes from 127.0.0.1, so the per-address rate limits, meant for one
# client, would refuse the whole crowd; they are tested in tests/security, not measured here.
UNTHROTTLED = {f"RATE_LIMIT_{scope}": "1000000/m"
               for scope in ("LOGIN", "ACCOUNT", "SEARCH_API", "API")}


def log(message):
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)  # noqa: T201


def prepare_main(argv):
    """`python -m scripts.load.run prepare OUTPUT`: runs inside Django (the env's settings)."""
    import django

    django.setup()
    from scripts.load import dataset

    scenario = dataset.prepare(workshop_slug="santa-marta-2012",
                               organiser_email="organiser@example.org",
                               organiser_password="Organiser-demo-2026",  # noqa: S106 - demo
                               delegates=int(argv[1]), extra_profiles=int(argv[2]))
    dataset.write(scenario, argv[0])


class Servers:
    """Daphne workers and the optimiser's Channels worker, started and stopped together."""

    def __init__(self, env, ports, work, label):
        self.env, self.ports, self.work, self.label = env, ports, work, label
        self.processes = []

    @property
    def urls(self):
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def __enter__(self):
        for port in self.ports:
            self._start(f"daphne-{port}", [str(BIN / "daphne"), "-b", "127.0.0.1", "-p",
                                           str(port), "portal.asgi:application"])
        self._start("solve-worker", [sys.executable, "manage.py", "runworker",
                                     "matchmaking-solve"])
        for url in self.urls:
            self._wait(url)
        return self

    def _start(self, name, command):
        output = (self.work / f"{self.label}-{name}.log").open("w")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output,  # noqa: S603
                                   stderr=subprocess.STDOUT)
        self.processes.append((process, output))

    def _wait(self, url, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{url} did not answer within {timeout} s (logs in {self.work})")

    def __exit__(self, *exc):
        for process, _output in self.processes:
            process.terminate()
        for process, output in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            output.close()


def run_locust(env, servers, scenario_path, work, name, users, spawn_rate, seconds,
               user_classes=()):
    prefix = work / name
    command = [str(BIN / "locust"), "-f", "scripts/load/locustfile.py", "--headless",
               "--users", str(users), "--spawn-rate", str(spawn_rate),
               "--run-time", f"{seconds + users // spawn_rate}s", "--reset-stats",
               "--stop-timeout", "30", "--host", servers.urls[0], "--csv", str(prefix),
               "--json-file", str(prefix), "--only-summary", "--loglevel", "WARNING",
               *user_classes]
    log(f"locust {name}: {users} users for {seconds} s after a {users // spawn_rate} s ramp-up")
    with (work / f"{name}-locust.log").open("w") as output:
        subprocess.run(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, timeout=600,  # noqa: S603
                       env={**env, "LOAD_SCENARIO": str(scenario_path),
                            "LOAD_CACHE_COUNTS": str(work / f"{name}-cache.json"),
                            "LOAD_HOSTS": ",".join(servers.urls)})
    by_name = stats.read(work / f"{name}.json")
    failures = list(csv.DictReader((work / f"{name}_failures.csv").open()))
    cache_answers = json.loads((work / f"{name}-cache.json").read_text())
    return {"by_name": by_name, "groups": stats.grouped(by_name), "failures": failures,
            "cache_answers": cache_answers,
            "seconds": seconds, "users": users}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["prepare"]:
        return prepare_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--duration", type=int, default=75, help="seconds after ramp-up")
    parser.add_argument("--baseline-duration", type=int, default=45)
    parser.add_argument("--delegates", type=int, default=30,
                        help="delegate accounts, each with a profile of its own")
    parser.add_argument("--extra-profiles", type=int, default=40)
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--socket-accounts", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--port", type=int, default=8601)
    parser.add_argument("--pool-size", type=int, default=20,
                        help="database connections per server process (DATABASE_POOL_SIZE)")
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default=os.environ.get(
        "BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database", default="portal_load")
    parser.add_argument("--write", help="the Markdown file to update")
    args = parser.parse_args(argv)
    args.started = datetime.datetime.now(datetime.UTC)
    args.load_before = os.getloadavg()
    clock = time.monotonic()

    work = Path(tempfile.mkdtemp(prefix="portal-load-"))
    log(f"work directory {work}")
    database_url = fresh_postgres_database(args.postgres, args.database)
    if database_url is None:
        raise SystemExit("The load benchmark needs PostgreSQL (--postgres).")
    prefix = f"load-{secrets.token_hex(4)}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DEBUG": "0",
           "DATABASE_URL": database_url, "REDIS_URL": args.redis,
           "CHANNELS_PREFIX": prefix, "CACHE_PREFIX": prefix,
           "DATABASE_POOL_SIZE": str(args.pool_size),
           "PORTAL_VAR_DIR": str(work / "var"), "MEDIA_ROOT": str(work / "media"),
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT), **UNTHROTTLED}
    for name in ("PORTAL_TEST_SUFFIX", "PYTEST_XDIST_WORKER", "ELASTICSEARCH_URL",
                 "DATABASE_CONN_MAX_AGE"):
        env.pop(name, None)
    try:
        log("migrating, loading the demo data and the scenario's people")
        for command in (["migrate", "--noinput", "-v0"], ["load_demo_data", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,  # noqa: S603
                           check=True, stdout=subprocess.DEVNULL)
        scenario_path = work / "scenario.json"
        subprocess.run([sys.executable, "-m", "scripts.load.run", "prepare",  # noqa: S603
                        str(scenario_path), str(args.delegates), str(args.extra_profiles)],
                       cwd=ROOT, env=env, check=True)
        ports = [args.port + index for index in range(args.workers)]
        args.setup_seconds = time.monotonic() - clock

        with Servers(env, ports, work, "cached") as servers:
            cached = run_locust(env, servers, scenario_path, work, "cached", args.users,
                                args.spawn_rate, args.duration)
        uncached_env = {**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        with Servers(uncached_env, ports, work, "uncached") as servers:
            baseline = run_locust(uncached_env, servers, scenario_path, work, "uncached",
                                  args.users, args.spawn_rate, args.baseline_duration)
        with Servers(env, ports, work, "visitors") as servers:
            visitors = run_locust(env, servers, scenario_path, work, "visitors", args.users,
                                  args.spawn_rate, args.baseline_duration,
                                  user_classes=["AnonymousVisitor"])
        with Servers(env, ports, work, "fanout") as servers:
            log(f"fan-out: {args.sockets} agenda sockets on {len(ports)} workers")
            from scripts.load import dataset, fanout

            fan = asyncio.run(fanout.measure(servers.urls, dataset.read(scenario_path),
                                             sockets=args.sockets,
                                             accounts=args.socket_accounts))
    finally:
        with contextlib.suppress(Exception):
            drop_postgres_database(args.postgres, args.database)
    args.minutes = (time.monotonic() - clock) / 60
    block = render(args, cached, baseline, visitors, fan)
    print(block)  # noqa: T201
    if args.write:
        write_section(args.write, "load", block)
    return 0


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _row(name, row):
    def ms(fraction):
        value = stats.percentile(row["times"], fraction)
        return "—" if value is None else f"{value:,.0f}"

    return (f"| {name} | {row['count']:,} | {row['failures']:,} | {ms(0.5)} | {ms(0.95)} | "
            f"{ms(0.99)} | {row['max']:,.0f} |")


def _table(run):
    lines = [_row(f"**{group}**", row) for group, row in run["groups"].items()]
    lines += [_row(name, row) for name, row in sorted(run["by_name"].items())
              if name not in TARGET_GROUPS]
    return lines


def _verdicts(run):
    lines = []
    for group in TARGET_GROUPS:
        p95 = stats.percentile(run["groups"][group]["times"], 0.95)
        if p95 is None:
            lines.append(f"{group}: no request (NOT MET)")
            continue
        lines.append(f"{group} p95 {p95:,.0f} ms ({'met' if p95 < P95_TARGET_MS else 'NOT MET'})")
    failures = sum(row["failures"] for row in run["by_name"].values())
    lines.append(f"{failures} failed request(s) ({'met' if failures == 0 else 'NOT MET'})")
    answers = run["cache_answers"]
    lines.append("page cache answers to anonymous page and search-page requests, ramp-up "
                 "included: " + ", ".join(f"{count:,} {kind}" for kind, count in
                                          sorted(answers.items())))
    return "; ".join(lines)


def render(args, cached, baseline, visitors, fan):
    header = ["| requests | count | failures | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    delays = [delay * 1000 for delay in fan["delays_s"]]
    within = sum(1 for delay in fan["delays_s"] if delay <= FANOUT_TARGET_S)
    fan_met = within == fan["sockets"]
    lines = [
        "## Load: public pages, search, editing, optimiser runs, live agendas",
        "",
        f"Command: `python -m scripts.load.run --users {args.users} "
        f"--duration {args.duration} --baseline-duration {args.baseline_duration} "
        f"--sockets {args.sockets} --delegates {args.delegates} --extra-profiles "
        f"{args.extra_profiles} --write docs/benchmarks.md` (`make bench-load` runs it with "
        "its defaults), run "
        f"{args.started:%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {args.load_before[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after; {args.minutes:.1f} minutes in all (setup "
        f"{args.setup_seconds:.0f} s). The machine is shared: locust, PostgreSQL, Redis and "
        "the servers share its cores with other work, which slows every figure; the baseline "
        "below is measured in the same run.",
        "",
        "Set-up: a fresh PostgreSQL database with the demo data, plus "
        f"{args.delegates} delegate accounts of the Santa Marta workshop's delegations, each "
        f"with a published program profile of its own, and {args.extra_profiles} more "
        "published profiles. "
        f"{args.workers} Daphne worker process(es) on 127.0.0.1 (ports from {args.port}; no "
        "proxy, so each simulated user is given one worker in turn; Python's threads share one "
        "core per process, so one process per core), `runworker "
        "matchmaking-solve` for the optimiser, Redis as channel layer and cache, `DEBUG` off, "
        f"psycopg's connection pool ({args.pool_size} connections per process, "
        "`DATABASE_POOL_SIZE`), Django's default password hasher. locust "
        f"{_locust_version()} (headless, one process on the same machine): {args.users} users "
        f"started at {args.spawn_rate}/s, statistics reset once all are running, then "
        f"{args.duration} s. Users: anonymous visitors (85 of 96 by weight: a page, a search "
        "on the search page, one to three program profiles, a search through "
        "`/api/v1/search/`, the registry directory or its statistics; 1-3 s between steps; "
        "queries of one or two English or Spanish words, half with a country, type, topic or "
        "language facet), delegates (10 of 96: sign in, open the Wagtail edit form of their "
        "profile and save a draft with one field changed, rank offers, open their agenda, "
        "their agenda's WebSocket open all along; 2-5 s between steps), one organiser "
        "(starts a 2-second optimiser run on the workshop and polls it to its end, every "
        "5-10 s).",
        "",
        f"Targets: p95 < {P95_TARGET_MS} ms for public pages and search, no failed request; "
        f"{args.sockets} open agenda WebSockets all told of a publication within "
        f"{FANOUT_TARGET_S:.0f} s.",
        "",
        f"### With the public page cache ({args.duration} s, {args.users} users)",
        "",
        *header,
        *_table(cached),
        "",
        f"Verdict: {_verdicts(cached)}.",
        "",
        f"### Baseline: the same scenario with the public page cache off "
        f"(`PUBLIC_PAGE_CACHE_SECONDS=0`, {args.baseline_duration} s)",
        "",
        *header,
        *_table(baseline),
        "",
        f"Verdict: {_verdicts(baseline)}.",
        "",
    ]
    lines += [
        f"### Visitors alone: {args.users} anonymous visitors, the page cache on, no delegate "
        f"or organiser ({args.baseline_duration} s)",
        "",
        "What the public side costs without the editing and optimiser work that shares the "
        "cores in the runs above. Redis keeps the cache between runs, so this one starts with "
        "the pages the first run stored (the first run started empty).",
        "",
        *header,
        *_table(visitors),
        "",
        f"Verdict: {_verdicts(visitors)}.",
        "",
    ]
    for name, run in (("cached", cached), ("baseline", baseline), ("visitors", visitors)):
        for failure in run["failures"][:5]:
            lines.append(f"- Failure ({name}): {failure['Occurrences']} × {failure['Method']} "
                         f"{failure['Name']}: {failure['Error'][:200]}")
    lines += [
        "",
        "### WebSocket fan-out",
        "",
        f"{fan['opened']} agenda WebSockets opened to `/ws/workshops/santa-marta-2012/agenda/` "
        f"over the {args.workers} worker(s) in turn, as {fan['accounts']} signed-in delegates "
        "(real session cookies, several tabs each); the organiser ran the optimiser, then "
        f"published its version {fan['version']} through the publish form; the clock starts "
        "when the form is sent. Publishing answered in "
        f"{fan['publish_s'] * 1000:,.0f} ms (the message goes out once it commits).",
        "",
        "| sockets | told | within 2 s | min (ms) | p50 (ms) | p95 (ms) | max (ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {fan['sockets']} | {fan['received']} | {within} | {percentile(delays, 0):,.0f} | "
        f"{percentile(delays, 0.5):,.0f} | {percentile(delays, 0.95):,.0f} | "
        f"{percentile(delays, 1):,.0f} |",
        "",
        f"Verdict: {within} of {fan['sockets']} within {FANOUT_TARGET_S:.0f} s "
        f"({'met' if fan_met else 'NOT MET'}).",
    ]
    return "\n".join(lines)


def _locust_version():
    from importlib.metadata import version

    return version("locust")


if __name__ == "__main__":
    sys.exit(main())
