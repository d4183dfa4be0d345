"""Nudges before the "answer by" date and the organisers' digest of changes since the last
publication: `manage.py send_workshop_nudges --now ...`, idempotent, tested at fixed times."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matchmaking.models import (
    ChangeKind,
    Nudge,
    NudgeKind,
    OrganiserDigest,
    Request,
    WorkshopChange,
)
from matchmaking.services import consent, demand, publishing
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import BOGOTA, member, small_workshop

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 3, 6, 18, 0, tzinfo=BOGOTA)


def run(moment):
    out = StringIO()
    call_command("send_workshop_nudges", now=moment.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER, email="ana@example.org")


@pytest.fixture
def nudged(organiser):
    """Answers needed by DUE. PER has ranked nothing; COL and PER have requests for their
    offers awaiting an answer; nobody asked for ARG's offer. Everyone has an address."""
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    workshop.requests_need_answer = True
    workshop.answers_due = DUE
    workshop.save()
    Request.objects.filter(delegation=delegations["PER"]).delete()
    emails = {key: member(delegations[key], email=f"{key.lower()}@example.gov").email
              for key in delegations}
    return workshop, delegations, emails


def sent(mailoutbox):
    return sorted((tuple(mail.to), mail.subject) for mail in mailoutbox)


def test_nobody_is_nudged_long_before_the_date_or_after_it(nudged, mailoutbox):
    assert "0 nudge(s) sent" in run(DUE - timedelta(days=3, minutes=1))
    assert "0 nudge(s) sent" in run(DUE + timedelta(minutes=1))
    assert mailoutbox == [] and not Nudge.objects.exists()


def test_lagging_delegations_are_nudged_once_per_kind_and_date(nudged, mailoutbox):
    workshop, delegations, emails = nudged
    output = run(DUE - timedelta(days=2))
    assert "3 nudge(s) sent" in output
    subject_answer = "Cooperation, Bogotá; 2026: requests for your offers await your answer"
    subject_rank = ("Cooperation, Bogotá; 2026: rank the offers you want to hear by "
                    "March 6, 2026, 6 p.m.")
    assert sent(mailoutbox) == sorted([
        ((emails["COL"],), subject_answer), ((emails["PER"],), subject_answer),
        ((emails["PER"],), subject_rank)])
    answer = next(mail for mail in mailoutbox
                  if mail.to == [emails["PER"]] and mail.subject == subject_answer)
    assert "2 requests for the offers of Peru await your answer" in answer.body
    assert "/en/workshops/small-workshop/delegations/PER/incoming/" in answer.body
    # Reruns the same day and the next send nothing more.
    assert "0 nudge(s) sent" in run(DUE - timedelta(days=2))
    assert "0 nudge(s) sent" in run(DUE - timedelta(days=1))
    assert len(mailoutbox) == 3
    # A new date starts a new round of nudges for whoever still lags.
    colombian = delegations["COL"].members.get().user
    for request in Request.objects.filter(offer__delegation=delegations["COL"]):
        consent.answer_request(request.pk, colombian, accept=True)
    workshop.answers_due = DUE + timedelta(days=7)
    workshop.save()
    assert "2 nudge(s) sent" in run(DUE + timedelta(days=5))
    assert set(Nudge.objects.filter(due=workshop.answers_due).values_list(
        "delegation__key", "kind")) == {("PER", NudgeKind.RANK), ("PER", NudgeKind.ANSWER)}


def test_no_ranking_nudge_once_requests_are_closed_nor_answer_nudge_without_consent(
        nudged, mailoutbox):
    workshop, _delegations, _emails = nudged
    workshop.requests_deadline = DUE - timedelta(days=4)
    workshop.requests_need_answer = False
    workshop.save()
    assert "0 nudge(s) sent" in run(DUE - timedelta(days=2))
    assert mailoutbox == []


def test_delegations_without_an_address_are_reported(organiser, mailoutbox):
    workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    workshop.answers_due = DUE
    workshop.save()
    Request.objects.filter(delegation=delegations["PER"]).delete()
    output = run(DUE - timedelta(hours=1))
    assert "No e-mail address for Peru (small-workshop): rank" in output
    assert mailoutbox == [] and not Nudge.objects.exists()


