"""Fixtures of the articulator registry's tests (factories live in factories.py)."""

import pytest
from wagtail.models import Locale

from portal.models import Country, HomePage
from programs.demo_registry import ensure_registration_page
from tests.programs.registry.factories import make_entry, next_address


@pytest.fixture
def client_address():
    return next_address()


@pytest.fixture
def client(client, client_address):
    """The test client, speaking from an address no other test uses (rate limits count
    per address, in a cache that outlives each test)."""
    client.defaults["REMOTE_ADDR"] = client_address
    return client


@pytest.fixture
def chile(db):
    return Country.objects.get(iso3="CHL")


@pytest.fixture
def registration_page(db):
    home = HomePage.objects.get(locale=Locale.get_default())
    return ensure_registration_page(home)


@pytest.fixture
def entry_factory(db):
    return make_entry


@pytest.fixture
def approved_entry(db):
    return make_entry("approved")

