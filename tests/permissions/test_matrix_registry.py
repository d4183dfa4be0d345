"""Permission matrix rows for the ecosystem registry: the public form and pages, one-time
links, the organisation's own account, and the moderators' work in the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.roles import Role
from programs.models import Articulator, Region, SupportType
from tests.permissions.harness import ROLES, World, action, check, shown
from tests.programs.registry.factories import (
    committed,
    fill_wizard,
    link_token,
    make_entry,
    next_address,
    wizard_answers,
)
from tests.programs.registry.test_moderation import _edit_post

EVERYONE = set(ROLES)
NOBODY = set()
MODERATION = {Role.MODERATOR, Role.ADMINISTRATOR}


def _registration_url():
    from portal.models import HomePage
    from programs.demo_registry import ensure_registration_page

    return ensure_registration_page(HomePage.objects.filter(locale__language_code="en").first()).url


@action("register an organisation with the public form", EVERYONE)
def register(client, world):
    client.defaults["REMOTE_ADDR"] = next_address()
    answers = wizard_answers()
    fill_wizard(client, _registration_url(), answers)
    return Articulator.objects.filter(name=answers["organisation"]["name"]).exists()


@action("confirm a registration's email with its link", EVERYONE)
def confirm_email(client, world):
    with committed():
        entry = make_entry("unconfirmed")
    client.post(f"/en/programs/articulators/confirm/{link_token(mail.outbox[-1], 'confirm')}/")
    entry.refresh_from_db()
    return entry.email_confirmed_at is not None


@action("read the directory, a profile, the dashboard and the API", EVERYONE)
def read_public(client, world):
    entry = make_entry("approved")
    return all(shown(client.get(url)) for url in (
        "/en/programs/articulators/", f"/en/programs/articulators/{entry.pk}/",
        "/en/programs/articulators/dashboard/", "/api/v1/articulators/"))


@action("download the registry and the dashboard figures", EVERYONE)
def download(client, world):
    make_entry("approved")
    return all(shown(client.get(url)) for url in (
        "/en/programs/articulators/export.csv", "/en/programs/articulators/export.xlsx",
        "/en/programs/articulators/export.json", "/en/programs/articulators/dashboard.csv"))


@action("see an entry that is not approved on the public site", NOBODY)
def see_unpublished(client, world):
    entry = make_entry("pending")
    return (shown(client.get(f"/en/programs/articulators/{entry.pk}/"))
            or entry.name in client.get("/en/programs/articulators/").content.decode())


@action("edit an approved entry with its one-time link", EVERYONE)
def edit_with_link(client, world):
    entry = make_entry("approved")
    client.post(_edit_link(client, entry), _edit_post(entry, name="Via link"))
    entry.refresh_from_db()
    return entry.has_unpublished_changes


def _edit_link(client, entry):
    client.defaults["REMOTE_ADDR"] = next_address()
    with committed():
        client.post("/en/programs/articulators/edit/", {"email": entry.contact_email})
    return f"/en/programs/articulators/edit/{link_token(mail.outbox[-1], 'edit')}/"


@action("turn an edit link into an account that manages the entry", EVERYONE)
def create_account_from_link(client, world):
    entry = make_entry("approved")
    client.post(_edit_link(client, entry), {
        "action": "create_account", "first_name": "Ana", "last_name": "Dueña",
        "password1": "Long-enough-passphrase-7", "password2": "Long-enough-passphrase-7"})
    entry.refresh_from_db()
    return entry.owner is not None and entry.owner.email == entry.contact_email


@action("confirm with the yearly link that an entry is still up to date", EVERYONE)
def reconfirm(client, world):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    entry = make_entry("approved")
    long_ago = timezone.now() - timedelta(days=400)
    Articulator.objects.filter(pk=entry.pk).update(last_confirmed_at=long_ago)
    with committed():
        call_command("registry_housekeeping", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.post(f"/en/programs/articulators/still-current/"
                f"{link_token(mail.outbox[-1], 'still-current')}/")
    entry.refresh_from_db()
    return entry.last_confirmed_at > long_ago


@action("delete an entry in the editing area", MODERATION)
def delete_entry(client, world):
    entry = make_entry("approved")
    client.post(reverse("wagtailsnippets_programs_articulator:delete", args=[entry.pk]))
    return not Articulator.objects.filter(pk=entry.pk).exists()


def _own_entry_edit(client, owner):
    entry = make_entry("approved")
    Articulator.objects.filter(pk=entry.pk).update(owner=owner)
    client.post(f"/en/programs/articulators/{entry.pk}/edit/",
                _edit_post(entry, name="Changed by account"))
    entry.refresh_from_db()
    return entry.get_latest_revision_as_object().name == "Changed by account"


@action("edit the entry their account manages", {Role.ECOSYSTEM_MEMBER})
def edit_own_entry(client, world):
    return _own_entry_edit(client, world.users[Role.ECOSYSTEM_MEMBER.value])


@action("edit an entry another account manages", NOBODY)
def edit_other_entry(client, world):
    from tests.conftest import make_user

    return _own_entry_edit(client, make_user(Role.ECOSYSTEM_MEMBER))


@action("open the registry's moderation screens", MODERATION)
def open_moderation(client, world):
    entry = make_entry("pending")
    return (shown(client.get("/admin/snippets/programs/articulator/"))
            and shown(client.get(reverse("wagtailsnippets_programs_articulator:edit",
                                         args=[entry.pk]))))


def _decide(client, action_name, comment=""):
    entry = make_entry("pending")
    url = reverse("wagtailsnippets_programs_articulator:workflow_action",
                  args=[entry.pk, action_name, entry.current_workflow_task_state.pk])
    client.post(url, {"comment": comment})
    entry.refresh_from_db()
    return entry


@action("approve a registration", MODERATION)
def approve(client, world):
    return _decide(client, "approve").live


@action("reject a registration with a reason", MODERATION)
def reject(client, world):
    return _decide(client, "reject", "Not an articulator.").rejected_at is not None


@action("publish an edited entry in the editing area", MODERATION)
def publish_in_admin(client, world):
    entry = make_entry("approved")
    data = _edit_post(entry, name="Corrected by a moderator")
    data["runs_linkage_activities"] = "true"
    data["has_alliances"] = "true"
    data["owner"] = ""
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailsnippets_programs_articulator:edit", args=[entry.pk]), data)
    entry.refresh_from_db()
    return entry.name == "Corrected by a moderator"


@action("define the regions of a country", MODERATION)
def define_region(client, world):
    client.post("/admin/snippets/programs/region/add/", {
        "country": world.other_country.pk, "code": "PE-CUS", "name_en": "Cusco",
        "name_es": "Cusco", "macrozone": "", "sort_order": 0})
    return Region.objects.filter(code="PE-CUS").exists()


@action("rename a term of the registry's vocabularies", MODERATION)
def rename_term(client, world):
    term = SupportType.objects.get(key="financing")
    client.post(f"/admin/snippets/programs/supporttype/edit/{term.pk}/", {
        "key": "financing", "name_en": "Funding", "name_es": term.name_es, "sort_order": 4})
    return SupportType.objects.get(pk=term.pk).name_en == "Funding"


ROWS = [
    register, confirm_email, read_public, download, see_unpublished, edit_with_link,
    create_account_from_link, reconfirm, edit_own_entry, edit_other_entry, open_moderation,
    approve, reject, publish_in_admin, delete_entry, define_region, rename_term,
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    client.defaults["REMOTE_ADDR"] = next_address()
    check(client, World(), role, row)
