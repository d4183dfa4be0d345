"""Security headers on the key public pages, and the production settings that add HSTS,
secure cookies and a clean `manage.py check --deploy`."""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from programs.services.profiles import write_profile
from tests.matchmaking.rounds_factories import small_workshop
from tests.programs.conftest import profile_record
from tests.programs.registry.factories import make_entry

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def directives(response):
    return {part.split()[0]: part.split()[1:]
            for part in response["Content-Security-Policy"].split("; ")}


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts and event-handler attributes.
    JSON data blocks (type="application/json") are data, not script."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.found.extend(f"<{tag} {name}=…>" for name in attributes if name.startswith("on"))
        for name in ("href", "src", "action", "formaction"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not attributes.get("src"):
            self._in_inline_script = attributes.get("type") != "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…</script>")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def public_pages(client, organiser):
    """The paths of the key pages, with a signed-in organiser where a page needs one."""
    workshop, _sessions, _delegations = small_workshop(organiser=organiser)
    profile = write_profile(profile_record(), publish=True)
    entry = make_entry("approved")
    client.force_login(organiser)
    return {
        "home": "/en/",
        "search": "/en/search/?q=program",
        "profile": profile.get_url(),
        "registry": "/en/programs/articulators/",
        "registry entry": f"/en/programs/articulators/{entry.pk}/",
        "workshop": f"/en/workshops/{workshop.slug}/",
        "workshop agenda": f"/en/workshops/{workshop.slug}/agenda/COL/",
        "API list": "/api/v1/programs/",
        "API search": "/api/v1/search/?q=program",
    }


def test_key_pages_send_a_strict_policy_and_run_no_inline_code(client, public_pages):
    anonymous = Client()
    for name, path in [*public_pages.items(), ("login", "/en/account/login/")]:
        response = (anonymous if name == "login" else client).get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        policy = directives(response)
        for directive in ("script-src", "default-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive], (name, directive)
            assert "'unsafe-eval'" not in policy[directive], (name, directive)
        assert policy["script-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["object-src"] == ["'none'"], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        if response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], (name, path)


def test_the_inline_code_detector_finds_what_it_looks_for():
    html = ('<script src="/static/a.js"></script><script type="application/json">{}</script>'
            '<p onclick="x()">a</p><script>alert(1)</script><a href=" JavaScript:go()">b</a>')
    assert inline_code(html) == ["<p onclick=…>", "<script>alert(1)…</script>",
                                 "<a href=javascript:…>"]


# -- production settings ----------------------------------------------------------------------

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    "BASE_URL": "https://portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ELASTICSEARCH_URL": "http://search.internal:9200",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "portal@example.org",
}
SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "DEBUG",
]
PROBE = f"""
import io, json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings


def deploy_check():
    output = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=output, stderr=output)
    except SystemCheckError as error:
        return str(error)
    return ""


problems = deploy_check()
with override_settings(SECURE_HSTS_SECONDS=0, SECURE_SSL_REDIRECT=False):
    weakened = deploy_check()
print(json.dumps({{"problems": problems, "weakened": weakened, "settings": {{
    name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}}}))
"""


def production(tmp_path):
    """`manage.py check --deploy` and the security settings, as the production settings
    module computes them from a realistic environment (in a process of its own)."""
    env = {**os.environ, **PRODUCTION_ENVIRONMENT, "SECRET_KEY": secrets.token_urlsafe(50),
           "PORTAL_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for name in ("DEBUG", "PORTAL_TEST_SUFFIX"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production_report(tmp_path_factory):
    return production(tmp_path_factory.mktemp("production"))


def test_check_deploy_is_clean_in_production(production_report):
    assert production_report["problems"] == ""


def test_check_deploy_would_report_a_weakened_deployment(production_report):
    """The same check, in the same process, with HSTS and the HTTPS redirect turned off."""
    assert "security.W004" in production_report["weakened"]
    assert "security.W008" in production_report["weakened"]


def test_production_sends_hsts_and_secure_cookies(client, settings, production_report,
                                                  organiser):
    values = production_report["settings"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["DEBUG"] is False
    for name, value in values.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)

    assert client.get("/en/account/login/").status_code == 301  # plain HTTP goes to HTTPS
    page = client.get("/en/account/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"]
    signed_in = client.post("/en/account/login/", {
        "username": organiser.email, "password": "Correct-horse-9",
        "csrfmiddlewaretoken": page.cookies["csrftoken"].value}, secure=True)
    assert signed_in.status_code == 302
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
