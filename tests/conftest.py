"""Shared fixtures: a site with its home page in both languages, members, one user per role."""

import itertools
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import translation

from portal.accounts.roles import Role, assign_role
from portal.models import Country, Institution

_sequence = itertools.count(1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests go last: Playwright keeps an event loop in the main thread while its
    session-wide browser lives, which would stop later tests from using async_to_sync."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English, whatever language an earlier test's request activated
    in this thread (LocaleMiddleware activates it and nothing resets it between tests):
    `reverse()` and services called outside a request speak the active language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with no request counted against the rate limits (their counters
    live in this process's memory under the test settings)."""
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with no cached public page: a page cached by an earlier test from
    rows that its rollback removed (no signal tells the cache) must not answer this one."""
    from portal.page_cache import content_changed

    content_changed()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the site structure and the member countries."""
    from portal import demo
    from portal.services import ensure_home_page

    with django_db_blocker.unblock():
        demo.load_countries()
        demo.load_institutions()
        home = ensure_home_page(
            title=demo.HOME["en"]["title"], purpose=demo.HOME["en"]["purpose"],
            translations={"es": demo.HOME["es"]},
        )
        demo.load_pages(home)
        from programs.services.structure import ensure_country_pages, ensure_programs_structure

        ensure_programs_structure()
        for country in Country.objects.filter(iso3__in=["COL", "PER"]):
            ensure_country_pages(country)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run an action and then what it scheduled with transaction.on_commit, as a real commit
    would (the search index is written after commit)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def country(db):
    return Country.objects.get(iso3="COL")


@pytest.fixture
def other_country(db):
    return Country.objects.get(iso3="PER")


def make_user(role=None, *, country=None, institution=None, password="Correct-horse-9", **extra):
    number = next(_sequence)
    user = get_user_model().objects.create_user(
        email=extra.pop("email", f"user{number}@example.org"),
        password=password,
        first_name=extra.pop("first_name", "Test"),
        last_name=extra.pop("last_name", f"User {number}"),
        country=country,
        institution=institution,
        **extra,
    )
    if role is not None:
        assign_role(user, role)
        from programs.services.delegates import sync_country_delegate_groups

        sync_country_delegate_groups(user)
    return user


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def delegate(db, country):
    return make_user(Role.COUNTRY_DELEGATE, country=country,
                     institution=Institution.objects.filter(country=country).first())


@pytest.fixture
def moderator(db):
    return make_user(Role.MODERATOR)


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER)


@pytest.fixture
def ecosystem_member(db):
    return make_user(Role.ECOSYSTEM_MEMBER)


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="module")
def _demo_for_the_module(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a module's tests inside a transaction that is rolled
    back after the last of them. Loading it takes seconds; a module of demo tests used to load
    it once per test. What runs after a commit (search index, page cache) runs here too."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_data", verbosity=0, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_for_the_module, db):
    """The demo data for a test whose changes roll back to it: only for modules whose every
    test wants the demo, since it stays loaded until the module's last test."""
