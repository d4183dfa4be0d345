import pytest
from django.apps import apps

from matchmaking import demo
from matchmaking.models import Delegate, Delegation
from matchmaking.services.exchange import import_workshop


@pytest.fixture
def santa_marta(db):
    """The seed-003 workshop as the demo imports it (no accounts attached)."""
    return import_workshop(demo.document())


def attach(user, workshop, key):
    """`user` becomes a named delegate of the delegation `key`."""
    delegation = Delegation.objects.get(workshop=workshop, key=key)
    Delegate.objects.create(delegation=delegation, user=user, name=user.get_full_name(),
                            email=user.email)
    return delegation

# Tests whose work happens in other threads commit for real. Naming every installed app as
# "available" changes two things in Django's TransactionTestCase: the flush after each test
# truncates with CASCADE (PostgreSQL refuses otherwise: the search app's own full-text table
# references a model's table), and post_migrate runs before each test, so groups and
# vocabularies are back after the previous flush.
committed = pytest.mark.django_db(
    transaction=True, available_apps=[config.name for config in apps.get_app_configs()])


@pytest.fixture
def reference_data(transactional_db):
    """Countries and institutions again: a transactional test's flush removes them."""
    from portal import demo

    demo.load_countries()
    demo.load_institutions()
