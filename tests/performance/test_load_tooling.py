"""The load tooling (scripts/load) against a real Daphne on the test database: the locust
scenario's every group of requests runs without a failure, and the fan-out measurement sees
a publication reach every agenda socket. Timings are the benchmark's business
(`make bench-load`); here only that the tooling works."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from matchmaking import demo as matchmaking_demo
from matchmaking.services.exchange import import_workshop
from portal.accounts.roles import Role
from scripts.load import dataset, fanout, stats
from scripts.load.run import UNTHROTTLED
from tests.conftest import make_user
from tests.matchmaking.conftest import committed

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "Organiser-load-9"
GROUPS = ["public pages", "search", "delegate: sign in", "delegate: open draft",
          "delegate: save draft", "delegate: ranking", "delegate: save ranking",
          "delegate: agenda", "delegate: agenda socket", "organiser: sign in",
          "organiser: build page", "organiser: start run", "organiser: poll run"]

pytestmark = [committed, pytest.mark.slow]


def _site_structure():
    """What the session's database setup made: a transactional test's flush removes it."""
    from wagtail.models import Locale, Page

    from portal import demo
    from portal.models import Country
    from portal.services import ensure_home_page, ensure_locales
    from programs.services.structure import ensure_country_pages, ensure_programs_structure

    ensure_locales()
    if not Page.objects.filter(depth=1).exists():  # as Wagtail's first migration makes it
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    demo.load_countries()
    demo.load_institutions()
    home = ensure_home_page(title=demo.HOME["en"]["title"], purpose=demo.HOME["en"]["purpose"],
                            translations={"es": demo.HOME["es"]})
    demo.load_pages(home)
    ensure_programs_structure()
    for country in Country.objects.filter(iso3__in=dataset.COUNTRIES):
        ensure_country_pages(country)


def _database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def load_site(tmp_path):
    """The scenario's data in the test database, and Daphne serving it."""
    _site_structure()
    workshop = import_workshop(matchmaking_demo.document())
    organiser = make_user(Role.ORGANISER, password=PASSWORD)
    workshop.organisers.add(organiser)
    workshop.save()
    scenario = dataset.prepare(workshop_slug=workshop.slug, organiser_email=organiser.email,
                               organiser_password=PASSWORD, delegates=3, extra_profiles=2)
    scenario_path = tmp_path / "scenario.json"
    dataset.write(scenario, scenario_path)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "portal.settings.test", "LOAD_SCENARIO": str(scenario_path),
           **UNTHROTTLED}
    commands = {"daphne": [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port),
                           "portal.asgi:application"]}
    if env.get("REDIS_URL"):  # optimiser runs go to a Channels worker, as in production
        commands["solve-worker"] = [sys.executable, "manage.py", "runworker", "matchmaking-solve"]
    processes = []
    for name, command in commands.items():
        log = (tmp_path / f"{name}.log").open("w")
        processes.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                           stderr=subprocess.STDOUT), log))
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, processes[0][0], tmp_path / "daphne.log")
        yield url, scenario, env, tmp_path
    finally:
        for process, log in processes:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def _wait_until_healthy(url, server, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, log_path.read_text()
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"daphne did not answer:\n{log_path.read_text()}")


def test_the_scenario_runs_without_failure_then_a_publication_reaches_every_socket(load_site):
    """One test for both tools: the site they need takes longer to build than they run."""
    url, scenario, env, tmp_path = load_site
    result = subprocess.run(
        [str(BIN / "locust"), "-f", "scripts/load/locustfile.py", "--headless", "--users", "3",
         "--spawn-rate", "3", "--run-time", "8s", "--stop-timeout", "30", "--host", url,
         "--json-file", str(tmp_path / "run"), "--csv", str(tmp_path / "run"),
         "--only-summary"],
        cwd=ROOT, env={**env, "LOAD_THINK_SCALE": "0.05", "LOAD_DELEGATES": "1"},
        capture_output=True, text=True, timeout=180)
    by_name = stats.read(tmp_path / "run.json")
    failed = {name: row["failures"] for name, row in by_name.items() if row["failures"]}
    assert not failed, (tmp_path / "run_failures.csv").read_text()
    missing = [name for name in GROUPS if by_name.get(name, {}).get("count", 0) == 0]
    assert not missing, result.stderr[-3000:]
    assert stats.grouped(by_name)["delegate edits"]["count"] >= 6

    fan = asyncio.run(fanout.measure([url], scenario, sockets=6, accounts=3))
    assert (fan["opened"], fan["received"], fan["accounts"]) == (6, 6, 3)
    assert len(fan["delays_s"]) == 6 and fan["version"] >= 1
