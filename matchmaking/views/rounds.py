"""The rounds of a workshop: optimiser runs, the schedule editor, publishing, agendas and
exports. Views parse the request, call a service and show its answer."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking.forms.schedule import ScheduleFilterForm
from matchmaking.models import (
    Delegate,
    Delegation,
    Room,
    ScheduleVersion,
    SolveJob,
    Workshop,
)
from matchmaking.services import agendas, editor, jobs, publishing, schedule_filters
from matchmaking.services.exchange import export_schedule
from matchmaking.services.schedule_access import belongs_to, delegations_of, is_organiser
from portal.pdf import render_pdf
from portal.uploads import size_message

EDIT_ACTIONS = {
    "move": (editor.move_round, ("round_id", "session_key", "room_key")),
    "swap": (editor.swap_rounds, ("round_id", "other_round_id")),
    "pin": (editor.set_pinned, ("round_id",)),
    "unpin": (editor.set_pinned, ("round_id",)),
    "add_attendee": (editor.add_attendee, ("round_id", "delegation_key")),
    "remove_attendee": (editor.remove_attendee, ("round_id", "delegation_key")),
}

UNMET_LISTED_DELEGATIONS = 40


def _organised_workshop(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    if not is_organiser(request.user, workshop):
        raise PermissionDenied
    return workshop


def _version_by_number(workshop, number):
    if number in (None, ""):
        return workshop.current_version
    try:
        return workshop.schedule_versions.get(number=int(number))
    except (ValueError, ScheduleVersion.DoesNotExist):
        raise Http404 from None


# -- building ---------------------------------------------------------------------------------

@login_required
def schedule_build(request, slug):
    workshop = _organised_workshop(request, slug)
    runs = SolveJob.objects.filter(workshop=workshop).select_related(
        "created_by", "result", "base_version")[:30]
    return render(request, "matchmaking/rounds/build.html", {
        "workshop": workshop, "runs": runs,
        "active": next((job for job in runs if job.is_active), None),
        "objectives": [("demand", _("Most requests met (by rank)")),
                       ("fair", _("Fairest: the worst-served delegation first"))],
        "time_limits": [10, 30, 60, 120, 300],
    })


@login_required
@require_POST
def schedule_solve(request, slug):
    workshop = _organised_workshop(request, slug)
    try:
        job = jobs.start_job(
            workshop, request.user, objective=request.POST.get("objective", "demand"),
            time_limit=request.POST.get("time_limit", 30),
            mode=request.POST.get("mode") or ("stable" if request.POST.get("stable") == "1"
                                              else "fresh"))
    except jobs.JobError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Run %(id)s started.") % {"id": job.pk})
    return redirect("matchmaking:schedule_build", slug=workshop.slug)


@login_required
@require_POST
def schedule_cancel(request, slug, job_id):
    workshop = _organised_workshop(request, slug)
    job = get_object_or_404(SolveJob, workshop=workshop, pk=job_id)
    try:
        jobs.cancel_job(job, request.user)
    except jobs.JobError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Cancelling run %(id)s; the working schedule stays as it "
                                 "is.") % {"id": job.pk})
    return redirect("matchmaking:schedule_build", slug=workshop.slug)


@login_required
def schedule_job_status(request, slug, job_id):
    """The job as JSON, for pages that reconnect after missing WebSocket messages."""
    workshop = _organised_workshop(request, slug)
    job = get_object_or_404(SolveJob, workshop=workshop, pk=job_id)
    return JsonResponse({
        "job": job.pk, "status": job.status, "elapsed": job.elapsed, "best": job.best_score,
        "bound": job.bound, "fraction": job.fraction, "error": job.error,
        "version": job.result.number if job.result else None})


# -- editing ----------------------------------------------------------------------------------

def _editor_context(workshop, version, filter_data, editing_id=None, refusal=None):
    filter_form = ScheduleFilterForm(workshop, filter_data)
    filters = filter_form.filters()
    grid = schedule_filters.editor_grid(workshop, version, filters)
    editing = (schedule_filters.round_editing(workshop, version, editing_id)
               if version is not None and editing_id is not None else None)
    is_current = version is not None and version.pk == workshop.current_version_id
    view_query = filter_form.query()
    if version is not None and not is_current:
        view_query = "&".join(filter(None, [view_query, f"version={version.number}"]))
    unmet, unmet_hidden = [], 0
    if version is not None:
        with_unmet = {item["delegation"] for item in version.report.get("unmet", [])}
        if filters.delegation is not None:
            unmet = agendas.unmet_by_delegation(workshop, version, only=filters.delegation)
        elif len(with_unmet) > UNMET_LISTED_DELEGATIONS:
            # A fair's hundreds of delegations would bury the grid (and cost a second of
            # reading); the delegation filter shows one delegation's list.
            unmet_hidden = len(with_unmet)
        else:
            unmet = agendas.unmet_by_delegation(workshop, version)
    return {
        "workshop": workshop, "version": version, "grid": grid, "rooms": grid.rooms,
        "rows": grid.rows, "filters": filters, "filter_form": filter_form,
        "view_query": view_query, "editing": editing, "refusal": refusal,
        "is_current": is_current, "unmet": unmet, "unmet_hidden": unmet_hidden,
        "versions": workshop.schedule_versions.select_related("created_by")[:20],
    }


@login_required
def schedule_editor(request, slug):
    workshop = _organised_workshop(request, slug)
    version = _version_by_number(workshop, request.GET.get("version"))
    return render(request, "matchmaking/rounds/editor.html", _editor_context(
        workshop, version, request.GET, editing_id=_int(request.GET.get("edit"))))


def _editor_url(workshop, view_query):
    """Back to the editor with the filters the organiser was using (re-validated). An edit
    stores a new version with new round rows, so the edit panel does not stay open."""
    query = ScheduleFilterForm(workshop, QueryDict(view_query or "")).query()
    url = reverse("matchmaking:schedule_editor", args=[workshop.slug])
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def schedule_edit(request, slug):
    workshop = _organised_workshop(request, slug)
    action = request.POST.get("action")
    view_query = request.POST.get("view", "")
    if action not in EDIT_ACTIONS:
        messages.error(request, _("Unknown edit."))
        return redirect(_editor_url(workshop, view_query))
    service, fields = EDIT_ACTIONS[action]
    arguments = {name: request.POST.get(name, "") for name in fields}
    if action == "move" and "target" in request.POST:
        arguments["session_key"], _bar, arguments["room_key"] = (
            request.POST["target"].partition("|"))
    if action in {"pin", "unpin"}:
        arguments["pinned"] = action == "pin"
    try:
        version = service(workshop, request.user, based_on=request.POST.get("based_on"),
                          **arguments)
    except editor.EditRefused as refusal:
        workshop.refresh_from_db()
        round_id = _int(arguments.get("round_id"))
        stale = isinstance(refusal, editor.StaleVersion)
        context = _editor_context(
            workshop, workshop.current_version, QueryDict(view_query),
            editing_id=None if stale else round_id, refusal={
                "message": refusal.message, "violations": refusal.violations,
                "round_id": round_id, "stale": stale})
        return render(request, "matchmaking/rounds/editor.html", context,
                      status=409 if stale else 400)
    messages.success(request, _("Saved as version %(number)s: %(note)s")
                     % {"number": version.number, "note": version.note})
    return redirect(_editor_url(workshop, view_query))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def schedule_publish(request, slug):
    workshop = _organised_workshop(request, slug)
    try:
        version = publishing.publish(
            workshop, request.user, based_on=request.POST.get("based_on"),
            confirm_warnings=request.POST.get("confirm_warnings") == "1")
    except publishing.ConfirmationNeeded as refusal:
        messages.warning(request, refusal.message)
        return redirect("matchmaking:schedule_check", slug=workshop.slug)
    except publishing.PublishRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("matchmaking:schedule_check", slug=workshop.slug)
    except editor.EditRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Version %(number)s is published; delegations whose "
                                    "rounds changed are being told.") % {"number": version.number})
    return redirect("matchmaking:schedule_editor", slug=workshop.slug)


@login_required
@require_POST
def schedule_import(request, slug):
    workshop = _organised_workshop(request, slug)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise editor.EditRefused(_("Choose a schedule file (negotiation-rounds-schedule/1 "
                                       "JSON)."))
        if upload.size > settings.PORTAL_MAX_IMPORT_SIZE:
            raise editor.EditRefused(size_message(upload.name, upload.size,
                                                  settings.PORTAL_MAX_IMPORT_SIZE))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise editor.EditRefused(_("The file is not JSON: %(error)s")
                                     % {"error": error}) from error
        version = editor.import_schedule_document(workshop, request.user, document)
    except editor.EditRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Imported as version %(number)s.")
                         % {"number": version.number})
    return redirect("matchmaking:schedule_editor", slug=workshop.slug)


# -- exports ----------------------------------------------------------------------------------

def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def schedule_export(request, slug, file_format):
    workshop = _organised_workshop(request, slug)
    version = _version_by_number(workshop, request.GET.get("version"))
    if version is None:
        raise Http404
    name = f"{workshop.slug}-schedule-v{version.number}"
    if file_format == "csv":
        return _attachment(agendas.schedule_csv(version), "text/csv; charset=utf-8",
                           f"{name}.csv")
    if file_format == "xlsx":
        return _attachment(
            agendas.schedule_xlsx(version),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx")
    if file_format == "json":
        return _attachment(json.dumps(export_schedule(version), indent=2, ensure_ascii=False),
                           "application/json", f"{name}.json")
    if file_format == "pdf":
        rooms, rows = agendas.grid(workshop, version)
        pdf = render_pdf("matchmaking/rounds/grid_pdf.html", {
            "workshop": workshop, "version": version, "rooms": rooms, "rows": rows}, request)
        return _attachment(pdf, "application/pdf", f"{name}.pdf")
    raise Http404


@login_required
def schedule_room_sheet(request, slug, room_key):
    workshop = _organised_workshop(request, slug)
    room = get_object_or_404(Room, workshop=workshop, key=room_key)
    version = _version_by_number(workshop, request.GET.get("version"))
    pdf = render_pdf("matchmaking/rounds/room_pdf.html", {
        "workshop": workshop, "version": version, "room": room,
        "rounds": agendas.room_sheet(version, room)}, request)
    return _attachment(pdf, "application/pdf", f"{workshop.slug}-{room.key}-door-sheet.pdf")


# -- agendas ----------------------------------------------------------------------------------

def _agenda_version(request, workshop):
    """Organisers may preview the working version (?preview=1); everyone else sees the
    version shared with the delegations (provisional, or else the published one)."""
    if request.GET.get("preview") and is_organiser(request.user, workshop):
        return workshop.current_version, True
    version, _provisional = publishing.shared_version(workshop)
    return version, False


def _readable_delegation(request, slug, key):
    workshop = get_object_or_404(Workshop, slug=slug)
    delegation = get_object_or_404(Delegation, workshop=workshop, key=key)
    if not (is_organiser(request.user, workshop) or belongs_to(request.user, delegation)):
        raise PermissionDenied
    return workshop, delegation


def _agenda_context(request, workshop, delegation, delegate=None):
    version, preview = _agenda_version(request, workshop)
    provisional = not preview and version is not None and (
        version.pk == workshop.provisional_version_id)
    return {
        "workshop": workshop, "delegation": delegation, "delegate": delegate,
        "version": version, "preview": preview, "provisional": provisional,
        "may_flag": provisional and belongs_to(request.user, delegation),
        "own_flags": (publishing.flags_of(version).filter(delegation=delegation)
                      if provisional else []),
        "entries": agendas.agenda(version, delegation),
        "feed_url": request.build_absolute_uri(reverse(
            "matchmaking:agenda_feed",
            args=[workshop.slug, delegation.key, agendas.feed_token(delegation)])),
    }


def _render_agenda(request, context):
    template = ("matchmaking/rounds/agenda_body.html" if request.GET.get("fragment")
                else "matchmaking/rounds/agenda.html")
    return render(request, template, context)


@login_required
def agenda_mine(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    own = list(delegations_of(request.user, workshop))
    if len(own) == 1:
        return redirect("matchmaking:agenda_delegation", slug=slug, key=own[0].key)
    if is_organiser(request.user, workshop):
        own = list(workshop.delegations.order_by("name"))
    if not own:
        raise PermissionDenied
    return render(request, "matchmaking/rounds/agenda_list.html",
                  {"workshop": workshop, "delegations": own})


@login_required
def agenda_delegation(request, slug, key):
    workshop, delegation = _readable_delegation(request, slug, key)
    return _render_agenda(request, _agenda_context(request, workshop, delegation))


@login_required
def agenda_delegate(request, slug, delegate_id):
    workshop = get_object_or_404(Workshop, slug=slug)
    delegate = get_object_or_404(Delegate.objects.select_related("delegation"),
                                 pk=delegate_id, delegation__workshop=workshop)
    if not (is_organiser(request.user, workshop)
            or belongs_to(request.user, delegate.delegation)):
        raise PermissionDenied
    return _render_agenda(request, _agenda_context(request, workshop, delegate.delegation,
                                                   delegate))


@login_required
def agenda_pdf(request, slug, key):
    workshop, delegation = _readable_delegation(request, slug, key)
    context = _agenda_context(request, workshop, delegation)
    if context["version"] is None:
        raise Http404
    pdf = render_pdf("matchmaking/rounds/agenda_pdf.html", context, request)
    return _attachment(pdf, "application/pdf", f"{workshop.slug}-{delegation.key}-agenda.pdf")


def _ics_response(workshop, delegation, version, attachment):
    if version is None:
        raise Http404
    body = agendas.icalendar(workshop, version, delegation, agendas.agenda(version, delegation))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = (
            f'attachment; filename="{workshop.slug}-{delegation.key}.ics"')
    return response


@login_required
def agenda_ics(request, slug, key):
    workshop, delegation = _readable_delegation(request, slug, key)
    version, preview = _agenda_version(request, workshop)
    if not preview:  # calendars get the final publication only, never a provisional one
        version = workshop.published_version
    return _ics_response(workshop, delegation, version, attachment=True)


def agenda_feed(request, slug, key, token):
    """The published agenda as a calendar subscription; the token in the URL is the key."""
    workshop = get_object_or_404(Workshop, slug=slug)
    delegation = get_object_or_404(Delegation, workshop=workshop, key=key)
    if not agendas.feed_token_matches(delegation, token):
        raise Http404
    return _ics_response(workshop, delegation, workshop.published_version, attachment=False)
