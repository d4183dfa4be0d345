"""The negotiation-rounds problem and its answer as frozen dataclasses (FORMAT.md, version 1).

An `Instance` is checked when it is built (`InvalidInstance` names the first offending entry
and field), whether it comes from a JSON file (`io.read_instance`) or from Python code (the
portal's adapter). Defaults are those of FORMAT.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

INSTANCE_FORMAT = "negotiation-rounds/1"
SCHEDULE_FORMAT = "negotiation-rounds-schedule/1"
OBJECTIVES = ("demand", "fair")

# A met request counts its weight; weights are compared after rounding to this many decimals,
# so that 0.9 + 0.8 and 1.7 are the same score everywhere (output, bounds, tests).
SCORE_DECIMALS = 9


class InvalidInstance(ValueError):
    """The instance breaks FORMAT.md's validity rules; `where` names the entry and field."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class InfeasibleInstance(ValueError):
    """The pins cannot all be honoured (FORMAT.md: exit status 3)."""


def default_weight(rank: int) -> float:
    """FORMAT.md's rank rule: rank 1 is worth 1.0, rank 10 and beyond 0.1."""
    return max(1, 11 - rank) / 10


def round_score(value: float) -> float:
    return round(value + 0.0, SCORE_DECIMALS)


@dataclass(frozen=True)
class Session:
    id: str
    label: str = ""


@dataclass(frozen=True)
class Room:
    id: str
    capacity: int
    sessions: tuple[str, ...] | None = None  # None: available in every session

    def __post_init__(self):
        if self.sessions is not None and not isinstance(self.sessions, tuple):
            object.__setattr__(self, "sessions", tuple(self.sessions))

    def available_in(self, session_id: str) -> bool:
        return self.sessions is None or session_id in self.sessions


@dataclass(frozen=True)
class Delegation:
    id: str
    name: str = ""
    delegates: int = 1
    unavailable: frozenset[str] = frozenset()
    max_attended: int | None = None  # None: no limit

    def __post_init__(self):
        if not isinstance(self.unavailable, frozenset):
            object.__setattr__(self, "unavailable", frozenset(self.unavailable))


@dataclass(frozen=True)
class Offer:
    id: str
    owner: str
    title: str = ""
    topics: tuple[str, ...] = ()
    max_repeats: int = 1

    def __post_init__(self):
        if not isinstance(self.topics, tuple):
            object.__setattr__(self, "topics", tuple(self.topics))


@dataclass(frozen=True)
class Request:
    delegation: str
    offer: str
    rank: int
    weight: float | None = None  # None: the rank rule

    @property
    def value(self) -> float:
        return default_weight(self.rank) if self.weight is None else float(self.weight)


@dataclass(frozen=True)
class Pin:
    offer: str
    session: str
    room: str


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _check_id(where: str, value) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInstance(where, f"must be a non-empty string, got {value!r}")


def _check_int(where: str, value, minimum: int) -> None:
    if not _is_int(value) or value < minimum:
        raise InvalidInstance(where, f"must be an integer >= {minimum}, got {value!r}")


