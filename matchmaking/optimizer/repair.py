"""Stable re-optimisation: what of a previous schedule can stay, and what changed.

`keepable` finds, with the rule predicates of `constraints`, the part of a previous schedule
that is still feasible under the (changed) instance; `solve` starts from it and its
objective adds, for every previous round (offer in the same session) and attendance that
the new schedule keeps, a bonus (`solve.KEEP_ROUND_IN_HEAVIEST_REQUESTS`,
`KEEP_ATTENDANCE_STEPS`), so that something moves only when that gains more score than the
stability it costs; rooms are then matched to keep previous rooms (`rooms.assign`). Fixing
the kept part outright was tried first and measured worse: on the 120-delegation benchmark
it lost 1.3% to 2.6% of a fresh solve's score for lack of room to manoeuvre. `changes`
counts the difference.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from . import constraints
from .model import Changes, Instance, Round


def keepable(instance: Instance, previous: Sequence[Round]) -> list[Round]:
    """The rounds (with the attendees) of `previous` that can all stay under `instance`.

    Rounds that break a rule on their own are dropped; attendances are trimmed where a
    delegation is overbooked (lowest weight first); a round left with fewer than
    min_attendees is released for the optimiser to rebuild or drop."""
    offers = instance.offer_by_id
    pinned_slots = {(pin.session, pin.room): pin.offer for pin in instance.pinned}
    pinned_sessions = defaultdict(set)
    for pin in instance.pinned:
        pinned_sessions[pin.offer].add(pin.session)

    candidates: list[Round] = []
    used_slots: set[tuple[str, str]] = set()
    sessions_of_offer: dict[str, set[str]] = defaultdict(set)
    for round_ in previous:
        offer = offers.get(round_.offer)
        if offer is None or not constraints.room_available(instance, round_.room, round_.session):
            continue  # rule 1
        if not constraints.can_be_present(instance, offer.owner, round_.session):
            continue  # rule 5: the presenter cannot be there any more
        slot = (round_.session, round_.room)
        if slot in used_slots or pinned_slots.get(slot, round_.offer) != round_.offer:
            continue  # rule 1, and a pin now claims the room
        if round_.session in pinned_sessions[round_.offer] and (
            pinned_slots.get(slot) != round_.offer
        ):
            continue  # the offer is pinned elsewhere in this session (rule 2)
        taken = sessions_of_offer[round_.offer]
        other_pins = pinned_sessions[round_.offer] - {round_.session}
        if round_.session in taken or len(taken | other_pins) >= offer.max_repeats:
            continue  # rule 2
        used_slots.add(slot)
        taken.add(round_.session)
        candidates.append(round_)

    # rule 3: only requesters, each offer once
    seen_pairs: set[tuple[str, str]] = set()
    attendees_of: list[list[str]] = []
    for round_ in candidates:
        kept = []
        for delegation_id in round_.attendees:
            pair = (delegation_id, round_.offer)
            if (
                constraints.may_attend(instance, delegation_id, round_.offer)
                and constraints.can_be_present(instance, delegation_id, round_.session)
                and pair not in seen_pairs
            ):
                seen_pairs.add(pair)
                kept.append(delegation_id)
        attendees_of.append(kept)

    def weight(delegation_id: str, offer_id: str) -> float:
        return instance.request_by_pair[(delegation_id, offer_id)].value

    # rule 5: presenting comes first; then the most valuable attendances
    presenting = Counter((offers[r.offer].owner, r.session) for r in candidates)
    overbooked = [
        (owner, session) for (owner, session), count in presenting.items()
        if not constraints.fits(instance, owner, session, count)
    ]
    if overbooked:
        dropped = set()
        for owner, session in overbooked:
            theirs = [i for i, r in enumerate(candidates)
                      if offers[r.offer].owner == owner and r.session == session]
            delegates = instance.delegation_by_id[owner].delegates
            dropped.update(theirs[delegates:])
        candidates = [r for i, r in enumerate(candidates) if i not in dropped]
        attendees_of = [a for i, a in enumerate(attendees_of) if i not in dropped]
        presenting = Counter((offers[r.offer].owner, r.session) for r in candidates)

    by_slot: dict[tuple[str, str], list[tuple[float, str, int, str]]] = defaultdict(list)
    for index, (round_, kept) in enumerate(zip(candidates, attendees_of, strict=True)):
        for delegation_id in kept:
            by_slot[(delegation_id, round_.session)].append(
                (-weight(delegation_id, round_.offer), round_.offer, index, delegation_id)
            )
    for (delegation_id, session_id), entries in by_slot.items():
        room_left = instance.delegation_by_id[delegation_id].delegates - presenting[
            (delegation_id, session_id)
        ]
        for _w, _offer, index, _d in sorted(entries)[max(room_left, 0):]:
            attendees_of[index].remove(delegation_id)
    attended: dict[str, list[tuple[float, str, int]]] = defaultdict(list)
    for index, (round_, kept) in enumerate(zip(candidates, attendees_of, strict=True)):
        for delegation_id in kept:
            attended[delegation_id].append((-weight(delegation_id, round_.offer),
                                            round_.offer, index))
    for delegation_id, entries in attended.items():
        limit = instance.delegation_by_id[delegation_id].max_attended
        if limit is not None:
            for _w, _offer, index in sorted(entries)[limit:]:
                attendees_of[index].remove(delegation_id)

    # rule 4: trim to capacity (most valuable first); release rounds below min_attendees
    result = []
    for round_, kept in zip(candidates, attendees_of, strict=True):
        capacity = instance.room_by_id[round_.room].capacity
        ordered = sorted(kept, key=lambda d, o=round_.offer: (-weight(d, o), d))
        seated = tuple(d for d in round_.attendees if d in set(ordered[:capacity]))
        if len(seated) < instance.min_attendees:
            continue
        result.append(Round(round_.offer, round_.session, round_.room, seated))
    return result


def changes(previous: Sequence[Round], current: Sequence[Round]) -> Changes:
    """Rounds are kept when the same offer runs in the same session and room; the others of
    an offer are paired up as moved, the rest are added or removed. An attendance (delegation,
    offer) is kept when it happens in the same session in both; every other attendance that
    appears in either schedule counts once as changed."""
    old_slots = Counter((r.offer, r.session, r.room) for r in previous)
    new_slots = Counter((r.offer, r.session, r.room) for r in current)
    kept_slots = old_slots & new_slots
    rounds_kept = sum(kept_slots.values())
    old_rest = Counter(offer for (offer, _s, _r), n in (old_slots - kept_slots).items()
                       for _ in range(n))
    new_rest = Counter(offer for (offer, _s, _r), n in (new_slots - kept_slots).items()
                       for _ in range(n))
    moved = sum((old_rest & new_rest).values())
    removed = sum(old_rest.values()) - moved
    added = sum(new_rest.values()) - moved

    def attendance(rounds):
        return {(d, r.offer): r.session for r in rounds for d in r.attendees}

    old_att = attendance(previous)
    new_att = attendance(current)
    kept_att = sum(1 for pair, session in old_att.items() if new_att.get(pair) == session)
    changed_att = len(set(old_att) | set(new_att)) - kept_att
    return Changes(
        rounds_kept=rounds_kept,
        rounds_moved=moved,
        rounds_added=added,
        rounds_removed=removed,
        attendances_kept=kept_att,
        attendances_changed=changed_att,
    )
