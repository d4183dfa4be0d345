"""Before the final publication: a provisional version the delegations see and flag, the
conflict report that gates publishing, and "schedule only what is not yet booked"."""

import pytest
from django.test import TestCase
from django.urls import reverse

from matchmaking import optimizer
from matchmaking.models import (
    Delegation,
    DelegationKind,
    Request,
    Room,
    Round,
    ScheduleFlag,
    Session,
    SolveJobStatus,
    SolveMode,
)
from matchmaking.services import conflicts, editor, jobs, publishing
from matchmaking.services.adapter import rounds_of
from portal.accounts.roles import Role
from portal.models import Country
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import member, small_workshop, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user(db):
    return make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")


@pytest.fixture
def workshop(organiser_user):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser_user)
    return workshop


def a_round(version, offer):
    return Round.objects.get(version=version, offer__key=offer)


def add_delegation(workshop, iso3, name, *, delegates=1):
    return Delegation.objects.create(
        workshop=workshop, key=iso3, name=name, kind=DelegationKind.COUNTRY,
        country=Country.objects.get(iso3=iso3), delegates=delegates)


def share(workshop, user, based_on):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.share_provisional(workshop, user, based_on=based_on)


def publish(workshop, user, based_on, **options):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.publish(workshop, user, based_on=based_on, **options)


# -- provisional and final ----------------------------------------------------------------------

def test_delegations_see_a_provisional_version_marked_as_such_until_the_final_one(
        workshop, organiser_user, client):
    colombia = Delegation.objects.get(workshop=workshop, key="COL")
    client.force_login(member(colombia))
    agenda_url = reverse("matchmaking:agenda_delegation", args=[workshop.slug, "COL"])
    schedule_url = reverse("matchmaking:schedule_shared", args=[workshop.slug])
    assert "The agenda is not published yet." in client.get(agenda_url).content.decode()
    assert 'data-state="none"' in client.get(schedule_url).content.decode()

    share(workshop, organiser_user, 1)
    workshop.refresh_from_db()
    assert (workshop.provisional_version.number, workshop.published_version) == (1, None)
    page = client.get(agenda_url).content.decode()
    assert "Provisional version 1: it may still change before the final publication." in page
    assert "Red UNIDOS" in page and "Flag a problem" in page
    schedule = client.get(schedule_url).content.decode()
    assert 'data-state="provisional"' in schedule and "JUNTOS" in schedule
    # Calendars only ever get the final publication.
    ics_url = reverse("matchmaking:agenda_ics", args=[workshop.slug, "COL"])
    assert client.get(ics_url).status_code == 404

    publish(workshop, organiser_user, 1)
    workshop.refresh_from_db()
    assert (workshop.provisional_version, workshop.published_version.number) == (None, 1)
    page = client.get(agenda_url).content.decode()
    assert "Published version 1." in page and "Provisional" not in page
    assert "Flag a problem" not in page
    assert 'data-state="final"' in client.get(schedule_url).content.decode()

    # A later version shared as provisional shows over the published one; calendars keep
    # the published one.
    editor.set_pinned(workshop, organiser_user, based_on=1,
                      round_id=a_round(workshop.current_version, "col-unidos").pk, pinned=True)
    workshop.refresh_from_db()
    share(workshop, organiser_user, 2)
    assert "Provisional version 2" in client.get(agenda_url).content.decode()
    assert b"SEQUENCE:1" in client.get(ics_url).content


def test_sharing_is_refused_twice_stale_or_for_a_published_version(workshop, organiser_user):
    share(workshop, organiser_user, 1)
    with pytest.raises(publishing.PublishRefused, match="already shared as provisional"):
        share(workshop, organiser_user, 1)
    with pytest.raises(editor.StaleVersion, match="nothing was shared"):
        share(workshop, organiser_user, 7)
    publish(workshop, organiser_user, 1)
    with pytest.raises(publishing.PublishRefused, match="already published as final"):
        share(workshop, organiser_user, 1)
    with pytest.raises(publishing.PublishRefused, match="Only the workshop's organisers"):
        share(workshop, make_user(Role.ORGANISER), 1)


