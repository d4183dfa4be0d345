"""Consent: requests accepted automatically or by the offering delegation, declined ones
never optimised; "do not schedule with" in bilateral mode; limits (max_attended and the
minimum rounds) honoured by the optimiser and the editor."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from matchmaking import optimizer
from matchmaking.models import (
    ChangeKind,
    Request,
    RequestAnswer,
    Round,
    ScheduleExclusion,
    SolveJob,
    Workshop,
    WorkshopChange,
)
from matchmaking.services import consent, editor, jobs
from matchmaking.services.adapter import instance_for
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import BOGOTA, member, small_workshop, store

pytestmark = pytest.mark.django_db


def pairs(workshop):
    return {(r.delegation, r.offer) for r in instance_for(workshop).requests}


def request_of(workshop, requester, offer):
    return Request.objects.get(delegation__workshop=workshop, delegation__key=requester,
                               offer__key=offer)


ALL_FOUR = {("PER", "col-unidos"), ("ARG", "col-unidos"), ("COL", "per-juntos"),
            ("ARG", "per-juntos")}


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")


@pytest.fixture
def asking(organiser):
    """The small workshop with answers needed, no schedule yet."""
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    workshop.requests_need_answer = True
    workshop.save()
    return workshop, delegations


# -- which requests reach the optimiser -----------------------------------------------------


def test_requests_are_accepted_automatically_by_default(organiser):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser, schedule=False)
    assert not workshop.requests_need_answer
    assert pairs(workshop) == ALL_FOUR


def test_a_declined_request_never_reaches_the_optimiser(organiser):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser, schedule=False)
    Request.objects.filter(pk=request_of(workshop, "ARG", "col-unidos").pk).update(
        answer=RequestAnswer.DECLINED)
    assert pairs(workshop) == ALL_FOUR - {("ARG", "col-unidos")}


def test_with_answers_needed_only_accepted_requests_reach_the_optimiser(asking):
    workshop, delegations = asking
    colombian = member(delegations["COL"])
    assert pairs(workshop) == set()
    consent.answer_request(request_of(workshop, "PER", "col-unidos").pk, colombian,
                           accept=True)
    declined = consent.answer_request(request_of(workshop, "ARG", "col-unidos").pk,
                                      colombian, accept=False,
                                      message="  Our team cannot travel that day.  ")
    assert pairs(workshop) == {("PER", "col-unidos")}
    assert (declined.answer, declined.answer_message, declined.answered_by) == (
        RequestAnswer.DECLINED, "Our team cannot travel that day.", colombian)
    assert declined.answered_at is not None
    logged = list(WorkshopChange.objects.filter(workshop=workshop).values_list(
        "kind", "delegation", "other", "offer"))
    assert logged == [(ChangeKind.REQUEST_ACCEPTED, "Colombia", "Peru", "Red UNIDOS"),
                      (ChangeKind.REQUEST_DECLINED, "Colombia", "Argentina", "Red UNIDOS")]


def test_only_the_offering_delegation_and_organisers_answer(asking, organiser):
    workshop, delegations = asking
    peruvian = member(delegations["PER"])
    outsider = make_user(Role.COUNTRY_DELEGATE)
    request = request_of(workshop, "ARG", "col-unidos")
    for user in (peruvian, outsider):
        with pytest.raises(consent.ConsentError, match="Only members of Colombia or the "
                                                       "workshop's organisers can answer"):
            consent.answer_request(request.pk, user, accept=True)
    request.refresh_from_db()
    assert request.answer == RequestAnswer.PENDING
    consent.answer_request(request.pk, organiser, accept=True)
    assert pairs(workshop) == {("ARG", "col-unidos")}


def test_bad_answers_are_refused_with_the_reason(asking, organiser):
    workshop, delegations = asking
    request = request_of(workshop, "ARG", "col-unidos")
    with pytest.raises(consent.ConsentError, match="keep it to 1000"):
        consent.answer_request(request.pk, organiser, accept=False, message="x" * 1001)
    with pytest.raises(consent.ConsentError, match="not for an offer of Peru"):
        consent.answer_request(request.pk, organiser, accept=True, owner=delegations["PER"])
    with pytest.raises(consent.ConsentError, match="no longer exists"):
        consent.answer_request(0, organiser, accept=True)
    workshop.requests_need_answer = False
    workshop.save()
    with pytest.raises(consent.ConsentError, match="accepted automatically"):
        consent.answer_request(request.pk, organiser, accept=False)
    request.refresh_from_db()
    assert request.answer == RequestAnswer.PENDING
    assert not WorkshopChange.objects.filter(workshop=workshop).exists()


# -- do not schedule with -------------------------------------------------------------------


def test_do_not_schedule_with_keeps_a_bilateral_pair_apart_both_ways(organiser):
    workshop, _sessions, delegations = small_workshop("bilateral", organiser=organiser,
                                                      bilateral=True, schedule=False)
    peruvian = member(delegations["PER"])
    consent.keep_apart(delegations["PER"], delegations["COL"].pk, peruvian)
    # PER asked for COL's offer and COL for PER's: both requests leave the instance.
    assert pairs(workshop) == {("ARG", "col-unidos"), ("ARG", "per-juntos")}
    schedule = optimizer.solve(instance_for(workshop), time_limit=10)
    for round_ in schedule.rounds:
        owner = {"col-unidos": "COL", "per-juntos": "PER", "arg-auh": "ARG"}[round_.offer]
        assert {owner, *round_.attendees} != {"COL", "PER"}
    with pytest.raises(consent.ConsentError, match="already marked"):
        consent.keep_apart(delegations["PER"], delegations["COL"].pk, peruvian)
    consent.allow_again(delegations["PER"], delegations["COL"].pk, peruvian)
    assert pairs(workshop) == ALL_FOUR


def test_do_not_schedule_with_is_refused_outside_bilateral_mode_and_for_strangers(organiser):
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    peruvian = member(delegations["PER"])
    with pytest.raises(consent.ConsentError, match="applies to one-to-one meetings only"):
        consent.keep_apart(delegations["PER"], delegations["COL"].pk, peruvian)
    workshop.bilateral = True
    workshop.save()
    with pytest.raises(consent.ConsentError, match="Only members of Colombia"):
        consent.keep_apart(delegations["COL"], delegations["PER"].pk, peruvian)
    with pytest.raises(consent.ConsentError, match="from itself"):
        consent.keep_apart(delegations["PER"], delegations["PER"].pk, peruvian)
    with pytest.raises(consent.ConsentError, match="Choose a delegation of this workshop"):
        consent.keep_apart(delegations["PER"], None, peruvian)
    with pytest.raises(consent.ConsentError, match="is not marked"):
        consent.allow_again(delegations["PER"], delegations["ARG"].pk, peruvian)
    assert not ScheduleExclusion.objects.exists()


# -- the editor -----------------------------------------------------------------------------


def editing(organiser, rounds, **options):
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False,
                                                      min_attendees=1, **options)
    store(workshop, rounds, organiser)
    return workshop, delegations


def add(workshop, organiser, offer, delegation):
    row = Round.objects.get(version=workshop.current_version, offer__key=offer)
    return editor.add_attendee(workshop, organiser, based_on=workshop.current_version.number,
                               round_id=row.pk, delegation_key=delegation)


def test_the_editor_refuses_a_declined_or_unanswered_request(organiser):
    workshop, _delegations = editing(organiser, [
        optimizer.Round("col-unidos", "s1", "r1", ("PER",)),
        optimizer.Round("per-juntos", "s2", "r1", ("COL",))])
    Request.objects.filter(pk=request_of(workshop, "ARG", "col-unidos").pk).update(
        answer=RequestAnswer.DECLINED, answer_message="No")
    with pytest.raises(editor.EditRefused) as refused:
        add(workshop, organiser, "col-unidos", "ARG")
    assert refused.value.message == ("Colombia declined the request of Argentina for "
                                     "“Red UNIDOS”.")
    workshop.requests_need_answer = True
    workshop.save()
    with pytest.raises(editor.EditRefused) as refused:
        add(workshop, organiser, "per-juntos", "ARG")
    assert refused.value.message == ("The request of Argentina for “JUNTOS” still awaits "
                                     "the answer of Peru.")
    assert workshop.schedule_versions.count() == 1


def test_the_editor_refuses_a_pair_kept_apart(organiser):
    workshop, delegations = editing(organiser, [
        optimizer.Round("col-unidos", "s1", "r1", ("PER",))], bilateral=True)
    ScheduleExclusion.objects.create(delegation=delegations["COL"], other=delegations["ARG"])
    with pytest.raises(editor.EditRefused) as refused:
        add(workshop, organiser, "col-unidos", "ARG")
    assert refused.value.message == ("Argentina and Colombia are marked “do not schedule "
                                     "with”; they never meet.")


def test_the_editor_honours_most_rounds_attended(organiser):
    workshop, delegations = editing(organiser, [
        optimizer.Round("col-unidos", "s1", "r1", ("ARG", "PER")),
        optimizer.Round("per-juntos", "s2", "r1", ("COL",))])
    delegations["ARG"].max_attended = 1
    delegations["ARG"].save()
    with pytest.raises(editor.EditRefused) as refused:
        add(workshop, organiser, "per-juntos", "ARG")
    assert refused.value.message == (
        "Argentina already attends 1 round, the most it may attend over the workshop (set in "
        "its delegation's “most rounds attended”).")
    delegations["ARG"].max_attended = 2
    delegations["ARG"].save()
    version = add(workshop, organiser, "per-juntos", "ARG")
    assert version.number == 2


def test_an_imported_schedule_over_the_limit_is_refused_by_the_validator(organiser):
    workshop, delegations = editing(organiser, [
        optimizer.Round("col-unidos", "s1", "r1", ("ARG", "PER")),
        optimizer.Round("per-juntos", "s2", "r1", ("COL",))])
    delegations["ARG"].max_attended = 1
    delegations["ARG"].save()
    document = {"format": "negotiation-rounds-schedule/1", "rounds": [
        {"offer": "col-unidos", "session": "s1", "room": "r1", "attendees": ["ARG", "PER"]},
        {"offer": "per-juntos", "session": "s2", "room": "r1", "attendees": ["ARG", "COL"]}]}
    with pytest.raises(editor.EditRefused) as refused:
        editor.import_schedule_document(workshop, organiser, document)
    assert "'ARG' attends 2 rounds, max_attended is 1" in refused.value.message + " ".join(
        refused.value.violations)
    assert workshop.schedule_versions.count() == 1


def test_the_optimiser_honours_most_rounds_attended_from_the_rows(organiser):
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False,
                                                      min_attendees=1)
    unlimited = optimizer.solve(instance_for(workshop), time_limit=10)
    assert sum("ARG" in r.attendees for r in unlimited.rounds) == 2
    delegations["ARG"].max_attended = 1
    delegations["ARG"].save()
    limited = optimizer.solve(instance_for(workshop), time_limit=10)
    assert sum("ARG" in r.attendees for r in limited.rounds) == 1


# -- minimum rounds in the portal -----------------------------------------------------------


def test_a_fair_run_carries_the_workshops_minimum_rounds(organiser):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser, schedule=False)
    workshop.min_rounds = 2
    workshop.save()
    demand = jobs.start_job(workshop, organiser, objective="demand", time_limit=5)
    assert demand.min_rounds == 0
    SolveJob.objects.filter(pk=demand.pk).delete()
    fair = jobs.start_job(workshop, organiser, objective="fair", time_limit=10)
    assert fair.min_rounds == 2
    jobs.run_job(fair.pk)
    fair.refresh_from_db()
    assert fair.status == "succeeded", fair.error
    report = fair.result.report
    # ARG asked for two programs and can attend both: it reaches the minimum; PER and COL
    # asked for one each, which they reach with it.
    assert (report["min_rounds"], report["min_rounds_reached"],
            report["min_rounds_reached_bound"]) == (2, 3, 3)


# -- pages ----------------------------------------------------------------------------------


def test_the_offering_delegation_answers_on_its_page(client, asking):
    workshop, delegations = asking
    colombian = member(delegations["COL"])
    client.force_login(colombian)
    url = reverse("matchmaking:incoming", args=[workshop.slug, "COL"])
    page = client.get(url).content.decode()
    assert "Peru asks for “Red UNIDOS”" in page and "Argentina asks for “Red UNIDOS”" in page
    assert "JUNTOS" in page  # Peru's profile lists the programs it offers
    request = request_of(workshop, "ARG", "col-unidos")
    response = client.post(url, {"action": "decline", "request": request.pk,
                                 "message": "Not this time"}, follow=True)
    assert "You declined the request of Argentina for “Red UNIDOS”." in (
        response.content.decode())
    request.refresh_from_db()
    assert (request.answer, request.answer_message) == (RequestAnswer.DECLINED, "Not this time")
    response = client.post(url, {"action": "accept", "request": "nonsense"}, follow=True)
    assert "That request no longer exists" in response.content.decode()
    # The requesting delegation sees the answer and the message on its ranking.
    client.force_login(member(delegations["ARG"]))
    page = client.get(reverse("matchmaking:demand", args=[workshop.slug, "ARG"]))
    assert "Declined: “Not this time”" in page.content.decode()


def test_the_incoming_page_is_for_the_delegation_and_organisers_only(client, asking,
                                                                     organiser):
    workshop, delegations = asking
    url = reverse("matchmaking:incoming", args=[workshop.slug, "COL"])
    client.force_login(member(delegations["PER"]))
    assert client.get(url).status_code == 403
    request = request_of(workshop, "ARG", "col-unidos")
    client.post(url, {"action": "accept", "request": request.pk})
    request.refresh_from_db()
    assert request.answer == RequestAnswer.PENDING
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_a_delegation_marks_another_on_its_page_in_bilateral_mode(client, organiser):
    workshop, _sessions, delegations = small_workshop("bilateral", organiser=organiser,
                                                      bilateral=True, schedule=False)
    client.force_login(member(delegations["PER"]))
    url = reverse("matchmaking:incoming", args=[workshop.slug, "PER"])
    assert "Do not schedule with" in client.get(url).content.decode()
    response = client.post(url, {"action": "keep_apart", "other": delegations["COL"].pk},
                           follow=True)
    assert "Colombia will not be scheduled with Peru." in response.content.decode()
    assert ScheduleExclusion.objects.filter(delegation=delegations["PER"],
                                            other=delegations["COL"]).exists()
    response = client.post(url, {"action": "allow", "other": delegations["COL"].pk},
                           follow=True)
    assert "Colombia may be scheduled with Peru again." in response.content.decode()
    assert not ScheduleExclusion.objects.exists()
    response = client.post(url, {"action": "shrug"}, follow=True)
    assert "Choose what to do" in response.content.decode()


# -- settings in the admin ------------------------------------------------------------------


def test_organisers_set_answers_minimum_and_answer_date_in_the_admin(client, organiser):
    from tests.matchmaking.test_organisers import workshop_form

    workshop = Workshop.objects.create(name="Small", slug="small", starts_on=date(2012, 10, 31),
                                       ends_on=date(2012, 11, 2), time_zone="America/Bogota")
    workshop.organisers.add(organiser)
    workshop.save()
    client.force_login(organiser)
    url = f"/admin/snippets/matchmaking/workshop/edit/{workshop.pk}/"
    response = client.post(url, workshop_form(workshop, requests_need_answer="on",
                                              min_rounds="2", answers_due="2012-10-30 18:00"))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.requests_need_answer and workshop.min_rounds == 2
    assert workshop.answers_due == datetime(2012, 10, 30, 18, 0, tzinfo=BOGOTA)
    response = client.post(url, workshop_form(workshop, min_rounds="0"))
    assert response.status_code == 200  # refused, with the field named
    workshop.refresh_from_db()
    assert workshop.min_rounds == 2


def test_organisers_set_most_rounds_attended_per_delegation(client, organiser):
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    argentina = delegations["ARG"]
    client.force_login(organiser)
    response = client.post(
        f"/admin/snippets/matchmaking/delegation/edit/{argentina.pk}/",
        nested_form_data({"workshop": workshop.pk, "key": "ARG", "kind": "country",
                          "country": argentina.country_id, "institution": "",
                          "name": "Argentina", "delegates": "2", "max_attended": "1",
                          "members": inline_formset([])}))
    assert response.status_code == 302
    argentina.refresh_from_db()
    assert argentina.max_attended == 1
    instance = instance_for(workshop)
    assert instance.delegation_by_id["ARG"].max_attended == 1
