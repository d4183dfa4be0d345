"""List pages issue the same number of SQL queries whatever the number of rows: adding rows
must not add queries (no N+1).

`make bench-queries` runs this module with QUERY_COUNT_REPORT naming docs/benchmarks.md: the
counts measured by the assertions are then written into its query-counts section."""

import datetime
import os
import platform

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


MEASURED = {}  # url -> (rows, queries) after the first and the second addition


def assert_constant(client, url, add_rows):
    # Each measurement follows a first request: what is loaded once per process (site root,
    # locales) or once after a write (the search's in-memory facet data catching up).
    add_rows(2)
    client.get(url)
    with_two = queries_for(client, url)
    add_rows(4)
    client.get(url)
    with_six = queries_for(client, url)
    MEASURED[url] = ((2, with_two), (6, with_six))
    assert with_six == with_two, url


@pytest.fixture(scope="module", autouse=True)
def report_when_asked():
    yield
    path = os.environ.get("QUERY_COUNT_REPORT")
    if path and MEASURED:
        from django.db import connection

        from portal.bench_support import write_section

        write_section(path, "query-counts", render_report(connection.vendor))


def render_report(vendor):
    rows = [f"| `{url}` | {first[1]} | {second[1]} |"
            for url, (first, second) in sorted(MEASURED.items())]
    return "\n".join([
        "## SQL queries per list page",
        "",
        "Command: `make bench-queries` (`QUERY_COUNT_REPORT=docs/benchmarks.md pytest -n 0 "
        "tests/performance/test_query_counts.py`), run "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"Python {platform.python_version()}, {vendor}, public page cache off. Each page is "
        "requested once to warm what is loaded once per process, then counted; the rows are "
        "approved registry entries or published program profiles (each in two languages). "
        "The test fails when a count differs.",
        "",
        "| page | queries with 2 rows | queries with 6 rows |",
        "| --- | ---: | ---: |",
        *rows,
    ])


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
