"""List pages issue the same number of SQL queries whatever the number of rows: adding rows
must not add queries (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programs.services.profiles import write_profile
from tests.programs.conftest import profile_record
from tests.programs.registry.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """The queries of rendering the page, not of reading it from the public page cache
    (tests/portal/test_page_cache.py counts those)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def assert_constant(client, url, add_rows):
    # Each measurement follows a first request: what is loaded once per process (site root,
    # locales) or once after a write (the search's in-memory facet data catching up).
    add_rows(2)
    client.get(url)
    with_two = queries_for(client, url)
    add_rows(4)
    client.get(url)
    assert queries_for(client, url) == with_two, url


def entries(count):
    for _ in range(count):
        make_entry("approved")


def profiles(count):
    with translation.override("en"):
        for _ in range(count):
            write_profile(profile_record(), publish=True)


@pytest.mark.parametrize("url", [
    "/en/programs/articulators/",
    "/es/programs/articulators/",
    "/api/v1/articulators/",
    "/en/programs/articulators/export.csv",
    "/en/search/?q=fundacion",
])
def test_registry_lists_do_not_grow_with_rows(client, url):
    assert_constant(client, url, entries)


@pytest.mark.parametrize("url", [
    "/en/programs/colombia/",
    "/es/programas/colombia/",
    "/api/v1/programs/",
    "/en/search/?q=program",
])
def test_program_lists_do_not_grow_with_rows(client, url):
    assert_constant(client, url, profiles)
