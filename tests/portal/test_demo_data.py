from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from portal.accounts.roles import Role, user_has_role
from portal.demo import DEMO_ACCOUNTS
from portal.models import Country, Institution

# Every test here reads the demo data, loaded once for the module (tests/conftest.py).
pytestmark = pytest.mark.django_db

SANTA_MARTA_COUNTRIES = {"BOL", "BRA", "CHL", "COL", "CRI", "ECU", "SLV", "GTM", "HND", "PAN",
                         "PRY", "PER", "URY"}


def snapshot():
    return {
        "users": get_user_model().objects.count(),
        "countries": Country.objects.count(),
        "institutions": Institution.objects.count(),
        "pages": Page.objects.count(),
    }


def test_demo_loader_is_idempotent_and_prints_the_logins(demo):
    first = snapshot()
    output = StringIO()
    call_command("load_demo_data", stdout=output)
    assert snapshot() == first
    printed = output.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account["email"] in printed and account["password"] in printed


def test_demo_has_one_working_login_per_role(client, demo):
    for account in DEMO_ACCOUNTS:
        user = get_user_model().objects.get(email=account["email"])
        assert user_has_role(user, account["role"])
        response = client.post("/en/account/login/", {"username": account["email"],
                                                      "password": account["password"]})
        assert response.status_code == 302, account["email"]
        client.post("/en/account/logout/")
    assert {account["role"] for account in DEMO_ACCOUNTS} == set(Role)


def test_demo_has_the_countries_and_institutions_of_the_seed_workshop(demo):
    assert set(Country.objects.values_list("iso3", flat=True)) >= SANTA_MARTA_COUNTRIES
    colombia = Country.objects.get(iso3="COL")
    assert colombia.name_es == "Colombia"
    assert Institution.objects.filter(country=colombia, acronym="ICBF").exists()
    assert Institution.objects.filter(kind="subregional_mechanism").count() >= 5
