"""`python -m matchmaking.editor_bench --write docs/benchmarks.md`: how fast the schedule
editor becomes usable in a real browser for a 300-room, 8-session, 2,000-round trade fair.

For each database (SQLite; PostgreSQL when it answers) the parent process creates a fresh
database, loads the demo data, creates the fair (`manage.py create_trade_fair`) and a small
workshop of 14 rounds as the baseline measured in the same run, then serves them with Daphne
and drives Debian's Chromium with Playwright, signed in as the demo organiser. Each view is
opened `--runs` times; the figures come from the browser's Navigation Timing and Long Tasks
entries:

- server: from the request to the first byte of the answer (responseStart);
- interactive: when the page answers input, i.e. the later of DOMContentLoaded's end (the
  page's scripts have run) and the end of the last task longer than 50 ms (the main thread is
  free again); the first-input guarantee of the usual "time to interactive" definition;
- loaded: the load event's end (styles and images done).
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from portal.bench_support import drop_postgres_database, fresh_postgres_database, write_section

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ORGANISER = ("organiser@example.org", "Organiser-demo-2026")
FAIR, SMALL = "trade-fair", "small-fair"
INTERACTIVE_TARGET_MS = 1000

# Long tasks are only reported to observers registered before they happen, so one is
# registered in every document before the page's own scripts run.
LONG_TASK_OBSERVER = """
window.__longTasks = [];
new PerformanceObserver(list => window.__longTasks.push(
    ...list.getEntries().map(e => e.startTime + e.duration))).observe({type: "longtask"});
"""
TIMINGS = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const lastLongTask = Math.max(0, ...window.__longTasks);
    return {server: nav.responseStart, interactive: Math.max(nav.domContentLoadedEventEnd,
            lastLongTask), loaded: nav.loadEventEnd, bytes: nav.transferSize,
            nodes: document.getElementsByTagName("*").length,
            rounds: document.querySelectorAll("article.rounds-round").length};
}"""


