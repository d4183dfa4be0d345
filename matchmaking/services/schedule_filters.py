"""The schedule editor's view of a version: filtered by room, session, delegation or topic,
with the rooms paged, so that a 300-room, 8-session fair opens as fast as a small workshop.

Everything here reads. Only the rounds of the rooms on the page are loaded with their
attendees; the filters run in SQL. Offers' topics are JSON lists, which SQLite cannot search in
SQL, so the filter form, which reads them for its choices, names the offers with the topic.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q

from matchmaking.models import Request, Round, ScheduleFlag
from matchmaking.services.adapter import rounds_queryset
from matchmaking.services.agendas import grid_rows

ROOMS_PER_PAGE = 12


@dataclass(frozen=True)
class ScheduleFilters:
    room: object = None  # Room row
    session: object = None  # Session row
    delegation: object = None  # Delegation row
    topic: str = ""
    topic_offers: frozenset = frozenset()  # ids of the workshop's offers with that topic
    page: int = 1

    @property
    def narrows_rounds(self):
        return self.delegation is not None or bool(self.topic)

    @property
    def any(self):
        return any((self.room, self.session, self.delegation, self.topic))


@dataclass
class EditorGrid:
    rooms: list
    rows: list
    page: object  # the rooms' Paginator page
    matching: int  # rounds matching the filters, on every page
    total: int  # rounds in the version
    matching_ids: set = field(default_factory=set)


def _matching_rounds(version, filters):
    rounds = Round.objects.filter(version=version)
    if filters.session is not None:
        rounds = rounds.filter(session=filters.session)
    if filters.room is not None:
        rounds = rounds.filter(room=filters.room)
    if filters.delegation is not None:
        rounds = rounds.filter(Q(offer__delegation=filters.delegation)
                               | Q(attendees=filters.delegation))
    if filters.topic:
        rounds = rounds.filter(offer_id__in=filters.topic_offers)
    return rounds


def editor_grid(workshop, version, filters):
    sessions = list(workshop.sessions.order_by("starts_at", "key"))
    if filters.session is not None:
        sessions = [filters.session]
    rooms = workshop.rooms.order_by("key")
    if filters.room is not None:
        rooms = rooms.filter(pk=filters.room.pk)
    matching = _matching_rounds(version, filters) if version else Round.objects.none()
    if filters.narrows_rounds:
        rooms = rooms.filter(pk__in=matching.values("room_id"))
    page = Paginator(rooms.prefetch_related("sessions"), ROOMS_PER_PAGE).get_page(filters.page)
    page_rooms = list(page.object_list)
    by_cell, matching_ids = {}, set()
    if version is not None:
        on_page = rounds_queryset(version).filter(
            room__in=page_rooms, session__in=sessions).prefetch_related("flags__delegation")
        by_cell = {(r.session_id, r.room_id): r for r in on_page}
        matching_ids = set(matching.filter(room__in=page_rooms).values_list("pk", flat=True))
    return EditorGrid(
        rooms=page_rooms, rows=grid_rows(sessions, page_rooms, by_cell), page=page,
        matching=matching.values("pk").distinct().count() if version else 0,
        total=version.rounds.count() if version else 0, matching_ids=matching_ids)


@dataclass
class RoundEditing:
    """What the edit panel offers for one round: only built for the round being edited."""

    round: object
    candidates: list  # delegations that asked for the offer and do not attend yet
    free_cells: list  # (session, room) pairs with no round, where the room is usable
    other_rounds: list  # (pk, offer title, session label, room name) of every other round
    flags: list


def round_editing(workshop, version, round_id):
    editing = rounds_queryset(version).filter(pk=round_id).first()
    if editing is None:
        return None
    attending = {d.pk for d in editing.attendees.all()}
    candidates = [r.delegation for r in Request.objects.filter(offer=editing.offer)
                  .select_related("delegation").order_by("rank", "delegation__name")
                  if r.delegation_id not in attending]
    taken = set(version.rounds.values_list("session_id", "room_id"))
    sessions = list(workshop.sessions.order_by("starts_at", "key"))
    free_cells = []
    for room in workshop.rooms.prefetch_related("sessions").order_by("key"):
        usable_in = {s.pk for s in room.sessions.all()}
        free_cells += [(session, room) for session in sessions
                       if (session.pk, room.pk) not in taken
                       and (not usable_in or session.pk in usable_in)]
    free_cells.sort(key=lambda cell: (cell[0].starts_at, cell[0].key, cell[1].key))
    other_rounds = list(version.rounds.exclude(pk=editing.pk)
                        .order_by("session__starts_at", "session__key", "room__key")
                        .values_list("pk", "offer__title", "session__label", "session__key",
                                     "room__name"))
    flags = list(ScheduleFlag.objects.filter(round=editing).select_related("delegation"))
    return RoundEditing(editing, candidates, free_cells, other_rounds, flags)
