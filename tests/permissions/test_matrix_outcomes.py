"""Permission matrix rows for cooperation outcomes: a delegation's members record and move
only the intentions their delegation is party to; the workshop's organisers handle all of
them, the funding, the reports and the public report; everyone reads the published report."""

from datetime import date

import pytest

from matchmaking.models import CooperationIntention, Delegation, OutcomeReport, Stage
from matchmaking.services import outcomes
from matchmaking.services.outcomes import IntentionFields
from portal.accounts.roles import Role
from tests.permissions.harness import ANONYMOUS, ROLES, action, check, shown
from tests.permissions.test_matrix_matchmaking import WorkshopWorld

EVERYONE = set(ROLES)
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}
COL_DELEGATION = {Role.COUNTRY_DELEGATE, *ORGANISERS}


class OutcomesWorld(WorkshopWorld):
    """Santa Marta with two intentions: #1 Peru ← Colombia (the delegate's delegation is
    party), #2 Bolivia ← Brazil (it is not); a published report; and an intention of a
    workshop organised by someone else."""

    def __init__(self):
        super().__init__()
        self.workshop.organisers.add(self.users[Role.ORGANISER.value])
        self.workshop.save()
        key = self.workshop.delegations.get
        self.own = outcomes.record_intention(self.workshop, IntentionFields(
            demanding=key(key="PER"), suppliers=[key(key="COL")]))
        self.foreign = outcomes.record_intention(self.workshop, IntentionFields(
            demanding=key(key="BOL"), suppliers=[key(key="BRA")]))
        self.report = OutcomeReport.objects.create(
            workshop=self.workshop, title_en="Outcomes", title_es="Resultados",
            summary_en="S", summary_es="R", is_published=True, published_on=date(2013, 1, 1))
        other_delegation = Delegation.objects.create(workshop=self.others, key="X",
                                                     kind="country", country=self.country,
                                                     name="X")
        self.elsewhere = outcomes.record_intention(self.others, IntentionFields(
            demanding=other_delegation))

    def outcomes_url(self, path=""):
        return self.url(f"outcomes/{path}")


def moved(intention):
    return CooperationIntention.objects.get(pk=intention.pk).stage == Stage.PLAN_AGREED


@action("read a workshop's published outcome report", EVERYONE)
def read_report(client, world):
    return shown(client.get(world.outcomes_url("report/")))


@action("preview an unpublished outcome report", ORGANISERS)
def preview_report(client, world):
    OutcomeReport.objects.filter(pk=world.report.pk).update(is_published=False)
    return shown(client.get(world.outcomes_url("report/")))


@action("publish the workshop's outcome report", ORGANISERS)
def publish_report(client, world):
    OutcomeReport.objects.filter(pk=world.report.pk).update(is_published=False)
    client.post(world.outcomes_url("report/edit/"), {
        "title_en": "New", "title_es": "Nuevo", "summary_en": "S", "summary_es": "R",
        "action": "publish"})
    return OutcomeReport.objects.get(pk=world.report.pk).is_published


@action("record an intention the own delegation is party to", COL_DELEGATION)
def record_own(client, world):
    col = world.workshop.delegations.get(key="COL")
    client.post(world.outcomes_url("new/"), {"demanding": col.pk, "notes": "From the matrix"})
    return CooperationIntention.objects.filter(notes="From the matrix").exists()


@action("list and open intentions the own delegation is party to", COL_DELEGATION)
def open_own(client, world):
    listed = client.get(world.outcomes_url())
    return (shown(listed) and f"#{world.own.number}" in listed.content.decode()
            and shown(client.get(world.outcomes_url(f"{world.own.number}/"))))


@action("move an intention the own delegation is party to", COL_DELEGATION)
def move_own(client, world):
    client.post(world.outcomes_url(f"{world.own.number}/move/"), {"stage": "plan_agreed"})
    return moved(world.own)


@action("change an intention the own delegation is party to", COL_DELEGATION)
def change_own(client, world):
    client.post(world.outcomes_url(f"{world.own.number}/edit/"), {
        "demanding": world.own.demanding_id, "suppliers": [s.pk for s in
                                                           world.own.suppliers.all()],
        "notes": "Changed by the matrix"})
    return CooperationIntention.objects.get(pk=world.own.pk).notes == "Changed by the matrix"


@action("open or move an intention of other delegations", ORGANISERS)
def move_foreign(client, world):
    opened = shown(client.get(world.outcomes_url(f"{world.foreign.number}/")))
    client.post(world.outcomes_url(f"{world.foreign.number}/move/"), {"stage": "plan_agreed"})
    return opened or moved(world.foreign)


@action("select an intention for funding", ORGANISERS)
def fund(client, world):
    client.post(world.outcomes_url(f"{world.own.number}/funding/"), {
        "amount": "1000", "currency": "USD", "source": "IASPN"})
    return CooperationIntention.objects.get(pk=world.own.pk).selected_for_funding


@action("open and download the workshop's outcome reports", ORGANISERS)
def open_reports(client, world):
    return (shown(client.get(world.outcomes_url("reports/funnel/")))
            or shown(client.get(world.outcomes_url("reports/matrix.csv"))))


@action("open the funnel and matrix across organised workshops", ORGANISERS)
def open_cross(client, world):
    return (shown(client.get("/en/workshops/outcomes/funnel/"))
            or shown(client.get("/en/workshops/outcomes/matrix.xlsx")))


@action("move an intention of a workshop organised by others", {Role.ADMINISTRATOR})
def move_elsewhere(client, world):
    client.post(f"/en/workshops/{world.others.slug}/outcomes/{world.elsewhere.number}/move/",
                {"stage": "plan_agreed"})
    return moved(world.elsewhere)


ROWS = [read_report, preview_report, publish_report, record_own, open_own, move_own,
        change_own, move_foreign, fund, open_reports, open_cross, move_elsewhere]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, OutcomesWorld(), role, row)


def test_anonymous_visitors_read_only_the_published_report():
    assert {row.name for row in ROWS if ANONYMOUS in row.allowed} == {read_report.name}


