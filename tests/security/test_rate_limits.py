"""Rate limits per client address on login, account links, registration and the API: beyond
the configured rate the answer is 429 with a translated message (JSON for the API), and
other addresses are not affected. (django-axes' lockout of one user name after repeated
failures is tested in tests/portal/test_accounts.py; the registration form's own limit in
tests/programs/registry/test_registration.py.)"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MESSAGE = "Too many requests from your network address"
MESSAGE_ES = "Demasiadas solicitudes desde su dirección de red"


def client_at(address, **headers):
    return Client(REMOTE_ADDR=address, **headers)


@pytest.fixture
def limits(settings):
    settings.PORTAL_RATE_LIMITS = {"login": "3/m", "account": "2/m", "search_api": "4/m",
                                   "api": "5/m"}
    return settings.PORTAL_RATE_LIMITS


def test_login_attempts_are_limited_per_address_across_user_names(limits):
    attacker = client_at("198.51.100.7")
    for number in range(3):
        response = attacker.post("/en/account/login/", {
            "username": f"guess{number}@example.org", "password": "wrong-password-1"})
        assert response.status_code == 200
    refused = attacker.post("/en/account/login/", {
        "username": "guess9@example.org", "password": "wrong-password-1"})
    assert refused.status_code == 429
    assert MESSAGE in refused.content.decode()
    assert refused["Retry-After"] == "60"
    assert attacker.get("/en/account/login/").status_code == 200  # reading is not limited
    neighbour = client_at("198.51.100.8")
    assert neighbour.post("/en/account/login/", {
        "username": "guess9@example.org", "password": "wrong-password-1"}).status_code == 200


def test_the_refusal_speaks_the_pages_language(limits):
    client = client_at("198.51.100.9")
    for _attempt in range(4):
        response = client.post("/es/account/login/", {"username": "a@example.org",
                                                     "password": "wrong-password-1"})
    assert response.status_code == 429
    assert MESSAGE_ES in response.content.decode()


def test_password_reset_mails_and_invitation_links_are_limited(limits, user_factory):
    client = client_at("198.51.100.10")
    for _attempt in range(2):
        assert client.post("/en/account/password/reset/",
                           {"email": "x@example.org"}).status_code == 302
    assert client.post("/en/account/password/reset/",
                       {"email": "x@example.org"}).status_code == 429
    guesser = client_at("198.51.100.11")
    statuses = [guesser.get(f"/en/account/invitation/guess-{number}/").status_code
                for number in range(3)]
    assert statuses == [410, 410, 429]


def test_the_search_api_answers_429_in_json_beyond_its_rate(limits):
    client = client_at("198.51.100.14")
    for _attempt in range(4):
        assert client.get("/api/v1/search/", {"q": "pension"}).status_code == 200
    refused = client.get("/api/v1/search/suggest/", {"q": "pen"})  # the same limit
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json; charset=utf-8"
    assert refused.json() == {"detail": f"{MESSAGE}. Please wait a moment and try again."}
    assert refused["Retry-After"] == "60"
    spanish = client_at("198.51.100.14", HTTP_ACCEPT_LANGUAGE="es").get("/api/v1/search/")
    assert spanish.status_code == 429
    assert MESSAGE_ES in spanish.json()["detail"]
    assert client_at("198.51.100.15").get("/api/v1/search/").status_code == 200


def test_the_rest_of_the_api_has_its_own_limit(limits):
    client = client_at("198.51.100.16")
    for path in ["/api/v1/programs/", "/api/v1/programs/vocabularies/",
                 "/api/v1/articulators/", "/api/v1/articulators/statistics/",
                 "/api/v1/programs/"]:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/articulators/").status_code == 429
    assert client.get("/api/v1/search/").status_code == 200  # counted apart
