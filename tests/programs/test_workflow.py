"""Delegates submit profiles in the Wagtail admin; moderators approve or reject with a comment;
the author is emailed; revisions and the audit log keep the history."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from programs.models import ProgramProfilePage
from tests.programs.conftest import admin_form_data, country_page

pytestmark = pytest.mark.django_db


def submit_new_profile(client, delegate, **fields):
    client.force_login(delegate)
    parent = country_page("COL")
    response = client.post(
        f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
        admin_form_data(action="action-submit", **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ProgramProfilePage.objects.get(slug=fields.get("slug", "programa-piloto"))


def current_task_state(page):
    return WorkflowState.objects.for_instance(page).get(status="in_progress").current_task_state


def act(client, moderator, page, action, comment):
    client.force_login(moderator)
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_delegate_submits_and_moderator_approves_with_a_comment(client, delegate, moderator):
    page = submit_new_profile(client, delegate, title="Programa piloto")
    assert not page.live
    assert page.country.iso3 == "COL" and page.original_language == "en"
    assert page.external_id == "COL-programa-piloto"
    assert WorkflowState.objects.for_instance(page).get().requested_by == delegate
    assert any(moderator.email in message.to for message in mail.outbox)
    mail.outbox.clear()

    response = act(client, moderator, page, "approve", "Clear and complete, thank you.")
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    [message] = [message for message in mail.outbox if delegate.email in message.to]
    assert "approved" in message.subject.lower() or "approved" in message.body
    assert "Clear and complete, thank you." in message.body

    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve",
            "wagtail.publish"} <= actions
    assert page.revisions.count() >= 1
    assert client.get("/en/programs/colombia/programa-piloto/").status_code == 200


def test_moderator_rejects_with_a_comment_and_the_author_is_told(client, delegate, moderator):
    page = submit_new_profile(client, delegate, title="Borrador", slug="borrador")
    mail.outbox.clear()
    act(client, moderator, page, "reject", "Please add the budget.")
    page.refresh_from_db()
    assert not page.live
    [message] = [message for message in mail.outbox if delegate.email in message.to]
    assert "Please add the budget." in message.body
    assert "wagtail.workflow.reject" in set(
        PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    client.logout()
    assert client.get("/en/programs/colombia/borrador/").status_code == 404


def test_a_delegate_cannot_publish_without_moderation(client, delegate):
    client.force_login(delegate)
    parent = country_page("COL")
    client.post(f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
                admin_form_data(action="action-publish", slug="sin-moderar"))
    page = ProgramProfilePage.objects.filter(slug="sin-moderar").first()
    assert page is None or not page.live


def test_a_delegate_cannot_add_a_profile_to_another_country(client, delegate):
    client.force_login(delegate)
    parent = country_page("PER")
    response = client.post(f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
                           admin_form_data(action="action-submit", slug="intruso"))
    assert response.status_code in (302, 403)
    assert not ProgramProfilePage.objects.filter(slug="intruso").exists()


def test_subnational_profile_without_regions_is_refused_in_the_admin(client, delegate):
    client.force_login(delegate)
    parent = country_page("COL")
    response = client.post(
        f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
        admin_form_data(slug="sin-regiones", area_of_influence="subnational",
                        action="action-submit"))
    assert response.status_code == 200
    assert "Name the regions or departments" in response.content.decode()
    assert not ProgramProfilePage.objects.filter(slug="sin-regiones").exists()


def test_the_admin_form_offers_only_the_country_s_institutions(client, delegate):
    client.force_login(delegate)
    parent = country_page("COL")
    html = client.get(f"/admin/pages/add/programs/programprofilepage/{parent.pk}/"
                      ).content.decode()
    assert "Colombian Institute for Family Welfare" in html
    assert "Mesoamerican Integration and Development Project" in html  # regional
    assert "Ministry of Social Development and Inclusion" not in html  # Peru's
