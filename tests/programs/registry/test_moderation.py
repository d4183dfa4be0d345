"""Moderators decide in Wagtail's workflow; organisations hear the decision and can edit their
approved entry later, through a one-time link or an account, with moderation again."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from portal.accounts.roles import Role, user_has_role
from programs.models import Articulator, RegistrationStatus
from tests.conftest import make_user
from tests.programs.registry.factories import committed, link_token, make_entry

pytestmark = pytest.mark.django_db


def workflow_action_url(entry, action):
    task_state = entry.current_workflow_task_state
    return reverse("wagtailsnippets_programs_articulator:workflow_action",
                   args=[entry.pk, action, task_state.pk])


def test_a_moderator_approves_and_the_organisation_is_told(client, moderator):
    entry = make_entry("pending")
    client.force_login(moderator)
    with committed():
        response = client.post(workflow_action_url(entry, "approve"), {"comment": "Welcome!"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live and entry.registration_status == RegistrationStatus.APPROVED
    assert entry.approved_at is not None and entry.last_confirmed_at is not None
    assert not entry.awaiting_decision
    message = mail.outbox[-1]
    assert message.to == [entry.contact_email]
    assert message.subject == "Your organisation is in the ecosystem registry"
    assert "Welcome!" in message.body
    assert "/articulators/edit/" in message.body
    assert client.get(f"/en/programs/articulators/{entry.pk}/").status_code == 200


def test_a_rejection_needs_a_reason_which_the_organisation_receives(client, moderator):
    entry = make_entry("pending")
    client.force_login(moderator)
    sent_before = len(mail.outbox)
    with committed():
        client.post(workflow_action_url(entry, "reject"), {"comment": ""})
    entry.refresh_from_db()
    assert entry.workflow_in_progress and entry.rejected_at is None
    assert len(mail.outbox) == sent_before

    with committed():
        client.post(workflow_action_url(entry, "reject"),
                    {"comment": "This organisation does not link ecosystem actors."})
    entry.refresh_from_db()
    assert entry.registration_status == RegistrationStatus.REJECTED
    assert entry.rejection_reason == "This organisation does not link ecosystem actors."
    assert not entry.live
    message = mail.outbox[-1]
    assert message.subject == "Your registration in the ecosystem registry was not accepted"
    assert "This organisation does not link ecosystem actors." in message.body
    assert client.get(f"/en/programs/articulators/{entry.pk}/").status_code == 404


def test_the_modal_explains_that_a_reason_is_needed(client, moderator):
    entry = make_entry("pending")
    client.force_login(moderator)
    response = client.post(workflow_action_url(entry, "reject"), {"comment": ""},
                           headers={"x-requested-with": "XMLHttpRequest"})
    assert "Give the reason for the rejection" in response.content.decode()


def test_the_moderator_sees_the_entrys_probable_duplicates(client, moderator):
    original = make_entry("approved", name="Fundación Mar Adentro",
                          website="https://maradentro.example")
    same_site = make_entry("pending", name="Otra Cosa", website="http://www.maradentro.example/")
    similar = make_entry("pending", name="Fundacion Mar Adentr", website="")
    unrelated = make_entry("pending", name="Corporación Cordillera", website="")
    client.force_login(moderator)

    def panel(entry):
        html = client.get(reverse("wagtailsnippets_programs_articulator:edit",
                                  args=[entry.pk])).content.decode()
        return html.split("Probable duplicates", 1)[1].split("</ul>", 1)[0]

    assert original.name in panel(same_site) and "same website" in panel(same_site)
    assert original.name in panel(similar) and "very similar name" in panel(similar)
    assert "None found." in panel(unrelated)


def test_confirmed_entries_wait_in_the_moderators_review_queue(client, moderator):
    entry = make_entry("pending", name="Fundación En Cola")
    unconfirmed = make_entry("unconfirmed", name="Fundación Sin Confirmar")
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert entry.name in html
    assert unconfirmed.name not in html


def _edit_post(entry, **changes):
    from programs.forms.registry import initial_from_values
    from programs.services.registry import entry_values

    values = initial_from_values(entry_values(entry))
    data = {
        "name": values["name"], "legal_form": values["legal_form"],
        "sector": values["sector"].pk, "country": values["country"].pk,
        "website": values["website"], "description": values["description"],
        "head_office_region": values["head_office_region"].pk, "regions": values["regions"],
        "scope": values["scope"].pk,
        "support_types": [item.pk for item in values["support_types"]],
        "runs_linkage_activities": values["runs_linkage_activities"],
        "linkage_description": values["linkage_description"],
        "has_alliances": values["has_alliances"],
        "alliances_description": values["alliances_description"],
        "poverty_topics": [item.pk for item in values["poverty_topics"]],
        "contact_name": values["contact_name"], "contact_email": values["contact_email"],
        "publication_consent": "on", "action": "save",
    }
    data.update(changes)
    return data


def _request_edit_link(client, entry):
    with committed():
        response = client.post("/en/programs/articulators/edit/", {"email": entry.contact_email})
    assert response.status_code == 200
    return link_token(mail.outbox[-1], "edit")


def test_an_organisation_edits_through_a_link_and_the_approved_version_stays_public(
        client, moderator):
    entry = make_entry("approved", name="Fundación Primera Versión")
    token = _request_edit_link(client, entry)
    url = f"/en/programs/articulators/edit/{token}/"
    form = client.get(url)
    assert form.status_code == 200 and 'value="Fundación Primera Versión"' in form.content.decode()

    with committed():
        response = client.post(url, _edit_post(entry, name="Fundación Segunda Versión"))
    assert response.status_code == 200 and "Changes sent" in response.content.decode()
    entry.refresh_from_db()
    assert entry.name == "Fundación Primera Versión" and entry.live
    assert entry.get_latest_revision_as_object().name == "Fundación Segunda Versión"
    assert entry.registration_status == RegistrationStatus.APPROVED_CHANGES_PENDING
    assert "Fundación Primera Versión" in client.get(
        f"/en/programs/articulators/{entry.pk}/").content.decode()
    assert mail.outbox[-1].subject == "Your changes are awaiting moderation"
    assert client.post(url, _edit_post(entry, name="Tercera")).status_code == 410

    client.force_login(moderator)
    with committed():
        client.post(workflow_action_url(entry, "approve"))
    entry.refresh_from_db()
    assert entry.name == "Fundación Segunda Versión"
    assert mail.outbox[-1].subject == "Your changes are published"


def test_rejected_changes_leave_the_approved_version(client, moderator):
    entry = make_entry("approved", name="Fundación Estable")
    token = _request_edit_link(client, entry)
    client.post(f"/en/programs/articulators/edit/{token}/",
                _edit_post(entry, name="Fundación Inestable"))
    client.force_login(moderator)
    with committed():
        client.post(workflow_action_url(entry, "reject"), {"comment": "Name not verifiable."})
    entry.refresh_from_db()
    assert entry.live and entry.name == "Fundación Estable"
    assert not entry.has_unpublished_changes
    assert entry.get_latest_revision_as_object().name == "Fundación Estable"
    assert "Name not verifiable." in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "Your changes to the ecosystem registry were not accepted"


def test_an_unchanged_submission_is_refused_with_a_reason(client):
    entry = make_entry("approved")
    token = _request_edit_link(client, entry)
    response = client.post(f"/en/programs/articulators/edit/{token}/", _edit_post(entry))
    assert "Nothing was changed" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.workflow_in_progress and not entry.has_unpublished_changes


def test_an_entry_a_moderator_has_locked_waits(client, moderator):
    entry = make_entry("approved")
    Articulator.objects.filter(pk=entry.pk).update(locked=True, locked_by=moderator)
    token = _request_edit_link(client, entry)
    response = client.post(f"/en/programs/articulators/edit/{token}/",
                           _edit_post(entry, name="Changed while locked"))
    assert "A moderator is working on this entry right now" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.has_unpublished_changes


def test_asking_for_a_link_reveals_nothing_about_unknown_addresses(client):
    make_entry("pending", contact_email="pending@ejemplo.example")
    before = len(mail.outbox)
    for email in ("nobody@nowhere.example", "pending@ejemplo.example"):
        response = client.post("/en/programs/articulators/edit/", {"email": email})
        assert response.status_code == 200
        assert f"If a published entry has {email} as its contact" in response.content.decode()
    assert len(mail.outbox) == before


def test_the_link_creates_an_ecosystem_member_account_for_the_entry(client):
    entry = make_entry("approved", contact_email="owner@ejemplo.example")
    token = _request_edit_link(client, entry)
    response = client.post(f"/en/programs/articulators/edit/{token}/", {
        "action": "create_account", "first_name": "Olga", "last_name": "Owner",
        "password1": "Long-enough-passphrase-7", "password2": "Long-enough-passphrase-7"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/programs/articulators/{entry.pk}/edit/"
    user = get_user_model().objects.get(email="owner@ejemplo.example")
    assert user_has_role(user, Role.ECOSYSTEM_MEMBER)
    entry.refresh_from_db()
    assert entry.owner == user
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/en/programs/articulators/edit/{token}/").status_code == 410


def test_a_weak_password_is_explained_and_creates_nothing(client):
    entry = make_entry("approved")
    token = _request_edit_link(client, entry)
    response = client.post(f"/en/programs/articulators/edit/{token}/", {
        "action": "create_account", "first_name": "A", "last_name": "B",
        "password1": "12345", "password2": "12345"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email=entry.contact_email).exists()


def test_the_entrys_account_edits_it_and_nobody_elses(client, ecosystem_member):
    own = make_entry("approved", owner=None)
    Articulator.objects.filter(pk=own.pk).update(owner=ecosystem_member)
    other = make_entry("approved")
    client.force_login(ecosystem_member)
    assert "Edit this entry" in client.get(f"/en/programs/articulators/{own.pk}/").content.decode()
    directory = client.get("/en/programs/articulators/").content.decode()
    managed = directory.split("Entries your account manages", 1)[1].split("</section>", 1)[0]
    assert own.name in managed and other.name not in managed
    assert f"/en/programs/articulators/{own.pk}/edit/" in managed
    with committed():
        client.post(f"/en/programs/articulators/{own.pk}/edit/",
                    _edit_post(own, description="Now with a longer description."))
    own.refresh_from_db()
    assert own.workflow_in_progress
    assert own.get_latest_revision_as_object().description == "Now with a longer description."
    # Coming back before the decision, the form shows the pending changes.
    assert "Now with a longer description." in client.get(
        f"/en/programs/articulators/{own.pk}/edit/").content.decode()
    assert client.get(f"/en/programs/articulators/{other.pk}/edit/").status_code == 404
    assert client.post(f"/en/programs/articulators/{other.pk}/edit/",
                       _edit_post(other, name="Hijacked")).status_code == 404
    other.refresh_from_db()
    assert not other.has_unpublished_changes


def test_a_stranger_is_sent_to_sign_in(client):
    entry = make_entry("approved")
    response = client.get(f"/en/programs/articulators/{entry.pk}/edit/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    other_user = make_user(Role.ECOSYSTEM_MEMBER)
    client.force_login(other_user)
    assert client.get(f"/en/programs/articulators/{entry.pk}/edit/").status_code == 404
