"""Before and after publishing: the conflict report, sharing a provisional version and the
delegations' flags on it, the delegations' schedule page, check-in on the day and the
attendance report. Views parse the request, call a service and show its answer."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking.models import Room, ScheduleFlag, Workshop
from matchmaking.services import agendas, checkin, conflicts, publishing
from matchmaking.services.editor import EditRefused
from matchmaking.services.schedule_access import can_follow_agenda, is_organiser
from matchmaking.views.rounds import _organised_workshop, _version_by_number


@login_required
def schedule_check(request, slug):
    workshop = _organised_workshop(request, slug)
    version = _version_by_number(workshop, request.GET.get("version"))
    report = conflicts.check_version(workshop, version) if version else None
    if report:
        for problem in report.problems:
            problem.cells = [(row, conflicts.cell_url(workshop, version, row))
                             for row in problem.rounds]
    return render(request, "matchmaking/rounds/check.html", {
        "workshop": workshop, "version": version, "report": report,
        "is_current": version is not None and version.pk == workshop.current_version_id,
        "flags": ScheduleFlag.objects.filter(version__workshop=workshop).select_related(
            "version", "delegation", "author", "round__offer", "round__session",
            "round__room"),
    })


@login_required
@require_POST
def schedule_share(request, slug):
    workshop = _organised_workshop(request, slug)
    try:
        version = publishing.share_provisional(workshop, request.user,
                                               based_on=request.POST.get("based_on"))
    except EditRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Version %(number)s is shared with the delegations as "
                                    "provisional.") % {"number": version.number})
    return redirect("matchmaking:schedule_check", slug=workshop.slug)


@login_required
@require_POST
def round_flag(request, slug, key):
    workshop = get_object_or_404(Workshop, slug=slug)
    try:
        publishing.flag_round(workshop, request.user, round_id=request.POST.get("round_id"),
                              delegation_key=key, text=request.POST.get("text", ""))
    except publishing.FlagRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Thank you: the organisers will see the problem you "
                                    "flagged."))
    return redirect("matchmaking:agenda_delegation", slug=workshop.slug, key=key)


@login_required
def schedule_shared(request, slug):
    """The whole schedule as the delegations see it: provisional or final."""
    workshop = get_object_or_404(Workshop, slug=slug)
    if not can_follow_agenda(request.user, workshop):
        raise PermissionDenied
    version, provisional = publishing.shared_version(workshop)
    rooms, rows = agendas.grid(workshop, version) if version else ([], [])
    return render(request, "matchmaking/rounds/shared.html", {
        "workshop": workshop, "version": version, "provisional": provisional,
        "rooms": rooms, "rows": rows})


# -- check-in ---------------------------------------------------------------------------------

@login_required
def checkin_rooms(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    rooms = list(checkin.hosted_rooms(request.user, workshop))
    if not rooms:
        raise PermissionDenied
    return render(request, "matchmaking/rounds/checkin_rooms.html",
                  {"workshop": workshop, "rooms": rooms})


def _hosted_room(request, slug, room_key):
    workshop = get_object_or_404(Workshop, slug=slug)
    room = get_object_or_404(Room.objects.select_related("workshop"), workshop=workshop,
                             key=room_key)
    if not checkin.may_host(request.user, room):
        raise PermissionDenied
    return workshop, room


@login_required
def checkin_room(request, slug, room_key):
    """The host's phone page. Without JavaScript each tap posts here; with it, taps are
    queued in the browser and sent to `checkin_marks`."""
    workshop, room = _hosted_room(request, slug, room_key)
    if request.method == "POST":
        mark = {"id": request.POST.get("mark_id", ""), "round": request.POST.get("round_id"),
                "delegation": request.POST.get("delegation"),
                "present": request.POST.get("present") == "1",
                "at": timezone.now().isoformat()}
        try:
            result = checkin.record_marks(room, request.user, [mark])
        except checkin.CheckInRefused as refusal:
            messages.error(request, str(refusal))
        else:
            for refused in result.refused:
                messages.error(request, refused["error"])
        return redirect("matchmaking:checkin_room", slug=slug, room_key=room.key)
    return render(request, "matchmaking/rounds/checkin_room.html", {
        "workshop": workshop, "room": room, "rounds": checkin.room_rounds(workshop, room),
        "mark_id": uuid.uuid4().hex})


@login_required
@require_POST
def checkin_marks(request, slug, room_key):
    _workshop, room = _hosted_room(request, slug, room_key)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"error": _("The marks are not valid JSON.")}, status=400)
    marks = payload.get("marks") if isinstance(payload, dict) else None
    try:
        result = checkin.record_marks(room, request.user, marks)
    except checkin.CheckInRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse(result.as_dict())


@login_required
def attendance_report(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    if not is_organiser(request.user, workshop):
        raise PermissionDenied
    per_round, per_delegation = checkin.attendance_report(workshop)
    return render(request, "matchmaking/rounds/attendance.html", {
        "workshop": workshop, "version": workshop.published_version,
        "per_round": per_round, "per_delegation": per_delegation})
