"""CSRF everywhere: every URL the project itself routes (all but the Wagtail and Django admin
interfaces, which are theirs) refuses a POST, PUT, PATCH or DELETE without a token, even from
a signed-in user. The one deliberate exemption is the open read API, which has no unsafe
method at all and does not use the session: it answers 405."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern

from programs.demo_registry import ensure_registration_page

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ("post", "put", "patch", "delete")
STAFF_INTERFACES = ("admin/", "django-admin/")
# django-ninja exempts its views from Django's CSRF check and applies its own only to
# cookie-authenticated operations; /api/v1/ has none: it is read-only (GET) and anonymous.
EXEMPT_PREFIXES = {"api/v1/": "read-only public API: GET only, no session authentication"}
SAMPLE_ARGUMENTS = {"int": "1", "uuid": "7d3c8f4e-2b1a-4c5d-9e8f-0a1b2c3d4e5f"}
REGEX_SAMPLES = {
    r"^(\d+)/(.*)$": "1/report.pdf",  # Wagtail's document serving
    r"^((?:[\w\-]+/)*)$": "",  # Wagtail's page serving: the home page
}
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def routed_paths():
    """(path, exempt from Django's CSRF check) for every URL pattern outside the staff
    interfaces."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if prefix == "/" and str(pattern.pattern).startswith(STAFF_INTERFACES):
                continue
            path = prefix + sample(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, path)
            else:
                yield path, getattr(pattern.callback, "csrf_exempt", False)

    return list(walk(get_resolver().url_patterns, "/"))


def sample(pattern):
    if isinstance(pattern, LocalePrefixPattern):
        return "en/"
    if isinstance(pattern, RegexPattern):
        return REGEX_SAMPLES[pattern._regex]
    return CONVERTER.sub(lambda match: SAMPLE_ARGUMENTS.get(match.group(1), "sample"),
                         str(pattern))


def test_every_routed_view_refuses_unsafe_requests_without_a_token(delegate):
    registration = ensure_registration_page(_home())
    paths = [*routed_paths(), (registration.url, False)]
    assert len(paths) > 80  # the walk reached every app's URLs
    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate)
    unprotected, exemptions = [], set()
    for path, exempt in paths:
        if exempt:
            prefix = next((prefix for prefix in EXEMPT_PREFIXES
                           if path.startswith(f"/{prefix}")), None)
            assert prefix, f"{path} is exempt from CSRF checks without a documented reason"
            exemptions.add(prefix)
        for method in UNSAFE_METHODS:
            response = getattr(client, method)(path)
            if exempt:
                if response.status_code != 405:
                    unprotected.append((method, path, response.status_code))
            elif response.status_code != 403 or b"CSRF" not in response.content:
                unprotected.append((method, path, response.status_code))
    assert unprotected == []
    assert exemptions == set(EXEMPT_PREFIXES)


def test_the_same_request_with_a_token_gets_through(delegate):
    """The refusals above are the CSRF check's, not a permission's: with the token, the
    signed-in user's logout (a POST-only view) works."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate)
    client.get("/en/account/")  # its logout form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post("/en/account/logout/").status_code == 403
    response = client.post("/en/account/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def _home():
    from wagtail.models import Locale

    from portal.models import HomePage

    return HomePage.objects.get(locale=Locale.get_default())
