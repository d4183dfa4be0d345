"""Permission matrix rows for the foundation: CMS pages, members, accounts, invitations."""

import pytest

from portal.accounts.models import Invitation
from portal.accounts.roles import Role
from portal.models import Country, HomePage, Institution
from tests.permissions.harness import ANONYMOUS, ROLES, World, action, check, shown

EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = {Role.COUNTRY_DELEGATE, Role.MODERATOR, Role.ORGANISER, Role.ADMINISTRATOR}
MODERATION = {Role.MODERATOR, Role.ADMINISTRATOR}


@action("read the home page", EVERYONE)
def read_home(client, world):
    return shown(client.get("/en/"))


@action("see their account page", SIGNED_IN)
def see_account(client, world):
    return shown(client.get("/en/account/"))


@action("open the editing area (Wagtail admin)", STAFF)
def open_admin(client, world):
    return shown(client.get("/admin/"))


@action("edit the home page", MODERATION)
def edit_home(client, world):
    home = HomePage.objects.get(locale__language_code="en")
    return shown(client.get(f"/admin/pages/{home.pk}/edit/"))


@action("add a country", MODERATION)
def add_country(client, world):
    client.post("/admin/snippets/portal/country/add/", {
        "iso3": "XYZ", "iso2": "XY", "name_en": "Testland", "name_es": "Tierra de prueba",
        "subregion": "caribbean", "member_since": ""})
    return Country.objects.filter(iso3="XYZ").exists()


@action("edit a country", MODERATION)
def edit_country(client, world):
    country = world.other_country
    client.post(f"/admin/snippets/portal/country/edit/{country.pk}/", {
        "iso3": country.iso3, "iso2": country.iso2, "name_en": "Renamed",
        "name_es": country.name_es, "subregion": country.subregion, "member_since": ""})
    return Country.objects.get(pk=country.pk).name_en == "Renamed"


def _edit_institution(client, institution):
    client.post(f"/admin/snippets/portal/institution/edit/{institution.pk}/", {
        "name_en": "Renamed institution", "name_es": institution.name_es,
        "acronym": institution.acronym, "key": institution.key,
        "country": institution.country_id or "", "kind": institution.kind, "website": ""})
    return Institution.objects.get(pk=institution.pk).name_en == "Renamed institution"


@action("edit an institution of their own country",
        {Role.COUNTRY_DELEGATE, Role.MODERATOR, Role.ADMINISTRATOR})
def edit_own_institution(client, world):
    return _edit_institution(client, world.institution)


@action("edit an institution of another country", MODERATION)
def edit_other_institution(client, world):
    return _edit_institution(client, world.other_institution)


@action("add an institution to another country", MODERATION)
def add_institution_elsewhere(client, world):
    client.post("/admin/snippets/portal/institution/add/", {
        "name_en": "Foreign agency", "name_es": "Agencia extranjera", "acronym": "FA",
        "key": "foreign-agency", "country": world.other_country.pk, "kind": "agency",
        "website": ""})
    return Institution.objects.filter(key="foreign-agency").exists()


@action("delete an institution of another country", MODERATION)
def delete_other_institution(client, world):
    institution = Institution.objects.create(
        key="to-delete", name_en="To delete", name_es="Para borrar", kind="agency",
        country=world.other_country)
    client.post(f"/admin/snippets/portal/institution/delete/{institution.pk}/")
    return not Institution.objects.filter(pk=institution.pk).exists()


@action("invite a country delegate", MODERATION)
def invite_delegate(client, world):
    client.post("/admin/invitations/new/", {
        "email": "matrix.invitee@example.org", "role": Role.COUNTRY_DELEGATE,
        "country": world.country.pk, "institution": ""})
    return Invitation.objects.filter(email="matrix.invitee@example.org").exists()


@action("invite an organiser", {Role.ADMINISTRATOR})
def invite_organiser(client, world):
    client.post("/admin/invitations/new/", {
        "email": "matrix.organiser@example.org", "role": Role.ORGANISER,
        "country": "", "institution": ""})
    return Invitation.objects.filter(email="matrix.organiser@example.org").exists()


@action("manage user accounts", {Role.ADMINISTRATOR})
def manage_users(client, world):
    return shown(client.get("/admin/users/"))


@action("change site settings", {Role.ADMINISTRATOR})
def change_settings(client, world):
    response = client.get("/admin/settings/portal/siteidentity/", follow=True)
    return shown(response) and response.request["PATH_INFO"].startswith(
        "/admin/settings/portal/siteidentity/")


ROWS = [
    read_home, see_account, open_admin, edit_home, add_country, edit_country,
    edit_own_institution, edit_other_institution, add_institution_elsewhere,
    delete_other_institution, invite_delegate, invite_organiser, manage_users, change_settings,
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, World(), role, row)