def test_a_delegation_flags_a_problem_that_organisers_read(workshop, organiser_user, client):
    colombia = Delegation.objects.get(workshop=workshop, key="COL")
    delegate = member(colombia, name="Carla Delegada")
    share(workshop, organiser_user, 1)
    target = a_round(workshop.current_version, "per-juntos")
    client.force_login(delegate)
    response = client.post(reverse("matchmaking:round_flag", args=[workshop.slug, "COL"]),
                           {"round_id": target.pk, "text": "  Our minister arrives at noon. "})
    assert response.status_code == 302
    flag = ScheduleFlag.objects.get()
    assert (flag.version, flag.round, flag.delegation, flag.text, flag.author) == (
        workshop.current_version, target, colombia, "Our minister arrives at noon.", delegate)
    agenda = client.get(reverse("matchmaking:agenda_delegation", args=[workshop.slug, "COL"]))
    assert "Our minister arrives at noon." in agenda.content.decode()

    client.force_login(organiser_user)
    report = client.get(reverse("matchmaking:schedule_check", args=[workshop.slug]))
    page = report.content.decode()
    assert "Our minister arrives at noon." in page and "Colombia" in page
    assert f"#round-{target.pk}" in page
    editor_page = client.get(reverse("matchmaking:schedule_editor", args=[workshop.slug]))
    assert "Colombia: Our minister arrives at noon." in editor_page.content.decode()


@pytest.mark.parametrize("change, message", [
    ({"text": "   "}, "Describe the problem in a few words."),
    ({"text": "x" * 501}, "Keep the description under 500 characters (it has 501)."),
    ({"round_id": "nonsense"}, "That round is not part of the provisional version 1."),
    ({"delegation_key": "PER"}, "Only members of a delegation can flag a problem for it."),
])
def test_a_bad_flag_is_refused_by_name_and_stores_nothing(workshop, organiser_user, change,
                                                         message):
    delegate = member(Delegation.objects.get(workshop=workshop, key="COL"))
    share(workshop, organiser_user, 1)
    arguments = {"round_id": a_round(workshop.current_version, "col-unidos").pk,
                 "delegation_key": "COL", "text": "Clash with a bilateral meeting", **change}
    with pytest.raises(publishing.FlagRefused) as refusal:
        publishing.flag_round(workshop, delegate, **arguments)
    assert str(refusal.value) == message
    assert not ScheduleFlag.objects.exists()


def test_flags_are_taken_only_while_a_version_is_provisional(workshop, organiser_user):
    delegate = member(Delegation.objects.get(workshop=workshop, key="COL"))
    round_id = a_round(workshop.current_version, "col-unidos").pk
    with pytest.raises(publishing.FlagRefused, match="No schedule is shared as provisional"):
        publishing.flag_round(workshop, delegate, round_id=round_id, delegation_key="COL",
                              text="Too early")
    share(workshop, organiser_user, 1)
    publish(workshop, organiser_user, 1)
    with pytest.raises(publishing.FlagRefused, match="No schedule is shared as provisional"):
        publishing.flag_round(workshop, delegate, round_id=round_id, delegation_key="COL",
                              text="Too early")


# -- the conflict report ------------------------------------------------------------------------

def broken_on_purpose(workshop, organiser_user):
    """Version 2 of the small workshop, stored as it is (no validation), then the workshop's
    data changed under it so that every kind of problem appears once or twice."""
    store(workshop, [optimizer.Round("col-unidos", "s1", "r1", ("ARG", "PER")),
                     optimizer.Round("per-juntos", "s2", "r1", ("ARG", "COL")),
                     optimizer.Round("col-unidos", "s2", "r2", ())], organiser_user)
    Delegation.objects.filter(workshop=workshop, key="COL").update(delegates=1)
    peru = Delegation.objects.get(workshop=workshop, key="PER")
    peru.unavailable_sessions.add(Session.objects.get(workshop=workshop, key="s2"))
    peru.save()
    Room.objects.filter(workshop=workshop, key="r1").update(capacity=1)
    add_delegation(workshop, "BRA", "Brazil")
    workshop.refresh_from_db()
    return workshop.current_version


