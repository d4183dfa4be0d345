"""Permission matrix rows for the discovery search: open to everyone, and what is not public
(drafts, restricted pages) reaches no one through it."""

import pytest
from wagtail.models import PageViewRestriction

from portal.models import HomePage, StandardPage
from search.signals import sync_object
from tests.permissions.harness import ROLES, World, action, check

EVERYONE = set(ROLES)
NO_ONE = set()


def _page(title, *, live=True, restricted=False):
    home = HomePage.objects.get(locale__language_code="en")
    page = home.add_child(instance=StandardPage(title=title, slug=title.lower().replace(" ", "-"),
                                                live=live, introduction=title))
    if restricted:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    sync_object("page", page.pk)  # what the after-commit hook runs
    return page


@action("search the portal", EVERYONE)
def search_page(client, world):
    response = client.get("/en/search/", {"q": "network"})
    return response.status_code == 200 and "About the network" in response.content.decode()


@action("search through the API", EVERYONE)
def search_api(client, world):
    response = client.get("/api/v1/search/", {"q": "network"})
    return response.status_code == 200 and any(
        hit["title"] == "About the network" for hit in response.json()["hits"])


@action("find a draft page through search", NO_ONE)
def find_draft(client, world):
    _page("Zanzibar draft", live=False)
    page = client.get("/en/search/", {"q": "zanzibar"}).content.decode()
    api = client.get("/api/v1/search/", {"q": "zanzibar"}).json()
    suggestions = client.get("/api/v1/search/suggest/", {"q": "zanzi"}).json()
    return "Zanzibar draft" in page or api["total"] > 0 or bool(suggestions)


@action("find a login-restricted page through search", NO_ONE)
def find_restricted(client, world):
    _page("Quetzal minutes", restricted=True)
    page = client.get("/en/search/", {"q": "quetzal"}).content.decode()
    api = client.get("/api/v1/search/", {"q": "quetzal"}).json()
    return "Quetzal minutes" in page or api["total"] > 0


ROWS = [search_page, search_api, find_draft, find_restricted]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, World(), role, row)
