"""FORMAT.md's six feasibility rules, each written once.

Every rule is one function `(instance, rounds) -> Iterator[Violation]`, registered with its
number and label in `RULES`. The validator runs them all; the tests run them one by one; the
explanations ask them what-if questions (would this delegation still fit in that session?).
Next to each rule live the small predicates it is made of, which the solver's pruning and the
explanations use as well, so a rule has exactly one definition.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .model import Instance, Round


@dataclass(frozen=True)
class Violation:
    rule: int
    label: str
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule} ({self.label}): {self.message}"


@dataclass(frozen=True)
class Rule:
    number: int
    label: str
    check: Callable[[Instance, Sequence[Round]], Iterator[Violation]]


RULES: list[Rule] = []


def rule(number: int, label: str):
    def register(function):
        RULES.append(Rule(number, label, function))
        function.rule_number = number
        function.rule_label = label
        return function

    return register


def _where(index: int, round_: Round) -> str:
    return f"rounds[{index}] ({round_.offer} in {round_.session}/{round_.room})"


# -- rule 1: rooms and sessions ----------------------------------------------------------


def room_available(instance: Instance, room_id: str, session_id: str) -> bool:
    room = instance.room_by_id.get(room_id)
    return room is not None and session_id in instance.session_ids and room.available_in(
        session_id
    )


@rule(1, "rooms and sessions")
def rooms_and_sessions(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """Every round names an offer, session and room of the instance; a room holds at most one
    round per session, and only in sessions it is available."""
    violation = _violation_maker(rooms_and_sessions)
    holder: dict[tuple[str, str], int] = {}
    for index, round_ in enumerate(rounds):
        where = _where(index, round_)
        known = True
        if round_.offer not in instance.offer_by_id:
            yield violation(f"{where}: unknown offer {round_.offer!r}")
            known = False
        if round_.session not in instance.session_ids:
            yield violation(f"{where}: unknown session {round_.session!r}")
            known = False
        if round_.room not in instance.room_by_id:
            yield violation(f"{where}: unknown room {round_.room!r}")
            known = False
        if not known:
            continue
        if not room_available(instance, round_.room, round_.session):
            yield violation(
                f"{where}: room {round_.room!r} is not available in session {round_.session!r}"
            )
        slot = (round_.session, round_.room)
        if slot in holder:
            yield violation(
                f"{where}: room {round_.room!r} already holds rounds[{holder[slot]}] in "
                f"session {round_.session!r}"
            )
        else:
            holder[slot] = index


# -- rule 2: repeats ----------------------------------------------------------------------


@rule(2, "offer repeats")
def offer_repeats(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """An offer has at most `max_repeats` rounds, never two in the same session."""
    violation = _violation_maker(offer_repeats)
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for round_ in rounds:
        if round_.offer in instance.offer_by_id:
            sessions_of[round_.offer].append(round_.session)
    for offer_id, sessions in sessions_of.items():
        limit = instance.offer_by_id[offer_id].max_repeats
        if len(sessions) > limit:
            yield violation(
                f"offer {offer_id!r} has {len(sessions)} rounds, max_repeats is {limit}"
            )
        for session_id, count in sorted(Counter(sessions).items()):
            if count > 1:
                yield violation(
                    f"offer {offer_id!r} has {count} rounds in session {session_id!r}"
                )


# -- rule 3: who may attend ---------------------------------------------------------------


def may_attend(instance: Instance, delegation_id: str, offer_id: str) -> bool:
    """Only a delegation that requested the offer may attend it (and the owner never can:
    a request for one's own offer makes the instance invalid)."""
    return (delegation_id, offer_id) in instance.request_by_pair


@rule(3, "attendees requested the offer")
def attendees_requested(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """Every attendee of a round requested that offer; a delegation attends a given offer at
    most once over the whole schedule; the owner never attends its own offer."""
    violation = _violation_maker(attendees_requested)
    first_attendance: dict[tuple[str, str], int] = {}
    for index, round_ in enumerate(rounds):
        offer = instance.offer_by_id.get(round_.offer)
        if offer is None:
            continue
        for delegation_id in round_.attendees:
            where = _where(index, round_)
            if delegation_id == offer.owner:
                yield violation(f"{where}: owner {delegation_id!r} attends its own offer")
            elif not may_attend(instance, delegation_id, round_.offer):
                yield violation(
                    f"{where}: {delegation_id!r} did not request offer {round_.offer!r}"
                )
            key = (delegation_id, round_.offer)
            if key in first_attendance:
                yield violation(
                    f"{where}: {delegation_id!r} already attends offer {round_.offer!r} in "
                    f"rounds[{first_attendance[key]}]"
                )
            else:
                first_attendance[key] = index


# -- rule 4: round size -------------------------------------------------------------------


def size_allowed(instance: Instance, capacity: int, attendees: int) -> bool:
    return instance.min_attendees <= attendees <= capacity


@rule(4, "round size")
def round_size(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """A round has at least `min_attendees` and at most the room's `capacity` attendees."""
    violation = _violation_maker(round_size)
    for index, round_ in enumerate(rounds):
        room = instance.room_by_id.get(round_.room)
        if room is None:
            continue
        size = len(round_.attendees)
        if not size_allowed(instance, room.capacity, size):
            if size < instance.min_attendees:
                problem = f"min_attendees is {instance.min_attendees}"
            else:
                problem = f"room capacity is {room.capacity}"
            yield violation(f"{_where(index, round_)}: {size} attendees, {problem}")


# -- rule 5: delegates --------------------------------------------------------------------


def can_be_present(instance: Instance, delegation_id: str, session_id: str) -> bool:
    delegation = instance.delegation_by_id.get(delegation_id)
    return delegation is not None and session_id not in delegation.unavailable


def presence(instance: Instance, rounds: Iterable[Round]) -> dict[tuple[str, str], list[str]]:
    """For each (delegation, session), the offers it presents or attends there."""
    busy: dict[tuple[str, str], list[str]] = defaultdict(list)
    for round_ in rounds:
        offer = instance.offer_by_id.get(round_.offer)
        if offer is not None:
            busy[(offer.owner, round_.session)].append(round_.offer)
        for delegation_id in round_.attendees:
            busy[(delegation_id, round_.session)].append(round_.offer)
    return busy


def attendance_count(rounds: Iterable[Round]) -> Counter:
    return Counter(delegation_id for round_ in rounds for delegation_id in round_.attendees)


def fits(instance: Instance, delegation_id: str, session_id: str, rooms_at_once: int) -> bool:
    """Can the delegation be in this many rooms at once in this session?"""
    if rooms_at_once == 0:
        return True
    delegation = instance.delegation_by_id[delegation_id]
    return can_be_present(instance, delegation_id, session_id) and (
        rooms_at_once <= delegation.delegates
    )


def within_attendance_limit(instance: Instance, delegation_id: str, attended: int) -> bool:
    limit = instance.delegation_by_id[delegation_id].max_attended
    return limit is None or attended <= limit


@rule(5, "delegates")
def delegation_load(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """In every session, each delegation's count of rounds it presents plus rounds it attends
    is at most its `delegates`, and zero in its `unavailable` sessions. Over the whole schedule
    it attends at most `max_attended` rounds."""
    violation = _violation_maker(delegation_load)
    known_rounds = [r for r in rounds if r.session in instance.session_ids]
    for (delegation_id, session_id), offers in sorted(presence(instance, known_rounds).items()):
        if delegation_id not in instance.delegation_by_id:
            continue
        if fits(instance, delegation_id, session_id, len(offers)):
            continue
        if not can_be_present(instance, delegation_id, session_id):
            yield violation(
                f"{delegation_id!r} is unavailable in session {session_id!r} but is in "
                f"{len(offers)} round(s) there"
            )
        else:
            delegates = instance.delegation_by_id[delegation_id].delegates
            yield violation(
                f"{delegation_id!r} is in {len(offers)} rounds in session {session_id!r} "
                f"with {delegates} delegate(s)"
            )
    for delegation_id, attended in sorted(attendance_count(known_rounds).items()):
        if delegation_id not in instance.delegation_by_id:
            continue
        if not within_attendance_limit(instance, delegation_id, attended):
            limit = instance.delegation_by_id[delegation_id].max_attended
            yield violation(
                f"{delegation_id!r} attends {attended} rounds, max_attended is {limit}"
            )


# -- rule 6: pins -------------------------------------------------------------------------


@rule(6, "pins")
def pins_honoured(instance: Instance, rounds: Sequence[Round]) -> Iterator[Violation]:
    """Every pin is a round of the schedule."""
    violation = _violation_maker(pins_honoured)
    present = {(r.offer, r.session, r.room) for r in rounds}
    for index, pin in enumerate(instance.pinned):
        if (pin.offer, pin.session, pin.room) not in present:
            yield violation(
                f"pinned[{index}]: offer {pin.offer!r} does not run in session "
                f"{pin.session!r}, room {pin.room!r}"
            )


# -- the validator ------------------------------------------------------------------------


def _violation_maker(function):
    def make(message: str) -> Violation:
        return Violation(function.rule_number, function.rule_label, message)

    return make


def violations(instance: Instance, rounds: Sequence[Round]) -> list[Violation]:
    return [found for entry in RULES for found in entry.check(instance, rounds)]


def is_feasible(instance: Instance, rounds: Sequence[Round]) -> bool:
    return not any(True for entry in RULES for _ in entry.check(instance, rounds))


def met_requests(instance: Instance, rounds: Iterable[Round]) -> set[tuple[str, str]]:
    """The (delegation, offer) requests met: the delegation attends a round of that offer."""
    return {
        (delegation_id, round_.offer)
        for round_ in rounds
        for delegation_id in round_.attendees
        if (delegation_id, round_.offer) in instance.request_by_pair
    }
