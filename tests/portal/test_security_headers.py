import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_public_pages_forbid_inline_code_and_framing(client):
    response = client.get("/en/")
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_gets_the_relaxed_policy_only(client):
    policy = directives(client.get("/admin/login/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("path", ["/en/", "/es/acerca-de/", "/en/news/", "/en/account/login/"])
def test_public_html_has_no_inline_script_or_style(client, path):
    html = client.get(path).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert " src=" in tag or 'type="application/json"' in tag, tag
