import re

import pytest
from wagtail.models import Locale, Page

from portal.models import HomePage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def spanish():
    return Locale.objects.get(language_code="es")


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"] == "/es/"


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/en/", "en", "Inter-American Social Protection Network"),
        ("/es/", "es", "Red Interamericana de Protección Social"),
        ("/en/about/", "en", "About the network"),
        ("/es/acerca-de/", "es", "Acerca de la red"),
        ("/en/news/", "en", "News"),
        ("/es/noticias/", "es", "Noticias"),
    ],
)
def test_pages_render_in_both_languages(client, path, language, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f">{heading}</h1>" in html


def test_news_pages_render_in_both_languages(client):
    for news in NewsPage.objects.live():
        response = client.get(news.url)
        assert response.status_code == 200, news.url
        assert news.title in response.content.decode()


def test_home_page_shows_purpose_and_entry_points(client):
    html = client.get("/en/").content.decode()
    assert "connects the ministries and agencies" in html
    for title in ["Program profiles", "Ecosystem registry", "Search everything",
                  "Cooperation workshops"]:
        assert title in html
    html_es = client.get("/es/").content.decode()
    assert "Fichas de programas" in html_es
    assert "Talleres de cooperación" in html_es


def test_every_page_has_landmarks_and_skip_link(client):
    for path in ["/en/", "/es/acerca-de/", "/en/account/login/"]:
        html = client.get(path).content.decode()
        assert re.search(r'<a class="skip-link" href="#main">', html), path
        assert '<main id="main"' in html
        assert 'role="banner"' in html and 'role="contentinfo"' in html
        assert html.count("<nav ") >= 2


def test_language_switcher_keeps_the_page(client):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    html = client.get("/en/about/").content.decode()
    assert 'href="/es/acerca-de/" hreflang="es"' in html
    html_es = client.get("/es/acerca-de/").content.decode()
    assert 'href="/en/about/" hreflang="en"' in html_es
    assert about.get_translation(spanish()).url == "/es/acerca-de/"


def test_language_switcher_on_a_page_without_translation_goes_to_that_language_home(client):
    home = HomePage.objects.get(locale__language_code="en")
    untranslated = StandardPage(title="Only in English", slug="only-english")
    home.add_child(instance=untranslated)
    untranslated.save_revision().publish()
    html = client.get("/en/only-english/").content.decode()
    assert 'href="/es/" hreflang="es"' in html


def test_language_switcher_on_a_django_view_keeps_the_path(client):
    html = client.get("/en/account/login/").content.decode()
    assert 'href="/es/account/login/" hreflang="es"' in html


def test_ui_strings_are_translated_in_spanish(client):
    html = client.get("/es/").content.decode()
    assert "Saltar al contenido principal" in html
    assert "Iniciar sesión" in html
    assert "Por dónde empezar" in html
    assert "Skip to main content" not in html


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/articulators/-5/", "/api/v1/no-such-thing/",
                                  "/api/v1/articulators/999999/"])
def test_an_api_path_that_does_not_exist_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


def test_unpublished_page_is_not_served(client):
    home = HomePage.objects.get(locale__language_code="en")
    draft = StandardPage(title="Draft", slug="draft", live=False)
    home.add_child(instance=draft)
    assert client.get("/en/draft/").status_code == 404
    assert Page.objects.filter(slug="draft").exists()

