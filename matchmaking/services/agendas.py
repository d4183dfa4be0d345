"""What a schedule version means for each delegation, room and reader: agenda entries,
the schedule grid, iCalendar files, CSV and XLSX tables.

Everything here reads; nothing writes. A delegate's agenda is their delegation's: the
delegation decides which of its members goes to which of its simultaneous rounds.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from matchmaking.models import Delegation
from matchmaking.services.adapter import rounds_queryset


@dataclass
class AgendaEntry:
    round: object  # the Round row
    role: str  # "presenting" or "attending"
    occurrence: int = 1  # how many times this delegation met this offer so far (UID)

    @property
    def session(self):
        return self.round.session

    @property
    def room(self):
        return self.round.room

    @property
    def offer(self):
        return self.round.offer

    @property
    def presenter(self):
        return self.round.offer.delegation

    @property
    def attendees(self):
        return list(self.round.attendees.all())

    @property
    def role_label(self):
        return _("Presenting") if self.role == "presenting" else _("Attending")


@dataclass
class GridCell:
    session: object
    room: object
    round: object = None
    usable: bool = True


@dataclass
class GridRow:
    session: object
    cells: list = field(default_factory=list)


def agenda(version, delegation):
    """The delegation's rounds in `version`, in time order: those it presents and attends."""
    if version is None:
        return []
    entries = []
    seen = {}
    for row in rounds_queryset(version):
        attending = any(d.pk == delegation.pk for d in row.attendees.all())
        if row.offer.delegation_id == delegation.pk:
            role = "presenting"
        elif attending:
            role = "attending"
        else:
            continue
        seen[(row.offer_id, role)] = seen.get((row.offer_id, role), 0) + 1
        entries.append(AgendaEntry(row, role, seen[(row.offer_id, role)]))
    entries.sort(key=lambda e: (e.session.starts_at, e.room.key))
    return entries


def grid(workshop, version):
    """Sessions x rooms, each cell with its round (or None) and whether the room is usable."""
    sessions = list(workshop.sessions.order_by("starts_at", "key"))
    rooms = list(workshop.rooms.prefetch_related("sessions").order_by("key"))
    by_cell = {}
    if version is not None:
        by_cell = {(r.session_id, r.room_id): r for r in rounds_queryset(version)}
    return rooms, grid_rows(sessions, rooms, by_cell)


def grid_rows(sessions, rooms, by_cell):
    """One GridRow per session; `rooms` prefetch their sessions, `by_cell` maps (session id,
    room id) to the Round row there."""
    rows = []
    for session in sessions:
        row = GridRow(session)
        for room in rooms:
            usable_in = {s.pk for s in room.sessions.all()}
            row.cells.append(GridCell(session, room, by_cell.get((session.pk, room.pk)),
                                      not usable_in or session.pk in usable_in))
        rows.append(row)
    return rows


def room_sheet(version, room):
    if version is None:
        return []
    return [r for r in rounds_queryset(version) if r.room_id == room.pk]


def unmet_by_delegation(workshop, version, only=None):
    """Each delegation's unmet requests with their reasons, from the version's report;
    `only` (a Delegation) keeps that delegation's."""
    from matchmaking.models import Offer

    if version is None:
        return []
    reasons = {
        "owner_unavailable": _("The presenting delegation cannot be there in any session the "
                               "requester can attend."),
        "too_few_requesters": _("Too few delegations that asked for it can attend the same "
                                "session."),
        "no_room": _("No room was free in the sessions where it could run."),
        "clash_with_higher_rank": _("Its delegates were busy with requests it ranked higher."),
        "no_delegates_left": _("It had no delegate left in the sessions where it ran."),
        "not_chosen": _("The optimiser traded it for more requests met overall."),
    }
    items = [item for item in version.report.get("unmet", [])
             if only is None or item["delegation"] == only.key]
    delegations = {d.key: d for d in Delegation.objects.filter(
        workshop=workshop, key__in={item["delegation"] for item in items})}
    offers = {o.key: o for o in Offer.objects.filter(
        workshop=workshop, key__in={item["offer"] for item in items})
        .select_related("delegation")}
    grouped = {}
    for item in items:
        delegation = delegations.get(item["delegation"])
        offer = offers.get(item["offer"])
        if delegation is None or offer is None:
            continue
        grouped.setdefault(delegation, []).append(
            {"offer": offer, "reason": reasons.get(item["reason"], item["reason"]),
             "code": item["reason"]})
    return sorted(grouped.items(), key=lambda pair: pair[0].name)


# -- agenda feed tokens ---------------------------------------------------------------------

def feed_token(delegation):
    """A secret for the delegation's calendar feed URL: an HMAC of its id under SECRET_KEY,
    so no table holds it; rotating SECRET_KEY revokes every feed."""
    return salted_hmac("matchmaking.agenda-feed", f"{delegation.pk}:{delegation.key}",
                       algorithm="sha256").hexdigest()[:40]


def feed_token_matches(delegation, token):
    return constant_time_compare(feed_token(delegation), token or "")


# -- iCalendar (RFC 5545), written by hand ---------------------------------------------------

def ical_escape(text):
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line):
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space (RFC 5545, 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # the leading space counts
    return "\r\n ".join(parts)


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(workshop, version, delegation, entries):
    host = settings.PORTAL_BASE_URL.split("//")[-1].split("/")[0].split(":")[0] or "portal"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Social protection cooperation portal//Matchmaking//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(f'{workshop.name} — {delegation.name}')}",
        f"X-WR-TIMEZONE:{workshop.time_zone}",
    ]
    stamp = _utc(version.created_at)
    for entry in entries:
        others = ", ".join(d.name for d in entry.attendees if d.pk != delegation.pk)
        description = [
            _("Presenter: %(name)s") % {"name": entry.presenter.name},
            (_("Attending: %(names)s") % {"names": others}) if others else "",
            _("Your role: %(role)s") % {"role": entry.role_label},
        ]
        location = ", ".join(part for part in (entry.room.name, workshop.venue) if part)
        uid = (f"{workshop.slug}-{delegation.key}-{entry.offer.key}-{entry.role}-"
               f"{entry.occurrence}@{host}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{version.number}",
            f"DTSTART:{_utc(entry.session.starts_at)}",
            f"DTEND:{_utc(entry.session.ends_at)}",
            f"SUMMARY:{ical_escape(entry.offer.title)}",
            f"LOCATION:{ical_escape(location)}",
            f"DESCRIPTION:{ical_escape(chr(10).join(line for line in description if line))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# -- tables ----------------------------------------------------------------------------------

def schedule_rows(version):
    header = [_("Session"), _("Starts"), _("Ends"), _("Room"), _("Offer id"), _("Offer"),
              _("Presenter"), _("Attending delegations"), _("Pinned")]
    rows = []
    for row in rounds_queryset(version):
        rows.append([
            str(row.session), row.session.starts_at.isoformat(),
            row.session.ends_at.isoformat(), row.room.name, row.offer.key, row.offer.title,
            row.offer.delegation.name, "; ".join(d.name for d in row.attendees.all()),
            _("yes") if row.pinned else "",
        ])
    rows.sort(key=lambda r: (r[1], r[3]))
    return header, rows


def schedule_csv(version):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header, rows = schedule_rows(version)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def schedule_xlsx(version):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Schedule")[:31]
    header, rows = schedule_rows(version)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

