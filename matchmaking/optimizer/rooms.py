"""Turning "this round needs a room for n attendees in session s" into actual rooms.

The programme guarantees Hall's condition (for every size, enough rooms at least that big),
so an assignment exists. Among all of them this picks, by an exact assignment
(`scipy.optimize.linear_sum_assignment`), one that keeps as many rounds as possible in the
room they had in a previous schedule, then wastes as few seats as possible (a small round
goes to a small room), with ids breaking ties so that the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import constraints
from .model import Instance


class RoomAssignmentError(RuntimeError):
    pass


def assign(
    instance: Instance,
    session_id: str,
    sizes: Mapping[str, int],
    *,
    fixed: Mapping[str, str] | None = None,
    preferred: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Rooms for the offers running in one session.

    `sizes`: offer id -> attendees; `fixed`: offer id -> room it must use (pins);
    `preferred`: offer id -> room it used before."""
    fixed = dict(fixed or {})
    preferred = dict(preferred or {})
    taken = set(fixed.values())
    free = sorted(
        (room for room in instance.rooms
         if room.id not in taken and constraints.room_available(instance, room.id, session_id)),
        key=lambda room: (room.capacity, room.id),
    )
    waiting = sorted(offer_id for offer_id in sizes if offer_id not in fixed)
    result = dict(fixed)
    if not waiting:
        return result
    if len(waiting) > len(free):
        raise RoomAssignmentError(f"{len(waiting)} rounds, {len(free)} free rooms in "
                                  f"session {session_id!r}")
    largest = max(room.capacity for room in free)
    # Costs: keeping a previous room outweighs all waste; waste outweighs the tie-break.
    tie = len(free)
    waste_unit = tie + 1
    keep = (largest + 1) * waste_unit * (len(waiting) + 1)
    impossible = keep * (len(waiting) + 1)
    cost = np.full((len(waiting), len(free)), float(impossible))
    for i, offer_id in enumerate(waiting):
        for j, room in enumerate(free):
            if room.capacity >= sizes[offer_id]:
                cost[i, j] = (room.capacity - sizes[offer_id]) * waste_unit + j
                if preferred.get(offer_id) == room.id:
                    cost[i, j] -= keep
    rows, columns = linear_sum_assignment(cost)
    for i, j in zip(rows, columns, strict=True):
        if cost[i, j] >= impossible:
            raise RoomAssignmentError(
                f"no free room for {sizes[waiting[i]]} attendees of {waiting[i]!r} in "
                f"session {session_id!r}"
            )
        result[waiting[i]] = free[j].id
    return result
