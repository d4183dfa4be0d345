"""Recording cooperation intentions and following them up: who may, how stages move, funding,
and the reminders about intentions that stopped moving."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from matchmaking.models import (
    CooperationIntention,
    Delegate,
    IntentionReminder,
    IntentionTransition,
    Stage,
    Workshop,
)
from matchmaking.services import outcomes
from matchmaking.services.outcomes import IntentionFields, OutcomeError
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.conftest import attach

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("America/Bogota")


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=ZONE)


@pytest.fixture
def workshop(santa_marta, organiser):
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    return santa_marta


def delegation(workshop, key):
    return workshop.delegations.get(key=key)


def intention_between(workshop, demanding="PER", suppliers=("COL",), by=None, **extra):
    fields = IntentionFields(demanding=delegation(workshop, demanding),
                             suppliers=[delegation(workshop, key) for key in suppliers],
                             **extra)
    return outcomes.record_intention(workshop, fields, by=by, recorded_at=at(2012, 11, 1))


# -- recording --------------------------------------------------------------------------------

def test_recording_numbers_the_intention_and_opens_its_history(workshop, organiser):
    offer = workshop.offers.get(key="COL-resa")
    intention = intention_between(workshop, by=organiser, offer=offer,
                                  activity_types=["expert_visits", "academic"],
                                  mechanism="inter_institutional", focus="specific_component",
                                  focus_component="ReSA plots")
    assert intention.number == 1
    assert intention.topic == offer.topics[0]  # taken from the program when not given
    assert [s.key for s in intention.suppliers.all()] == ["COL"]
    assert intention.stage == Stage.INTENTION
    [opening] = intention.transitions.all()
    assert (opening.from_stage, opening.to_stage, opening.moved_by) == ("", "intention",
                                                                         organiser)
    assert intention_between(workshop, "BOL", ("BRA",)).number == 2


@pytest.mark.parametrize(("extra", "message"), [
    ({"focus": "specific_component"}, "Name the component"),
    ({"focus": "general", "focus_component": "X"}, "only when the focus is a specific"),
    ({"activity_types": ["sailing"]}, "Unknown activity type “sailing”"),
    ({"mechanism": "treaty"}, "Unknown cooperation mechanism"),
    ({"topic": "astronomy"}, "Unknown topic “astronomy”"),
    ({"expected_start": at(2013, 5, 1).date(), "expected_end": at(2013, 4, 1).date()},
     "expected end comes before"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(workshop, extra,
                                                                       message):
    with pytest.raises(OutcomeError, match=message):
        intention_between(workshop, **extra)
    assert not CooperationIntention.objects.exists()
    assert not IntentionTransition.objects.exists()


def test_a_delegation_cannot_supply_itself(workshop):
    with pytest.raises(OutcomeError, match="cannot supply its own demand"):
        intention_between(workshop, "PER", ("PER",))


def test_a_delegate_records_only_intentions_of_their_delegation(workshop, delegate):
    attach(delegate, workshop, "COL")
    assert intention_between(workshop, "PER", ("COL",), by=delegate).number == 1
    assert intention_between(workshop, "COL", (), by=delegate).number == 2
    with pytest.raises(OutcomeError, match="your delegation is party to"):
        intention_between(workshop, "PER", ("BRA",), by=delegate)
    assert CooperationIntention.objects.count() == 2


# -- who edits what ---------------------------------------------------------------------------

def test_delegates_edit_only_intentions_their_delegation_is_party_to(workshop, delegate):
    attach(delegate, workshop, "COL")
    own = intention_between(workshop, "PER", ("COL",))
    others = intention_between(workshop, "PER", ("BRA",))
    outcomes.update_intention(own, IntentionFields(demanding=own.demanding,
                                                   suppliers=list(own.suppliers.all()),
                                                   notes="Agreed by phone"), by=delegate)
    assert CooperationIntention.objects.get(pk=own.pk).notes == "Agreed by phone"
    with pytest.raises(OutcomeError, match="Only the delegations party"):
        outcomes.update_intention(others, IntentionFields(demanding=others.demanding,
                                                          notes="Hijacked"), by=delegate)
    with pytest.raises(OutcomeError, match="Only the delegations party"):
        outcomes.move_intention(others, Stage.PLAN_AGREED, by=delegate)
    # Nor may a delegate hand their own intention over to others entirely.
    with pytest.raises(OutcomeError, match="your delegation is party to"):
        outcomes.update_intention(own, IntentionFields(
            demanding=own.demanding, suppliers=[delegation(workshop, "BRA")]), by=delegate)
    assert CooperationIntention.objects.get(pk=others.pk).notes == ""
    assert list(CooperationIntention.objects.get(pk=own.pk).suppliers.values_list(
        "key", flat=True)) == ["COL"]


def test_organisers_edit_all_intentions_of_their_workshop_only(workshop, organiser):
    intention = intention_between(workshop, "PER", ("BRA",))
    outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser)
    stranger = make_user(Role.ORGANISER)
    with pytest.raises(OutcomeError):
        outcomes.move_intention(intention, Stage.FUNDING_REQUESTED, by=stranger)
    with pytest.raises(OutcomeError, match="organisers select"):
        outcomes.select_for_funding(intention, by=stranger, amount=1, currency="USD",
                                    source="Elsewhere")
    assert CooperationIntention.objects.get(pk=intention.pk).stage == Stage.PLAN_AGREED


# -- stage transitions ------------------------------------------------------------------------

def test_forward_moves_record_who_when_and_may_skip_stages(workshop, organiser):
    intention = intention_between(workshop)
    now = at(2013, 6, 1)
    outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser,
                            moved_at=at(2012, 12, 1), now=now)
    outcomes.move_intention(intention, Stage.UNDER_WAY, by=organiser, now=now)
    moves = list(intention.transitions.values_list("from_stage", "to_stage", "moved_at",
                                                   "moved_by"))
    assert moves[1:] == [("intention", "plan_agreed", at(2012, 12, 1), organiser.pk),
                         ("plan_agreed", "under_way", now, organiser.pk)]
    intention.refresh_from_db()
    assert (intention.stage, intention.stage_changed_at) == (Stage.UNDER_WAY, now)


def test_moving_back_or_reopening_needs_a_comment(workshop, organiser):
    intention = intention_between(workshop)
    outcomes.move_intention(intention, Stage.FUNDING_REQUESTED, by=organiser)
    with pytest.raises(OutcomeError, match="needs a comment"):
        outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser, comment="  ")
    assert CooperationIntention.objects.get(pk=intention.pk).stage == Stage.FUNDING_REQUESTED
    outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser,
                            comment="The funder asked for a new plan.")
    outcomes.move_intention(intention, Stage.DROPPED, by=organiser)  # no comment needed
    with pytest.raises(OutcomeError, match="needs a comment"):
        outcomes.move_intention(intention, Stage.UNDER_WAY, by=organiser)
    outcomes.move_intention(intention, Stage.UNDER_WAY, by=organiser, comment="Revived.")
    assert list(intention.transitions.values_list("to_stage", flat=True)) == [
        "intention", "funding_requested", "plan_agreed", "dropped", "under_way"]


def test_transition_dates_are_monotonic_and_never_in_the_future(workshop, organiser):
    intention = intention_between(workshop)
    now = at(2013, 6, 1)
    outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser,
                            moved_at=at(2013, 3, 1), now=now)
    with pytest.raises(OutcomeError, match="comes before the previous transition"):
        outcomes.move_intention(intention, Stage.FUNDING_REQUESTED, by=organiser,
                                moved_at=at(2013, 2, 28), now=now)
    with pytest.raises(OutcomeError, match="in the future"):
        outcomes.move_intention(intention, Stage.FUNDING_REQUESTED, by=organiser,
                                moved_at=now + timedelta(days=1), now=now)
    with pytest.raises(OutcomeError, match="at the stage “Plan agreed” already"):
        outcomes.move_intention(intention, Stage.PLAN_AGREED, by=organiser, now=now)
    outcomes.move_intention(intention, Stage.FUNDING_REQUESTED, by=organiser,
                            moved_at=at(2013, 3, 1), now=now)  # the same day is fine
    assert intention.transitions.count() == 3


def test_selection_for_funding_records_amount_and_source_and_funds(workshop, organiser):
    intention = intention_between(workshop)
    for amount, currency, source, message in [
            (0, "USD", "IASPN", "more than zero"), ("ten", "USD", "IASPN", "a number"),
            (100, "dollars", "IASPN", "three-letter code"), (100, "USD", " ", "Name the source")]:
        with pytest.raises(OutcomeError, match=message):
            outcomes.select_for_funding(intention, by=organiser, amount=amount,
                                        currency=currency, source=source)
    outcomes.select_for_funding(intention, by=organiser, amount="15000", currency="usd",
                                source="IASPN", selected_at=at(2013, 3, 1), now=at(2013, 6, 1))
    intention.refresh_from_db()
    assert intention.selected_for_funding and intention.stage == Stage.FUNDED
    assert (str(intention.funding_amount), intention.funding_currency,
            intention.funding_source) == ("15000.00", "USD", "IASPN")
    last = intention.transitions.last()
    assert last.to_stage == Stage.FUNDED and "15000 USD from IASPN" in last.comment


# -- reminders --------------------------------------------------------------------------------

def test_reminders_for_stalled_intentions_are_idempotent_and_follow_movement(workshop,
                                                                             organiser):
    per = delegation(workshop, "PER")
    col = delegation(workshop, "COL")
    bra = delegation(workshop, "BRA")
    for party, address in [(per, "per@example.gov"), (col, "col@example.gov")]:
        Delegate.objects.create(delegation=party, name="Named", email=address)
    stalled = intention_between(workshop, "PER", ("COL",))            # since 2012-11-01
    silent = intention_between(workshop, "BRA", ())                   # no address at all
    done = intention_between(workshop, "BOL", ("COL",))
    outcomes.move_intention(done, Stage.COMPLETED, by=organiser, moved_at=at(2012, 11, 2),
                            now=at(2012, 11, 2))

    too_early = at(2013, 1, 29)  # 89 days
    assert outcomes.send_stalled_reminders(too_early) == ({}, [])
    reminded, unreachable = outcomes.send_stalled_reminders(at(2013, 2, 1))
    assert {d.key: [i.number for i in items] for d, items in reminded.items()} == {
        "PER": [stalled.number], "COL": [stalled.number]}
    assert unreachable == [bra] and silent.number == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["col@example.gov",
                                                                "per@example.gov"]
    assert f"/outcomes/{stalled.number}/" in mail.outbox[0].body

    for later in (at(2013, 2, 1, 15), at(2013, 3, 1), at(2013, 5, 1)):
        assert outcomes.send_stalled_reminders(later)[0] == {}  # within 90 days of the last
    assert len(mail.outbox) == 2
    assert len(outcomes.send_stalled_reminders(at(2013, 5, 2))[0]) == 2  # 90 days later
    assert IntentionReminder.objects.filter(intention=stalled).count() == 4

    outcomes.move_intention(stalled, Stage.PLAN_AGREED, by=organiser, moved_at=at(2013, 5, 3),
                            now=at(2013, 5, 3))
    assert outcomes.send_stalled_reminders(at(2013, 7, 31))[0] == {}
    assert len(outcomes.send_stalled_reminders(at(2013, 8, 1))[0]) == 2


def test_reminder_command_runs_as_of_a_fixed_moment(workshop, capsys):
    Delegate.objects.create(delegation=delegation(workshop, "PER"), name="Named",
                            email="per@example.gov")
    intention_between(workshop, "PER", ())
    call_command("send_outcome_reminders", "--now", "2013-03-01T08:00")
    call_command("send_outcome_reminders", "--now", "2013-03-01T09:00")
    output = capsys.readouterr().out
    assert "Reminded Peru (santa-marta-2012): #1" in output
    assert output.count("Reminded") == 1 and len(mail.outbox) == 1
    assert Workshop.objects.get().intentions.get().reminders.count() == 1


# -- pages ------------------------------------------------------------------------------------

def test_pages_name_the_problem_and_list_only_the_delegations_own(workshop, delegate, client):
    attach(delegate, workshop, "COL")
    own = intention_between(workshop, "PER", ("COL",))
    intention_between(workshop, "BOL", ("BRA",))
    client.force_login(delegate)
    base = "/en/workshops/santa-marta-2012/outcomes/"
    listed = client.get(base).content.decode()
    assert f'href="{base}1/"' in listed and f'href="{base}2/"' not in listed

    client.post(f"{base}1/move/", {"stage": "funded"})
    response = client.post(f"{base}1/move/", {"stage": "plan_agreed"})
    assert response.status_code == 400
    assert "needs a comment saying why" in response.content.decode()
    assert CooperationIntention.objects.get(pk=own.pk).stage == Stage.FUNDED

    response = client.post(f"{base}new/", {"demanding": delegation(workshop, "COL").pk,
                                           "focus": "specific_component"})
    assert "Name the component the cooperation focuses on." in response.content.decode()
    assert CooperationIntention.objects.count() == 2


def test_demo_outcomes_load_once(demo_data):
    from matchmaking import demo

    workshop = Workshop.objects.get(slug=demo.SLUG)
    assert workshop.intentions.count() == 46
    assert list(workshop.intentions.filter(selected_for_funding=True)
                .values_list("number", flat=True)) == [23, 41]
    assert workshop.outcome_report.is_published
    organiser = workshop.organisers.get()
    assert set(IntentionTransition.objects.filter(intention__workshop=workshop)
               .values_list("moved_by", flat=True)) == {organiser.pk}
    demo.load(open("/dev/null", "w"))  # noqa: SIM115
    assert workshop.intentions.count() == 46
    moves = sum(len(moves) for moves in demo.FOLLOW_UP.values())  # funding moves to funded
    assert IntentionTransition.objects.filter(intention__workshop=workshop).count() == 46 + moves
