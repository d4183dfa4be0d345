"""Permission matrix rows for program profiles: reading, editing by country, moderation,
vocabularies, import and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowState

from portal.accounts.roles import Role
from programs.models import ImportBatch, ProfileContact, ProgramProfilePage, Topic
from programs.services.profiles import write_profile
from tests.conftest import make_user
from tests.permissions.harness import ANONYMOUS, ROLES, World, action, check, shown
from tests.programs.conftest import admin_form_data, country_page, profile_record

EVERYONE = set(ROLES)
MODERATION = {Role.MODERATOR, Role.ADMINISTRATOR}
EDITORS = {Role.COUNTRY_DELEGATE, *MODERATION}


def published(country="COL", **values):
    return write_profile(profile_record(country=country, **values), publish=True)


def in_moderation(world):
    author = make_user(Role.COUNTRY_DELEGATE, country=world.country)
    page = write_profile(profile_record(), user=author, publish=False, submit=True)
    return ProgramProfilePage.objects.get(pk=page.pk)


def workflow_action(client, page, name):
    state = WorkflowState.objects.for_instance(page).get(status="in_progress")
    url = reverse("wagtailadmin_pages:workflow_action",
                  args=[page.pk, name, state.current_task_state.pk])
    client.post(url, {"comment": "Matrix comment"})
    return WorkflowState.objects.get(pk=state.pk)


@action("read a published program profile", EVERYONE)
def read_profile(client, world):
    return shown(client.get(published().url))


@action("read the programs index and a country page", EVERYONE)
def read_index(client, world):
    return shown(client.get("/en/programs/?topic=food_security")) and shown(
        client.get("/es/programas/colombia/"))


@action("download a profile's one-page PDF", EVERYONE)
def download_pdf(client, world):
    response = client.get(f"{published().url}pdf/")
    return shown(response) and response["Content-Type"] == "application/pdf"


@action("export the list of profiles", EVERYONE)
def export_list(client, world):
    published()
    return shown(client.get("/en/programs/export/?format=xlsx"))


@action("read the open API of profiles", EVERYONE)
def read_api(client, world):
    published()
    response = client.get("/api/v1/programs/")
    return shown(response) and response.json()["count"] >= 1


@action("read a draft profile on the public site", set())
def read_draft(client, world):
    page = write_profile(profile_record(), publish=False)
    return shown(client.get(f"/en/programs/colombia/{page.slug}/"))


@action("see a profile's contacts", {Role.COUNTRY_DELEGATE, *MODERATION})
def see_contacts(client, world):
    page = ProgramProfilePage.objects.get(pk=published(country="PER").pk)
    page.contacts.add(ProfileContact(name="Matrix Contact", email="matrix.contact@example.gov"))
    page.save_revision().publish()
    return "matrix.contact@example.gov" in client.get(page.url).content.decode()


def _add_profile(client, iso3, slug, action_name="action-submit"):
    parent = country_page(iso3)
    client.post(f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
                admin_form_data(slug=slug, action=action_name))
    return ProgramProfilePage.objects.filter(slug=slug).first()


@action("add a profile to their own country and submit it", EDITORS)
def add_own(client, world):
    return _add_profile(client, "COL", "matrix-own") is not None


@action("add a profile to another country", MODERATION)
def add_other(client, world):
    return _add_profile(client, "PER", "matrix-other") is not None


@action("publish a profile without moderation", MODERATION)
def publish_directly(client, world):
    page = _add_profile(client, "COL", "matrix-published", "action-publish")
    return page is not None and page.live


def _edit(client, page):
    client.post(f"/admin/pages/{page.pk}/edit/",
                admin_form_data(title="Edited by the matrix", slug=page.slug))
    latest = ProgramProfilePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return latest.title == "Edited by the matrix"


@action("edit a profile of their own country", EDITORS)
def edit_own(client, world):
    return _edit(client, published())


@action("edit a profile of another country", MODERATION)
def edit_other(client, world):
    return _edit(client, published(country="PER"))


@action("approve a profile in moderation", MODERATION)
def approve(client, world):
    page = in_moderation(world)
    world.client_for(client, world.role)
    workflow_action(client, page, "approve")
    return ProgramProfilePage.objects.get(pk=page.pk).live


@action("reject a profile in moderation", MODERATION)
def reject(client, world):
    page = in_moderation(world)
    world.client_for(client, world.role)
    return workflow_action(client, page, "reject").status == WorkflowState.STATUS_NEEDS_CHANGES


@action("add a topic to the vocabulary", MODERATION)
def add_topic(client, world):
    client.post("/admin/snippets/programs/topic/add/", {
        "key": "matrix_topic", "name_en": "Matrix topic", "name_es": "Tema de matriz",
        "description_en": "", "description_es": "", "sort_order": "99"})
    return Topic.objects.filter(key="matrix_topic").exists()


@action("import profiles from a spreadsheet", EDITORS)
def import_profiles(client, world):
    content = "external_id,country,title_en\nCOL-matrix-import,COL,Imported by the matrix\n"
    response = client.post("/en/programs/import/", {
        "file": SimpleUploadedFile("profiles.csv", content.encode())})
    batch = ImportBatch.objects.first()
    if batch is None or response.status_code != 302:
        return False
    client.post(f"/en/programs/import/{batch.pk}/")
    return ProgramProfilePage.objects.filter(external_id="COL-matrix-import").exists()


ROWS = [
    read_profile, read_index, download_pdf, export_list, read_api, read_draft, see_contacts,
    add_own, add_other, publish_directly, edit_own, edit_other, approve, reject, add_topic,
    import_profiles,
]


class ProgramsWorld(World):
    role = ANONYMOUS

    def client_for(self, client, role):
        client.logout()
        return super().client_for(client, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    world = ProgramsWorld()
    world.role = role
    check(client, world, role, row)