def test_a_bad_now_is_refused():
    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command("send_workshop_nudges", now="yesterday")


# -- the organisers' digest ----------------------------------------------------------------


PUBLISHED = datetime(2026, 3, 1, 10, 0, tzinfo=BOGOTA)


@pytest.fixture
def published(organiser):
    """Published at PUBLISHED; COL's request withdrawn an hour before (a change the digest
    must leave out). Publishing checks the version against the requests, so it happens
    while they still match it; answers are required from then on."""
    workshop, _sessions, delegations = small_workshop(organiser=organiser)
    publishing.publish(workshop, organiser, based_on=1)
    workshop.refresh_from_db()
    assert workshop.published_at is not None  # publishing records its moment
    workshop.published_at = PUBLISHED
    workshop.requests_need_answer = True
    workshop.save(update_fields=["published_at", "requests_need_answer"])
    demand.set_requests(delegations["COL"], [], now=PUBLISHED - timedelta(hours=1))
    return workshop, delegations


def test_organisers_get_one_digest_of_what_changed_since_publication(published, mailoutbox):
    workshop, delegations = published
    offers = {offer.key: offer for offer in workshop.offers.all()}
    per = delegations["PER"]
    demand.set_requests(per, [offers["arg-auh"].pk, offers["col-unidos"].pk],
                        now=PUBLISHED + timedelta(minutes=5))
    argentine = member(delegations["ARG"])
    consent.answer_request(Request.objects.get(delegation=per, offer=offers["arg-auh"]).pk,
                           argentine, accept=False, message="Not in March",
                           now=PUBLISHED + timedelta(minutes=10))
    assert "1 digest(s)" in run(PUBLISHED + timedelta(hours=1))
    [mail] = mailoutbox
    assert mail.to == ["ana@example.org"]
    assert mail.subject == "Cooperation, Bogotá; 2026: what changed since the last publication"
    assert ("3 changes in Cooperation, Bogotá; 2026 since the schedule was published on "
            "March 1, 2026, 10 a.m. (version 1):") in mail.body
    assert "Peru asked for “Asignación Universal por Hijo” of Argentina (rank #1)" in mail.body
    assert "Peru ranked “Red UNIDOS” of Colombia anew (#1 → #2)" in mail.body
    assert ("Argentina declined the request of Peru for “Asignación Universal por Hijo” — "
            "“Not in March”") in mail.body
    assert "JUNTOS" not in mail.body  # COL withdrew it before the publication
    # Nothing new: no second digest, even the next day.
    assert "0 digest(s)" in run(PUBLISHED + timedelta(days=1))
    # Something new: the next run sends a digest of everything since the publication...
    demand.set_requests(per, [offers["col-unidos"].pk],
                        now=PUBLISHED + timedelta(days=1, hours=1))
    assert "1 digest(s)" in run(PUBLISHED + timedelta(days=1, hours=2))
    assert "5 changes" in mailoutbox[1].body
    assert "Peru withdrew its request for “Asignación Universal por Hijo”" in mailoutbox[1].body
    # ... but at most one a day.
    demand.set_requests(per, [], now=PUBLISHED + timedelta(days=1, hours=3))
    assert "0 digest(s)" in run(PUBLISHED + timedelta(days=1, hours=4))
    assert "1 digest(s)" in run(PUBLISHED + timedelta(days=2))
    assert "6 changes" in mailoutbox[2].body
    assert OrganiserDigest.objects.count() == 3


def test_an_unpublished_workshop_gets_no_digest(organiser, mailoutbox):
    _workshop, _sessions, delegations = small_workshop(organiser=organiser, schedule=False)
    demand.set_requests(delegations["COL"], [])
    assert WorkshopChange.objects.filter(kind=ChangeKind.REQUEST_REMOVED).exists()
    assert "0 digest(s)" in run(datetime(2026, 3, 9, 9, 0, tzinfo=BOGOTA))
    assert mailoutbox == []
