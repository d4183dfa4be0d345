"""Browser tests: Debian's Chromium driven by Playwright against a real Daphne server.

The server runs in its own process on its own database (a SQLite file, or a fresh PostgreSQL
database when DATABASE_URL points at PostgreSQL), migrated and loaded with the demo data
once per session, exactly as `make run` does. Tests talk to it only through the browser
(and `portal.manage(...)` for setup or inspection), so nothing depends on the test runner's
transactions.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # Under pytest-xdist (--dist loadgroup) one worker runs them all, last: they share
            # one server and one browser, and Playwright's loop must not precede other tests.
            item.add_marker(pytest.mark.xdist_group("browser"))


@dataclass
class LivePortal:
    url: str
    env: dict
    mail_dir: Path

    def manage(self, *args, check=True):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=check, timeout=300)

    def mails(self):
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            messages.extend(part for part in path.read_text().split("-" * 79) if part.strip())
        return messages


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_dir, worker):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        suffix = os.environ.get("PORTAL_TEST_SUFFIX", "")
        name = f"portal_browser_{suffix}_{worker}" if suffix else f"portal_browser_{worker}"
        admin_url = url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        base = url.rsplit("/", 1)[0]
        return f"{base}/{name}", lambda: _drop_postgres(admin_url, name)
    return f"sqlite:///{tmp_dir / 'browser.sqlite3'}", lambda: None


def _drop_postgres(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def live_portal(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    tmp_dir = tmp_path_factory.mktemp("live-portal")
    database_url, drop_database = _database_url(tmp_dir, worker)
    mail_dir = tmp_dir / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(tmp_dir / "media"),
        "PORTAL_VAR_DIR": str(tmp_dir / "var"),
        "CHANNELS_PREFIX": f"browser-{os.environ.get('PORTAL_TEST_SUFFIX', '')}-{worker}",
        # Every request of the session comes from 127.0.0.1, and the API fuzzer alone sends
        # several hundred a minute by design; tests/security proves the limits themselves.
        **{f"RATE_LIMIT_{scope}": "100000/m" for scope in ("LOGIN", "ACCOUNT", "SEARCH_API",
                                                            "API")},
    }
    port = _free_port()
    env["BASE_URL"] = f"http://127.0.0.1:{port}"
    portal = LivePortal(url=f"http://127.0.0.1:{port}", env=env, mail_dir=mail_dir)
    portal.manage("migrate", "--noinput", "-v0")
    portal.manage("load_demo_data", "-v0")
    log = (tmp_dir / "daphne.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port),
         "portal.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(portal.url, server, tmp_dir / "daphne.log")
        yield portal
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        drop_database()


def _wait_until_healthy(url, server, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"daphne exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"daphne did not answer within {timeout}s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def chromium(live_portal):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, request):
    """A fresh browser context (no cookies) with a desktop viewport."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def phone_page(chromium):
    """A fresh context the size of a phone, with touch."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                   has_touch=True, locale="es-CO")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def policy_violations(page):
    """A list that fills with the page's Content Security Policy reports as it runs."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def sign_in(page, portal, email, password, language="en"):
    page.goto(f"{portal.url}/{language}/account/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")