def test_the_conflict_report_lists_every_problem_of_a_broken_schedule(workshop,
                                                                      organiser_user):
    version = broken_on_purpose(workshop, organiser_user)
    report = conflicts.check_version(workshop, version)
    found = [(p.severity, p.kind, p.message,
              sorted((r.offer.key, r.session.key, r.room.key) for r in p.rounds))
             for p in report.problems]
    assert found == [
        ("error", "over_capacity",
         "“Red UNIDOS” in Sala Caribe, Tuesday morning has 2 attending delegations; the room "
         "seats 1.", [("col-unidos", "s1", "r1")]),
        ("error", "over_capacity",
         "“JUNTOS” in Sala Caribe, Tuesday late morning has 2 attending delegations; the room "
         "seats 1.", [("per-juntos", "s2", "r1")]),
        ("error", "below_min_attendees",
         "“Red UNIDOS” in Sala Andes, Tuesday late morning has 0 attending delegation(s); a "
         "round needs at least 2.", [("col-unidos", "s2", "r2")]),
        ("error", "double_booked",
         "Colombia is in 2 rounds at once in Tuesday late morning with 1 delegate(s).",
         [("col-unidos", "s2", "r2"), ("per-juntos", "s2", "r1")]),
        ("error", "presenter_unavailable",
         "Peru presents in Tuesday late morning, a session it cannot attend.",
         [("per-juntos", "s2", "r1")]),
        ("warning", "nothing_scheduled",
         "Brazil has nothing scheduled: it neither presents nor attends a round.", []),
    ]
    # The report agrees with the validator: as many findings of rules 4 and 5.
    instance_violations = optimizer.violations(
        conflicts.instance_for(workshop), rounds_of(version))
    assert len(instance_violations) == len(report.errors)


def test_other_rules_are_reported_as_the_validator_words_them_with_their_cells(workshop):
    # Argentina withdrew its request for Red UNIDOS after the schedule was built.
    Request.objects.filter(delegation__workshop=workshop, delegation__key="ARG",
                           offer__key="col-unidos").delete()
    report = conflicts.check_version(workshop, workshop.current_version)
    assert [(p.kind, p.message, [r.offer.key for r in p.rounds]) for p in report.problems] == [
        ("rule_3", "Rule 3 (attendees requested the offer): rounds[0] (col-unidos in s1/r1): "
                   "'ARG' did not request offer 'col-unidos'", ["col-unidos"])]


def test_publishing_a_broken_schedule_is_refused_naming_the_problems(workshop,
                                                                     organiser_user):
    broken_on_purpose(workshop, organiser_user)
    with pytest.raises(publishing.PublishRefused) as refusal:
        publish(workshop, organiser_user, 2, confirm_warnings=True)
    assert not isinstance(refusal.value, publishing.ConfirmationNeeded)
    assert refusal.value.message.startswith(
        "Version 2 was not published: it breaks the workshop's rules (5 error(s)):")
    assert "Peru presents in Tuesday late morning" in refusal.value.message
    assert len(refusal.value.violations) == 5
    workshop.refresh_from_db()
    assert workshop.published_version is None


def test_warnings_need_a_confirmation_to_publish(workshop, organiser_user, client):
    add_delegation(workshop, "BRA", "Brazil")
    with pytest.raises(publishing.ConfirmationNeeded) as refusal:
        publish(workshop, organiser_user, 1)
    assert refusal.value.message == (
        "Version 1 has 1 warning(s); confirm that you want to publish it anyway: Brazil has "
        "nothing scheduled: it neither presents nor attends a round.")
    workshop.refresh_from_db()
    assert workshop.published_version is None

    client.force_login(organiser_user)
    url = reverse("matchmaking:schedule_publish", args=[workshop.slug])
    response = client.post(url, {"based_on": "1"})
    assert response.url == reverse("matchmaking:schedule_check", args=[workshop.slug])
    workshop.refresh_from_db()
    assert workshop.published_version is None
    page = client.get(response.url).content.decode()
    assert "I have read the warnings and want to publish anyway" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url, {"based_on": "1", "confirm_warnings": "1"})
    workshop.refresh_from_db()
    assert workshop.published_version.number == 1


