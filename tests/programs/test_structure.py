"""The site tree, vocabularies and delegates' groups are data kept in step by services."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Locale, WorkflowPage

from portal.accounts import services as account_services
from portal.accounts.roles import Role, assign_role
from portal.models import Country
from programs.models import (
    CountryEditorsGroup,
    CountryIndexPage,
    ProgramsIndexPage,
    SDGTarget,
    SustainableDevelopmentGoal,
    Topic,
)
from programs.services.delegates import sync_country_delegate_groups
from programs.services.structure import ensure_country_pages, ensure_programs_structure
from programs.services.vocabularies import ensure_vocabularies

pytestmark = pytest.mark.django_db


def test_vocabularies_are_shipped_and_moderators_edits_are_kept():
    assert Topic.objects.count() == 30
    assert SustainableDevelopmentGoal.objects.count() == 17
    assert SDGTarget.objects.count() == 169
    assert SDGTarget.objects.get(code="1.3").text_es.startswith("Poner en práctica")
    topic = Topic.objects.get(key="food_security")
    topic.name_en = "Food and nutrition security"
    topic.save()
    Topic.objects.filter(key="nutrition").delete()
    assert ensure_vocabularies() == 1
    assert Topic.objects.get(key="food_security").name_en == "Food and nutrition security"
    assert Topic.objects.filter(key="nutrition").exists()
    assert ensure_vocabularies() == 0


def test_programs_index_and_country_pages_exist_in_each_language():
    for code in ("en", "es"):
        locale = Locale.objects.get(language_code=code)
        assert ProgramsIndexPage.objects.filter(locale=locale, live=True).count() == 1
        assert set(CountryIndexPage.objects.filter(locale=locale, live=True).values_list(
            "country__iso3", flat=True)) == {"COL", "PER"}
    colombia_es = CountryIndexPage.objects.get(country__iso3="COL", locale__language_code="es")
    assert colombia_es.url == "/es/programas/colombia/"
    pages_before = CountryIndexPage.objects.count()
    ensure_programs_structure()
    assert CountryIndexPage.objects.count() == pages_before
    assert WorkflowPage.objects.filter(
        page__in=ProgramsIndexPage.objects.all(), workflow__name="Program profile review"
    ).count() == 2


def test_a_country_gets_its_pages_with_its_first_profile_or_delegate(make_profile,
                                                                     user_factory):
    assert not CountryIndexPage.objects.filter(country__iso3__in=["BRA", "CHL"]).exists()
    make_profile(country="BRA", title_en="Brazilian program", title_es="Programa brasileño")
    assert CountryIndexPage.objects.get(country__iso3="BRA", locale__language_code="es"
                                        ).title == "Brasil"
    user_factory(Role.COUNTRY_DELEGATE, country=Country.objects.get(iso3="CHL"))
    assert CountryIndexPage.objects.filter(country__iso3="CHL").count() == 2


def test_a_new_country_gets_its_pages_and_delegates_group():
    country = Country.objects.create(iso3="XYZ", name_en="Testland", name_es="Tierra de prueba",
                                     subregion="caribbean")
    pages = [CountryIndexPage.objects.get(pk=page.pk) for page in ensure_country_pages(country)]
    assert sorted(page.url for page in pages) == ["/en/programs/testland/",
                                                  "/es/programas/tierra-de-prueba/"]
    group = CountryEditorsGroup.objects.get(country=country).group
    assert group.name == "Country delegates: Testland"
    granted = set(GroupPagePermission.objects.filter(group=group).values_list(
        "page_id", "permission__codename"))
    assert granted == {(page.pk, codename) for page in pages
                       for codename in ("add_page", "change_page")}


def test_delegate_group_follows_the_person_s_country_and_role(user_factory, country,
                                                              other_country):
    delegate = user_factory(Role.COUNTRY_DELEGATE, country=country)
    colombia_group = CountryEditorsGroup.objects.get(country=country).group
    assert delegate.groups.filter(pk=colombia_group.pk).exists()
    delegate.country = other_country
    delegate.save()
    sync_country_delegate_groups(delegate)
    peru_group = CountryEditorsGroup.objects.get(country=other_country).group
    assert set(delegate.groups.filter(name__startswith="Country delegates:")) == {peru_group}
    delegate.groups.remove(Group.objects.get(name="Country delegates"))
    sync_country_delegate_groups(delegate)
    assert not delegate.groups.filter(name__startswith="Country delegates:").exists()
    member = user_factory(Role.ECOSYSTEM_MEMBER, country=country)
    assert not member.groups.filter(name__startswith="Country delegates:").exists()


def test_accepting_a_delegate_invitation_grants_the_country_pages(moderator, country):
    _invitation, link = account_services.invite(
        invited_by=moderator, email="new.delegate@example.org", role=Role.COUNTRY_DELEGATE,
        country=country)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    user = account_services.accept_invitation(token=token, first_name="Nueva",
                                              last_name="Delegada", password="Very-long-pass-9")
    colombia = CountryIndexPage.objects.get(country=country, locale__language_code="es")
    assert colombia.permissions_for_user(user).can_add_subpage()
    peru = CountryIndexPage.objects.get(country__iso3="PER", locale__language_code="en")
    assert not peru.permissions_for_user(user).can_add_subpage()


def test_user_admin_save_moves_a_delegate_to_the_new_country(client, administrator, country,
                                                             other_country, user_factory):
    delegate = user_factory(Role.COUNTRY_DELEGATE, country=country, email="moving@example.org")
    client.force_login(administrator)
    groups = list(delegate.groups.values_list("pk", flat=True))
    response = client.post(f"/admin/users/edit/{delegate.pk}/", {
        "email": delegate.email, "first_name": "Moving", "last_name": "Delegate",
        "country": other_country.pk, "institution": "", "is_active": "on",
        "groups": groups, "password1": "", "password2": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    delegate.refresh_from_db()
    assert delegate.country == other_country
    assert set(delegate.groups.filter(name__startswith="Country delegates:").values_list(
        "name", flat=True)) == {"Country delegates: Peru"}


def test_role_assignment_alone_does_not_grant_pages_until_synchronised(user_factory, country):
    person = user_factory(country=country)
    assign_role(person, Role.COUNTRY_DELEGATE)
    page = CountryIndexPage.objects.get(country=country, locale__language_code="en")
    assert not page.permissions_for_user(person).can_add_subpage()
    sync_country_delegate_groups(person)
    person = type(person).objects.get(pk=person.pk)
    assert page.permissions_for_user(person).can_add_subpage()
