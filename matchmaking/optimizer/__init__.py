"""The negotiation-round optimiser: pure Python (NumPy, SciPy, highspy), no Django.

Public interface, for the portal and for scripts:

    from matchmaking.optimizer import Instance, Session, Room, Delegation, Offer, Request, Pin
    from matchmaking.optimizer import solve, validate, read_instance, write_schedule

    schedule = solve(instance, objective="demand", time_limit=60, seed=0,
                     previous=None, progress=None, cancel=None)

See README.md in this package for the details (exit codes, bounds, determinism).
"""

from .constraints import RULES, Violation, is_feasible, violations
from .evaluate import score, shares
from .explain import REASONS
from .io import (
    InvalidSchedule,
    dumps_schedule,
    instance_from_dict,
    instance_to_dict,
    read_instance,
    read_rounds,
    rounds_from_dict,
    schedule_to_dict,
    write_instance,
    write_schedule,
)
from .model import (
    Changes,
    Delegation,
    DelegationShare,
    InfeasibleInstance,
    Instance,
    InvalidInstance,
    Offer,
    Pin,
    Request,
    Room,
    Round,
    Schedule,
    Session,
    Unmet,
)
from .solve import SolveError, solve


def validate(instance: Instance, rounds) -> tuple[list[Violation], float]:
    """Every violation of FORMAT.md's rules by `rounds` (a Schedule or its rounds), and the
    score recomputed from them."""
    rounds = tuple(rounds.rounds if isinstance(rounds, Schedule) else rounds)
    return violations(instance, rounds), score(instance, rounds)


__all__ = [
    "REASONS",
    "RULES",
    "Changes",
    "Delegation",
    "DelegationShare",
    "InfeasibleInstance",
    "Instance",
    "InvalidInstance",
    "InvalidSchedule",
    "Offer",
    "Pin",
    "Request",
    "Room",
    "Round",
    "Schedule",
    "Session",
    "SolveError",
    "Unmet",
    "Violation",
    "dumps_schedule",
    "instance_from_dict",
    "instance_to_dict",
    "is_feasible",
    "read_instance",
    "read_rounds",
    "rounds_from_dict",
    "schedule_to_dict",
    "score",
    "shares",
    "solve",
    "validate",
    "violations",
    "write_instance",
    "write_schedule",
]