@dataclass(frozen=True)
class Instance:
    sessions: tuple[Session, ...]
    rooms: tuple[Room, ...]
    delegations: tuple[Delegation, ...]
    offers: tuple[Offer, ...]
    requests: tuple[Request, ...]
    pinned: tuple[Pin, ...] = ()
    min_attendees: int = 2
    name: str = ""

    def __post_init__(self):
        for name in ("sessions", "rooms", "delegations", "offers", "requests", "pinned"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        self._validate()

    # -- validity (FORMAT.md: "An instance is invalid when ...") -------------------------

    def _validate(self) -> None:
        _check_int("min_attendees", self.min_attendees, 0)
        session_ids = self._unique_ids("sessions", self.sessions)
        self._unique_ids("rooms", self.rooms)
        delegation_ids = self._unique_ids("delegations", self.delegations)
        self._unique_ids("offers", self.offers)

        for index, room in enumerate(self.rooms):
            _check_int(f"rooms[{index}].capacity", room.capacity, 1)
            if room.sessions is not None:
                for position, session_id in enumerate(room.sessions):
                    self._check_reference(
                        f"rooms[{index}].sessions[{position}]", "session", session_id, session_ids
                    )

        for index, delegation in enumerate(self.delegations):
            _check_int(f"delegations[{index}].delegates", delegation.delegates, 1)
            for session_id in sorted(delegation.unavailable, key=str):
                self._check_reference(
                    f"delegations[{index}].unavailable", "session", session_id, session_ids
                )
            if delegation.max_attended is not None:
                _check_int(f"delegations[{index}].max_attended", delegation.max_attended, 0)

        for index, offer in enumerate(self.offers):
            self._check_reference(
                f"offers[{index}].owner", "delegation", offer.owner, delegation_ids
            )
            _check_int(f"offers[{index}].max_repeats", offer.max_repeats, 1)

        offers_by_id = self.offer_by_id
        requested: dict[tuple[str, str], int] = {}
        for index, request in enumerate(self.requests):
            self._check_reference(
                f"requests[{index}].delegation", "delegation", request.delegation, delegation_ids
            )
            self._check_reference(f"requests[{index}].offer", "offer", request.offer, offers_by_id)
            _check_int(f"requests[{index}].rank", request.rank, 1)
            if request.weight is not None and (
                not _is_number(request.weight) or request.weight < 0
            ):
                raise InvalidInstance(
                    f"requests[{index}].weight",
                    f"must be a number >= 0, got {request.weight!r}",
                )
            if offers_by_id[request.offer].owner == request.delegation:
                raise InvalidInstance(
                    f"requests[{index}].offer",
                    f"delegation {request.delegation!r} requests its own offer {request.offer!r}",
                )
            key = (request.delegation, request.offer)
            if key in requested:
                raise InvalidInstance(
                    f"requests[{index}].offer",
                    f"delegation {request.delegation!r} already requests offer "
                    f"{request.offer!r} in requests[{requested[key]}]",
                )
            requested[key] = index

        rooms_by_id = self.room_by_id
        pinned_slots: dict[tuple[str, str], int] = {}
        for index, pin in enumerate(self.pinned):
            self._check_reference(f"pinned[{index}].offer", "offer", pin.offer, offers_by_id)
            self._check_reference(f"pinned[{index}].session", "session", pin.session, session_ids)
            self._check_reference(f"pinned[{index}].room", "room", pin.room, rooms_by_id)
            slot = (pin.session, pin.room)
            if slot in pinned_slots:
                raise InvalidInstance(
                    f"pinned[{index}]",
                    f"session {pin.session!r} and room {pin.room!r} are already pinned by "
                    f"pinned[{pinned_slots[slot]}]",
                )
            pinned_slots[slot] = index
            if not rooms_by_id[pin.room].available_in(pin.session):
                raise InvalidInstance(
                    f"pinned[{index}].room",
                    f"room {pin.room!r} is not available in session {pin.session!r}",
                )

    @staticmethod
    def _unique_ids(kind: str, entries) -> dict[str, int]:
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            _check_id(f"{kind}[{index}].id", entry.id)
            if entry.id in seen:
                raise InvalidInstance(
                    f"{kind}[{index}].id",
                    f"duplicate id {entry.id!r} (also {kind}[{seen[entry.id]}])",
                )
            seen[entry.id] = index
        return seen

    @staticmethod
    def _check_reference(where: str, kind: str, value, known) -> None:
        _check_id(where, value)
        if value not in known:
            raise InvalidInstance(where, f"unknown {kind} {value!r}")

    # -- lookups --------------------------------------------------------------------------

    @cached_property
    def session_ids(self) -> tuple[str, ...]:
        return tuple(session.id for session in self.sessions)

    @cached_property
    def room_by_id(self) -> Mapping[str, Room]:
        return MappingProxyType({room.id: room for room in self.rooms})

    @cached_property
    def delegation_by_id(self) -> Mapping[str, Delegation]:
        return MappingProxyType({delegation.id: delegation for delegation in self.delegations})

    @cached_property
    def offer_by_id(self) -> Mapping[str, Offer]:
        return MappingProxyType({offer.id: offer for offer in self.offers})

    @cached_property
    def request_by_pair(self) -> Mapping[tuple[str, str], Request]:
        return MappingProxyType(
            {(request.delegation, request.offer): request for request in self.requests}
        )

    @cached_property
    def requests_by_offer(self) -> Mapping[str, tuple[Request, ...]]:
        grouped: dict[str, list[Request]] = {offer.id: [] for offer in self.offers}
        for request in self.requests:
            grouped[request.offer].append(request)
        return MappingProxyType({key: tuple(value) for key, value in grouped.items()})

    @cached_property
    def requests_by_delegation(self) -> Mapping[str, tuple[Request, ...]]:
        grouped: dict[str, list[Request]] = {d.id: [] for d in self.delegations}
        for request in self.requests:
            grouped[request.delegation].append(request)
        return MappingProxyType({key: tuple(value) for key, value in grouped.items()})

    @cached_property
    def offers_by_owner(self) -> Mapping[str, tuple[Offer, ...]]:
        grouped: dict[str, list[Offer]] = {d.id: [] for d in self.delegations}
        for offer in self.offers:
            grouped[offer.owner].append(offer)
        return MappingProxyType({key: tuple(value) for key, value in grouped.items()})

    @cached_property
    def total_weight(self) -> float:
        return round_score(math.fsum(request.value for request in self.requests))

    @cached_property
    def weight_unit(self) -> float | None:
        """The largest of 1/1, 1/10, ..., 1/10**6 that divides every weight, if any.

        Scores are then multiples of it, so a bound can be rounded down to a multiple without
        losing validity; this is what lets a proof close exactly."""
        for decimals in range(7):
            scale = 10**decimals
            if all(
                abs(request.value * scale - round(request.value * scale)) < 1e-9 * scale
                for request in self.requests
            ):
                return 1 / scale
        return None


@dataclass(frozen=True)
class Round:
    offer: str
    session: str
    room: str
    attendees: tuple[str, ...] = ()

    def __post_init__(self):
        if not isinstance(self.attendees, tuple):
            object.__setattr__(self, "attendees", tuple(self.attendees))


@dataclass(frozen=True)
class DelegationShare:
    requested_weight: float
    met_weight: float
    share: float


@dataclass(frozen=True)
class Unmet:
    delegation: str
    offer: str
    reason: str


@dataclass(frozen=True)
class Changes:
    rounds_kept: int
    rounds_moved: int
    rounds_added: int
    rounds_removed: int
    attendances_kept: int
    attendances_changed: int


@dataclass(frozen=True)
class Schedule:
    rounds: tuple[Round, ...]
    score: float
    upper_bound: float
    objective: str = "demand"
    proven_optimal: bool = False
    delegations: Mapping[str, DelegationShare] = field(
        default_factory=lambda: MappingProxyType({})
    )
    unmet: tuple[Unmet, ...] = ()
    changes: Changes | None = None
    # The smallest share over the delegations that can be served at all (FORMAT.md's fair
    # objective), for either objective; None when no delegation can be served.
    worst_share: float | None = None
    # fair objective only: a proven bound on the largest worst share any schedule can reach
    worst_share_bound: float | None = None
    # fair objective with a minimum of rounds per delegation (solve's min_rounds): the
    # minimum, how many delegations attend at least it (or all they can, see
    # Compiled.round_targets), and a proven bound on that count
    min_rounds: int | None = None
    min_rounds_reached: int | None = None
    min_rounds_reached_bound: int | None = None
    # "optimal", "time_limit", "cancelled" or "stopped" (bound not closed for another reason)
    status: str = "stopped"
    seconds: float = 0.0