def test_the_report_page_links_each_error_to_its_editor_cell(workshop, organiser_user, client):
    version = broken_on_purpose(workshop, organiser_user)
    client.force_login(organiser_user)
    page = client.get(reverse("matchmaking:schedule_check", args=[workshop.slug])).content.decode()
    editor_url = reverse("matchmaking:schedule_editor", args=[workshop.slug])
    for offer, session in (("col-unidos", "s1"), ("per-juntos", "s2"), ("col-unidos", "s2")):
        row = Round.objects.get(version=version, offer__key=offer, session__key=session)
        assert f'{editor_url}?version=2#round-{row.pk}' in page
    assert "5 errors" in page and "1 warning" in page
    assert "final-publish-button" not in page  # refused while errors remain
    assert "share-button" in page


# -- schedule only what is not yet booked -------------------------------------------------------

def test_filling_keeps_every_booked_round_and_schedules_the_rest(workshop, organiser_user,
                                                                 settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "channel"  # queued here, run below in this thread
    booked = set(rounds_of(workshop.current_version))
    workshop.offers.filter(key="col-unidos").update(max_repeats=1)
    brazil = add_delegation(workshop, "BRA", "Brazil")
    uruguay = add_delegation(workshop, "URY", "Uruguay")
    offers = {offer.key: offer for offer in workshop.offers.all()}
    for delegation, offer in ((brazil, "col-unidos"), (brazil, "arg-auh"),
                              (uruguay, "arg-auh"), (uruguay, "per-juntos")):
        Request.objects.create(delegation=delegation, offer=offers[offer], rank=1)

    job = jobs.start_job(workshop, organiser_user, objective="demand", time_limit=5,
                         mode=SolveMode.FILL)
    # The optimiser sees only what is left: no pins, the taken rooms gone, the offers whose
    # repeats are used gone with their requests, the met requests gone.
    residual = optimizer.instance_from_dict(job.instance)
    assert residual.pinned == ()
    assert [o.id for o in residual.offers] == ["arg-auh"]
    assert {(r.delegation, r.offer) for r in residual.requests} == {
        ("BRA", "arg-auh"), ("URY", "arg-auh")}
    assert {room.id: room.sessions for room in residual.rooms} == {"r2": ("s1", "s2")}

    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == SolveJobStatus.SUCCEEDED, job.error
    workshop.refresh_from_db()
    result = workshop.current_version
    assert (result.number, result.parent.number, job.result) == (2, 1, result)
    rounds = set(rounds_of(result))
    assert booked <= rounds  # no booked round moved or lost an attendee
    added = rounds - booked
    assert [(r.offer, r.room, r.attendees) for r in added] == [
        ("arg-auh", "r2", ("BRA", "URY"))]
    assert {(r.offer.key, r.session.key) for r in result.rounds.filter(pinned=True)} == {
        ("col-unidos", "s1"), ("per-juntos", "s2")}
    assert result.note == "Scheduled what was not yet booked in version 1 (1 round(s) added)"


def test_filling_with_nothing_left_is_refused(workshop, organiser_user):
    with pytest.raises(jobs.JobError, match="Nothing is left to schedule"):
        jobs.start_job(workshop, organiser_user, mode=SolveMode.FILL)


def test_merging_drops_or_thins_added_rounds_that_clash_with_booked_ones(workshop):
    add_delegation(workshop, "BRA", "Brazil")
    add_delegation(workshop, "URY", "Uruguay")
    Delegation.objects.filter(workshop=workshop, key="COL").update(delegates=1)
    instance = conflicts.instance_for(workshop)
    booked = [optimizer.Round("col-unidos", "s1", "r1", ("ARG", "PER")),
              optimizer.Round("per-juntos", "s2", "r1", ("ARG", "COL"))]
    added = [
        # Red UNIDOS already runs in s1: dropped.
        optimizer.Round("col-unidos", "s1", "r2", ("BRA", "URY")),
        # Colombia's one delegate presents in s1: it is left out, the others stay.
        optimizer.Round("arg-auh", "s1", "r2", ("BRA", "COL", "URY")),
        # Colombia would present in s2, where its one delegate attends JUNTOS: dropped.
        optimizer.Round("col-unidos", "s2", "r2", ("BRA", "URY")),
    ]
    assert jobs._merge_booked(instance, booked, added) == [
        *booked, optimizer.Round("arg-auh", "s1", "r2", ("BRA", "URY"))]
    # Below the minimum once thinned: dropped too.
    thin = [optimizer.Round("arg-auh", "s1", "r2", ("BRA", "COL"))]
    assert jobs._merge_booked(instance, booked, thin) == booked
