"""FORMAT.md documents in and out: instances (read and validated), schedules (both ways).

`read_instance` checks the document's shape (types, required fields) and then builds the
`Instance`, which checks the rules between entries; either way the first problem raises one
`InvalidInstance` naming the entry and field, e.g. ``requests[3].offer: unknown offer 'x'``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import (
    INSTANCE_FORMAT,
    SCHEDULE_FORMAT,
    Delegation,
    Instance,
    InvalidInstance,
    Offer,
    Pin,
    Request,
    Room,
    Round,
    Schedule,
    Session,
)


class InvalidSchedule(ValueError):
    """A schedule document that is not shaped as FORMAT.md says (not: an infeasible one)."""


_MISSING = object()


def _entries(document: Mapping, key: str, *, required: bool) -> list:
    value = document.get(key, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise InvalidInstance(key, "required")
        return []
    if not isinstance(value, list):
        raise InvalidInstance(key, f"must be a list, got {type(value).__name__}")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise InvalidInstance(f"{key}[{index}]", f"must be an object, got {entry!r}")
    return value


def _required(entry: Mapping, where: str, field: str) -> Any:
    if field not in entry or entry[field] is None:
        raise InvalidInstance(f"{where}.{field}", "required")
    return entry[field]


def _id_list(value: Any, where: str, kind: str) -> tuple:
    if not isinstance(value, list):
        raise InvalidInstance(where, f"must be a list of {kind} ids, got {value!r}")
    return tuple(value)


def instance_from_dict(document: Any) -> Instance:
    if not isinstance(document, dict):
        raise InvalidInstance("(document)", "must be a JSON object")
    declared = document.get("format", INSTANCE_FORMAT)
    if declared != INSTANCE_FORMAT:
        raise InvalidInstance("format", f"expected {INSTANCE_FORMAT!r}, got {declared!r}")

    sessions = tuple(
        Session(id=_required(entry, f"sessions[{i}]", "id"), label=str(entry.get("label", "")))
        for i, entry in enumerate(_entries(document, "sessions", required=True))
    )

    rooms = []
    for i, entry in enumerate(_entries(document, "rooms", required=True)):
        where = f"rooms[{i}]"
        available = entry.get("sessions")
        rooms.append(Room(
            id=_required(entry, where, "id"),
            capacity=_required(entry, where, "capacity"),
            sessions=None if available is None else _id_list(
                available, f"{where}.sessions", "session"),
        ))

    delegations = []
    for i, entry in enumerate(_entries(document, "delegations", required=True)):
        where = f"delegations[{i}]"
        unavailable = entry.get("unavailable")
        unavailable = () if unavailable is None else _id_list(
            unavailable, f"{where}.unavailable", "session")
        for position, session_id in enumerate(unavailable):
            if not isinstance(session_id, str) or not session_id:
                raise InvalidInstance(f"{where}.unavailable[{position}]",
                                      f"must be a non-empty string, got {session_id!r}")
        delegates = entry.get("delegates")
        delegations.append(Delegation(
            id=_required(entry, where, "id"),
            name=str(entry.get("name", "")),
            delegates=1 if delegates is None else delegates,
            unavailable=frozenset(unavailable),
            max_attended=entry.get("max_attended"),
        ))

    offers = []
    for i, entry in enumerate(_entries(document, "offers", required=True)):
        where = f"offers[{i}]"
        topics = entry.get("topics")
        repeats = entry.get("max_repeats")
        offers.append(Offer(
            id=_required(entry, where, "id"),
            owner=_required(entry, where, "owner"),
            title=str(entry.get("title", "")),
            topics=tuple(str(t) for t in topics) if isinstance(topics, list) else (),
            max_repeats=1 if repeats is None else repeats,
        ))

    requests = []
    for i, entry in enumerate(_entries(document, "requests", required=True)):
        where = f"requests[{i}]"
        requests.append(Request(
            delegation=_required(entry, where, "delegation"),
            offer=_required(entry, where, "offer"),
            rank=_required(entry, where, "rank"),
            weight=entry.get("weight"),
        ))

    pinned = []
    for i, entry in enumerate(_entries(document, "pinned", required=False)):
        where = f"pinned[{i}]"
        pinned.append(Pin(
            offer=_required(entry, where, "offer"),
            session=_required(entry, where, "session"),
            room=_required(entry, where, "room"),
        ))

    minimum = document.get("min_attendees")
    return Instance(
        name=str(document.get("name", "")),
        min_attendees=2 if minimum is None else minimum,
        sessions=sessions,
        rooms=tuple(rooms),
        delegations=tuple(delegations),
        offers=tuple(offers),
        requests=tuple(requests),
        pinned=tuple(pinned),
    )


def _load_json(path: str | Path, what: str, error) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise error("(document)", f"cannot read {what} {str(path)!r}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise error("(document)", f"{what} {str(path)!r} is not valid JSON: {exc}") from exc


def read_instance(path: str | Path) -> Instance:
    return instance_from_dict(_load_json(path, "instance", InvalidInstance))


def instance_to_dict(instance: Instance) -> dict:
    """The FORMAT.md document of an instance (defaults written out)."""
    return {
        "format": INSTANCE_FORMAT,
        "name": instance.name,
        "min_attendees": instance.min_attendees,
        "sessions": [{"id": s.id, "label": s.label} for s in instance.sessions],
        "rooms": [
            {"id": r.id, "capacity": r.capacity}
            | ({} if r.sessions is None else {"sessions": list(r.sessions)})
            for r in instance.rooms
        ],
        "delegations": [
            {"id": d.id, "name": d.name, "delegates": d.delegates}
            | ({"unavailable": sorted(d.unavailable)} if d.unavailable else {})
            | ({} if d.max_attended is None else {"max_attended": d.max_attended})
            for d in instance.delegations
        ],
        "offers": [
            {"id": o.id, "owner": o.owner, "title": o.title, "topics": list(o.topics),
             "max_repeats": o.max_repeats}
            for o in instance.offers
        ],
        "requests": [
            {"delegation": r.delegation, "offer": r.offer, "rank": r.rank}
            | ({} if r.weight is None else {"weight": r.weight})
            for r in instance.requests
        ],
        "pinned": [{"offer": p.offer, "session": p.session, "room": p.room}
                   for p in instance.pinned],
    }


def write_instance(instance: Instance, path: str | Path) -> None:
    Path(path).write_text(json.dumps(instance_to_dict(instance), indent=2) + "\n",
                          encoding="utf-8")


# -- schedules ----------------------------------------------------------------------------


def schedule_to_dict(schedule: Schedule) -> dict:
    document: dict[str, Any] = {
        "format": SCHEDULE_FORMAT,
        "rounds": [
            {"offer": r.offer, "session": r.session, "room": r.room,
             "attendees": list(r.attendees)}
            for r in schedule.rounds
        ],
        "score": schedule.score,
        "upper_bound": schedule.upper_bound,
        "objective": schedule.objective,
        "proven_optimal": schedule.proven_optimal,
        "delegations": {
            delegation_id: {"requested_weight": share.requested_weight,
                            "met_weight": share.met_weight, "share": share.share}
            for delegation_id, share in schedule.delegations.items()
        },
        "unmet": [{"delegation": u.delegation, "offer": u.offer, "reason": u.reason}
                  for u in schedule.unmet],
        "worst_share": schedule.worst_share,
        "status": schedule.status,
    }
    if schedule.worst_share_bound is not None:
        document["worst_share_bound"] = schedule.worst_share_bound
    if schedule.min_rounds is not None:
        document["min_rounds"] = schedule.min_rounds
        document["min_rounds_reached"] = schedule.min_rounds_reached
        document["min_rounds_reached_bound"] = schedule.min_rounds_reached_bound
    if schedule.changes is not None:
        c = schedule.changes
        document["changes"] = {
            "rounds_kept": c.rounds_kept, "rounds_moved": c.rounds_moved,
            "rounds_added": c.rounds_added, "rounds_removed": c.rounds_removed,
            "attendances_kept": c.attendances_kept,
            "attendances_changed": c.attendances_changed,
        }
    return document


def write_schedule(schedule: Schedule, path: str | Path) -> None:
    Path(path).write_text(dumps_schedule(schedule), encoding="utf-8")


def dumps_schedule(schedule: Schedule) -> str:
    return json.dumps(schedule_to_dict(schedule), indent=2, ensure_ascii=False) + "\n"


def rounds_from_dict(document: Any) -> tuple[Round, ...]:
    """The rounds of a schedule document. Only the shape is checked here: references to
    unknown offers or rooms are rule 1 violations, reported by the validator."""
    if not isinstance(document, dict):
        raise InvalidSchedule("(document): must be a JSON object")
    declared = document.get("format", SCHEDULE_FORMAT)
    if declared != SCHEDULE_FORMAT:
        raise InvalidSchedule(f"format: expected {SCHEDULE_FORMAT!r}, got {declared!r}")
    entries = document.get("rounds")
    if not isinstance(entries, list):
        raise InvalidSchedule("rounds: required, a list")
    rounds = []
    for index, entry in enumerate(entries):
        where = f"rounds[{index}]"
        if not isinstance(entry, dict):
            raise InvalidSchedule(f"{where}: must be an object")
        values = {}
        for field in ("offer", "session", "room"):
            value = entry.get(field)
            if not isinstance(value, str) or not value:
                raise InvalidSchedule(f"{where}.{field}: must be a non-empty string")
            values[field] = value
        attendees = entry.get("attendees", [])
        if not isinstance(attendees, list) or not all(
            isinstance(a, str) and a for a in attendees
        ):
            raise InvalidSchedule(f"{where}.attendees: must be a list of delegation ids")
        rounds.append(Round(values["offer"], values["session"], values["room"],
                            tuple(attendees)))
    return tuple(rounds)


def read_rounds(path: str | Path) -> tuple[Round, ...]:
    def error(where, problem):
        return InvalidSchedule(f"{where}: {problem}")

    return rounds_from_dict(_load_json(path, "schedule", error))