def views(fair_round_id):
    """(label, workshop slug, query) of each measured view."""
    return [
        ("small workshop (14 rounds), everything: baseline", SMALL, ""),
        ("fair, no filter (first 12 rooms x 8 sessions)", FAIR, ""),
        ("fair, filtered by room", FAIR, "?room=r120"),
        ("fair, filtered by session (12 rooms)", FAIR, "?session=s5"),
        ("fair, filtered by delegation", FAIR, "?delegation=d0042"),
        ("fair, filtered by topic (first page)", FAIR, "?topic={topic}"),
        ("fair, edit panel open (2,000 swap and 400 move choices)", FAIR,
         f"?edit={fair_round_id}"),
    ]


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True).stdout


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("Daphne stopped before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def prepare(env):
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo_data", "-v0")
    _manage(env, "create_trade_fair", "--slug", FAIR, "--organiser", ORGANISER[0])
    _manage(env, "create_trade_fair", "--slug", SMALL, "--organiser", ORGANISER[0],
            "--rooms", "4", "--sessions", "4", "--rounds", "14", "--delegations", "12")
    probe = _manage(env, "shell", "-c", (
        "from matchmaking.models import Workshop; "
        f"w = Workshop.objects.get(slug='{FAIR}'); "
        "r = w.current_version.rounds.order_by('session__key', 'room__key')[1000]; "
        "t = w.offers.order_by('key').first().topics[0]; print(r.pk, t)"))
    round_id, topic = probe.split()[-2:]
    return round_id, topic


def measure(base_url, paths, round_id, topic, runs):
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.add_init_script(LONG_TASK_OBSERVER)
        page = context.new_page()
        page.goto(base_url + paths["login"])
        page.fill("input[name=username]", ORGANISER[0])
        page.fill("input[name=password]", ORGANISER[1])
        page.click("form button[type=submit]")
        page.wait_for_load_state("load")
        for label, slug, query in views(round_id):
            url = base_url + paths[slug] + query.format(topic=topic)
            page.goto(url, wait_until="load")  # warm-up: templates, caches, connections
            if page.locator("table.rounds-grid").count() != 1:
                raise RuntimeError(f"{url} shows no schedule grid")
            samples = []
            for _run in range(runs):
                page.goto(url, wait_until="load")
                page.wait_for_timeout(100)  # a long task still running is reported after it
                samples.append(page.evaluate(TIMINGS))
            results.append((label, samples))
        browser.close()
    return results


def run_database(name, database_url, args, work):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE":
           "portal.settings.dev", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "PORTAL_VAR_DIR": str(work / name), "MEDIA_ROOT": str(work / name / "media"),
           "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    round_id, topic = prepare(env)
    port = _free_port()
    log = (work / f"daphne-{name}.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's Daphne
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port),
         "portal.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        return measure(f"http://127.0.0.1:{port}", args.paths, round_id, topic, args.runs)
    finally:
        server.terminate()
        server.wait(timeout=30)


def site_paths():
    """The login page and each workshop's editor, in English, from the project's URLconf."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return {"login": reverse("accounts:login"),
                FAIR: reverse("matchmaking:schedule_editor", args=[FAIR]),
                SMALL: reverse("matchmaking:schedule_editor", args=[SMALL])}


def render(by_database, args):
    lines = [
        "## Schedule editor at trade-fair size",
        "",
        f"Command: `make bench-editor` (`python -m matchmaking.editor_bench --runs {args.runs}"
        f"`), run {args.started:%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()}, Debian's Chromium driven by Playwright; "
        f"load average {args.load_before:.2f} before, {os.getloadavg()[0]:.2f} after.",
        "",
        "The fair is `manage.py create_trade_fair`: 300 rooms x 8 sessions, 2,000 rounds, 600 "
        "delegations, 6,600 requests (generator: `matchmaking/optimizer/bench/trade_fair.py`, "
        "tested in `tests/optimizer/test_trade_fair.py`). Each view is opened once to warm "
        f"up, then {args.runs} times; medians, with the slowest run in brackets. *Interactive* "
        "is the later of DOMContentLoaded's end and the end of the last task over 50 ms; "
        "*server* is the time to the first byte. The small workshop is the baseline measured "
        f"in the same run. Target: interactive within {INTERACTIVE_TARGET_MS} ms.",
        "",
    ]
    for database, results in by_database:
        lines += [
            f"### {database}",
            "",
            "| view | server | interactive | loaded | HTML | elements | rounds shown |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, samples in results:
            def figure(key, samples=samples):
                values = [s[key] for s in samples]
                return f"{statistics.median(values):.0f} ms ({max(values):.0f})"
            last = samples[-1]
            lines.append(f"| {label} | {figure('server')} | {figure('interactive')} | "
                         f"{figure('loaded')} | {last['bytes'] / 1024:.0f} KiB | "
                         f"{last['nodes']:,} | {last['rounds']} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--write", help="the Markdown file to update")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing: install Debian's chromium package")
    args.paths = site_paths()
    args.started = datetime.datetime.now(datetime.UTC)
    args.load_before = os.getloadavg()[0]
    by_database = []
    with tempfile.TemporaryDirectory(prefix="bench-editor-") as work:
        work = Path(work)
        by_database.append(("SQLite", run_database(
            "sqlite", f"sqlite:///{work / 'bench.sqlite3'}", args, work)))
        name = f"bench_editor_{os.environ.get('PORTAL_TEST_SUFFIX', 'portal')}"
        postgres = fresh_postgres_database(args.postgres, name)
        if postgres:
            try:
                by_database.append(("PostgreSQL", run_database("postgres", postgres, args,
                                                               work)))
            finally:
                drop_postgres_database(args.postgres, name)
    section = render(by_database, args)
    print(section)  # noqa: T201
    if args.write:
        write_section(args.write, "editor", section)


if __name__ == "__main__":
    main()
