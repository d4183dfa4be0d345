"""The permission matrix: every role against every action the portal offers.

Each app's test module lists its actions; an action performs a real request as the given
user and reports whether it took effect (a page shown, a record changed). The same roles
and the same reading of outcomes serve every row, so the matrix reads as one table:
`pytest tests/permissions -v` prints it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.accounts.roles import Role
from portal.models import Country, Institution
from tests.conftest import make_user

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *[role.value for role in Role]]


@dataclass(frozen=True)
class Action:
    name: str
    perform: Callable  # (client, world) -> bool: True when the action took effect
    allowed: frozenset = field(default_factory=frozenset)

    def __str__(self):
        return self.name


def action(name, allowed):
    """Decorator: turn a function (client, world) -> bool into a matrix row."""

    def wrap(function):
        return Action(name=name, perform=function, allowed=frozenset(allowed))

    return wrap


class World:
    """What every row needs: two countries, their institutions, and one user per role."""

    def __init__(self):
        self.country = Country.objects.get(iso3="COL")
        self.other_country = Country.objects.get(iso3="PER")
        self.institution = Institution.objects.filter(country=self.country).first()
        self.other_institution = Institution.objects.filter(country=self.other_country).first()
        self.users = {ANONYMOUS: None}
        for role in Role:
            country = self.country if role == Role.COUNTRY_DELEGATE else None
            institution = self.institution if role == Role.COUNTRY_DELEGATE else None
            self.users[role.value] = make_user(role, country=country, institution=institution)

    def client_for(self, client, role):
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


def shown(response):
    """A page counts as reached only when served; redirects to login or 403/404 do not."""
    return response.status_code == 200


def check(client, world, role, row):
    world.client_for(client, role)
    took_effect = row.perform(client, world)
    expected = role in row.allowed
    assert took_effect == expected, (
        f"{role} {'should' if expected else 'should not'} be able to: {row.name}"
    )
