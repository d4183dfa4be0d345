"""The conflict report: every problem of a schedule version, checked before it is published.

A version was feasible when it was stored (the editor and the optimiser refuse anything
else), but the workshop's data may have changed since: a delegation now unavailable in a
session, a room with fewer seats, fewer delegates, a higher minimum. The report checks the
version against the workshop as it is now, with the optimiser's own rules
(`optimizer.constraints`): errors are what those rules refuse, each tied to the rounds
(editor cells) that cause it; warnings are what the rules allow but organisers want to see
first (a delegation with nothing scheduled). Publishing with errors is refused; with
warnings it needs an explicit confirmation (`matchmaking.services.publishing.publish`).

Rules 4 (round size) and 5 (delegates) are reported per round and per delegation and
session, in the organisers' words, using the rules' own predicates; the other rules' findings
are reported as the validator words them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from matchmaking import optimizer
from matchmaking.models import Delegation
from matchmaking.optimizer import constraints
from matchmaking.services.adapter import instance_for, rounds_queryset
from matchmaking.services.editor import describe_violation

ERROR = "error"
WARNING = "warning"

# Which findings of the validator the report words itself (the rest are shown as they come).
WORDED_RULES = {constraints.round_size.rule_number, constraints.delegation_load.rule_number}


@dataclass
class Problem:
    severity: str  # ERROR or WARNING
    kind: str  # e.g. "double_booked", "over_capacity", "nothing_scheduled", "rule_2"
    message: str
    rounds: list = field(default_factory=list)  # Round rows that cause it (editor cells)
    link: str = ""  # where to fix it when no cell causes it

    @property
    def is_error(self):
        return self.severity == ERROR


@dataclass
class ConflictReport:
    version: object
    problems: list

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == WARNING]


def check_version(workshop, version):
    """The ConflictReport of `version` against the workshop's current data."""
    rows = list(rounds_queryset(version))
    try:
        instance = instance_for(workshop, pinned_rounds=[row for row in rows if row.pinned])
    except optimizer.InvalidInstance as error:
        return ConflictReport(version, [Problem(
            ERROR, "invalid_workshop",
            _("The workshop's data breaks the exchange format's rules: %(problem)s")
            % {"problem": error})])
    rounds = [optimizer.Round(row.offer.key, row.session.key, row.room.key,
                              tuple(d.key for d in row.attendees.all())) for row in rows]
    problems = []
    for violation in optimizer.violations(instance, rounds):
        if violation.rule not in WORDED_RULES:
            problems.append(Problem(ERROR, f"rule_{violation.rule}",
                                    describe_violation(violation),
                                    _rounds_named_by(violation, rows)))
    problems += _round_sizes(instance, rows, rounds)
    problems += _delegation_loads(instance, rows, rounds)
    problems += _nothing_scheduled(workshop, version, rows)
    return ConflictReport(version, problems)


def _rounds_named_by(violation, rows):
    """The rounds a validator message names, for the rules not worded here: by position
    (`rounds[i]`, rules 1 and 3) or else by offer (`offer 'key'`, rule 2)."""
    named = [row for index, row in enumerate(rows) if f"rounds[{index}]" in violation.message]
    return named or [row for row in rows if f"offer {row.offer.key!r}" in violation.message]


def _where(row):
    return {"offer": row.offer.title, "room": row.room.name, "session": row.session}


def _round_sizes(instance, rows, rounds):
    problems = []
    for row, round_ in zip(rows, rounds, strict=True):
        if not any(True for _v in constraints.round_size(instance, [round_])):
            continue
        size = len(round_.attendees)
        if size < instance.min_attendees:
            problems.append(Problem(ERROR, "below_min_attendees", _(
                "“%(offer)s” in %(room)s, %(session)s has %(count)s attending delegation(s); "
                "a round needs at least %(minimum)s.") % {
                    **_where(row), "count": size, "minimum": instance.min_attendees}, [row]))
        else:
            capacity = instance.room_by_id[round_.room].capacity
            problems.append(Problem(ERROR, "over_capacity", _(
                "“%(offer)s” in %(room)s, %(session)s has %(count)s attending delegations; "
                "the room seats %(capacity)s.") % {
                    **_where(row), "count": size, "capacity": capacity}, [row]))
    return problems


def _delegation_loads(instance, rows, rounds):
    """Rule 5, per delegation and session, with the predicates the rule is made of."""
    names = {d.id: d.name or d.id for d in instance.delegations}
    sessions = {row.session.key: row.session for row in rows}
    involved = defaultdict(list)  # (delegation, session) -> [(row, presenting)]
    for row, round_ in zip(rows, rounds, strict=True):
        owner = instance.offer_by_id[round_.offer].owner
        involved[(owner, round_.session)].append((row, True))
        for key in round_.attendees:
            involved[(key, round_.session)].append((row, False))
    problems = []
    presence = constraints.presence(instance, rounds)
    for (key, session_key), offers in sorted(presence.items()):
        if key not in instance.delegation_by_id or constraints.fits(
                instance, key, session_key, len(offers)):
            continue
        cells = [row for row, _presenting in involved[(key, session_key)]]
        values = {"delegation": names[key], "session": sessions[session_key],
                  "count": len(offers)}
        if not constraints.can_be_present(instance, key, session_key):
            presenting = any(flag for _row, flag in involved[(key, session_key)])
            if presenting:
                message = _("%(delegation)s presents in %(session)s, a session it cannot "
                            "attend.") % values
            else:
                message = _("%(delegation)s attends %(count)s round(s) in %(session)s, a "
                            "session it cannot attend.") % values
            problems.append(Problem(
                ERROR, "presenter_unavailable" if presenting else "attendee_unavailable",
                message, cells))
        else:
            values["delegates"] = instance.delegation_by_id[key].delegates
            problems.append(Problem(ERROR, "double_booked", _(
                "%(delegation)s is in %(count)s rounds at once in %(session)s with "
                "%(delegates)s delegate(s).") % values, cells))
    for key, attended in sorted(constraints.attendance_count(rounds).items()):
        if key in instance.delegation_by_id and not constraints.within_attendance_limit(
                instance, key, attended):
            cells = [row for row, round_ in zip(rows, rounds, strict=True)
                     if key in round_.attendees]
            problems.append(Problem(ERROR, "over_attendance_limit", _(
                "%(delegation)s attends %(count)s rounds; it attends at most %(limit)s.") % {
                    "delegation": names[key], "count": attended,
                    "limit": instance.delegation_by_id[key].max_attended}, cells))
    return problems


def _nothing_scheduled(workshop, version, rows):
    busy = {row.offer.delegation_id for row in rows} | {
        d.pk for row in rows for d in row.attendees.all()}
    return [
        Problem(WARNING, "nothing_scheduled", _(
            "%(delegation)s has nothing scheduled: it neither presents nor attends a round.")
            % {"delegation": delegation.name},
            link=reverse("matchmaking:agenda_delegation", args=[workshop.slug, delegation.key])
            + "?preview=1")
        for delegation in Delegation.objects.filter(workshop=workshop).order_by("name")
        if delegation.pk not in busy
    ]


def cell_url(workshop, version, row):
    return (reverse("matchmaking:schedule_editor", args=[workshop.slug])
            + f"?version={version.number}#round-{row.pk}")
