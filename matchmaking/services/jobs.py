"""Optimiser runs (SolveJob) outside the request that starts them.

Where a run executes depends on the channel layer:

- In-memory layer (`make run`, no REDIS_URL): a daemon thread in the server process. The
  thread borrows the server's event loop for its channel-layer sends (the in-memory layer's
  queues belong to that loop), so progress reaches the WebSocket consumers at once.
- Redis layer (REDIS_URL set): the job id is sent to the `matchmaking-solve` channel and a
  Channels worker runs it: `python manage.py runworker matchmaking-solve` (one job at a time
  per worker; start more workers for parallel runs). Without a worker the job stays queued.
  The setting MATCHMAKING_SOLVE_RUNNER ("thread" or "channel") overrides the choice.

Progress (elapsed, best score, bound, fraction) is stored on the job about once a second
and sent to the group `solve_group(workshop)`, which the organiser's page listens to.
Cancelling sets `cancel_requested`; the run polls it through the optimiser's cancel
callback. A cancelled run stores no schedule (the job keeps the best score it reached), and
a failed one neither: only a run that finishes becomes a new version and the working
schedule, so neither can damage the current schedule.

Three modes (`SolveMode`): a fresh build; "stable", which re-optimises the working version
changing as little as it can (its pinned rounds fixed, the rest may move); and "fill",
which schedules only what is not yet booked: every round of the working version stays
exactly as it is (session, room and attendees) and the optimiser only adds rounds, on the
workshop reduced to what is left (`residual_instance`). Rounds it adds that would clash with
a booked round are dropped or thinned before storing (`_merge_booked`), and the merged
schedule is checked with the validator, so a fill never stores a broken schedule.
"""

import dataclasses
import logging
import os
import threading
import time
from collections import Counter

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking import optimizer
from matchmaking.models import SolveJob, SolveJobStatus, SolveMode, VersionSource, Workshop
from matchmaking.optimizer import constraints
from matchmaking.services.adapter import instance_for, rounds_of, rounds_queryset, save_version
from matchmaking.services.schedule_access import is_organiser

logger = logging.getLogger(__name__)

SOLVE_CHANNEL = "matchmaking-solve"
OBJECTIVES = ("demand", "fair")
MIN_TIME_LIMIT = 1
MAX_TIME_LIMIT = 600
PROGRESS_INTERVAL = 1.0
CANCEL_POLL_INTERVAL = 0.3
# Seconds past its time limit after which a "running" job is taken for lost: the optimiser
# answers within seconds of its limit, storing the result takes a few more.
ABANDONED_AFTER = 300

# Threads started in this process, by job id, so that tests and shutdown can wait for them.
running_threads = {}


class JobError(Exception):
    """A run that cannot be started or cancelled; the message is for the organiser."""


def solve_group(workshop):
    return f"matchmaking-solve-{workshop.pk}"


def runner():
    chosen = getattr(settings, "MATCHMAKING_SOLVE_RUNNER", None)
    if chosen in {"thread", "channel"}:
        return chosen
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "thread" if backend.endswith("InMemoryChannelLayer") else "channel"


def start_job(workshop, user, *, objective="demand", time_limit=30, seed=0, stable=False,
              mode=None):
    """Queue a run for `workshop` and start it once the transaction commits.

    `mode` (or `stable=True` for "stable"): "stable" re-optimises around the working
    schedule: its pinned rounds are pins, and the optimiser keeps as much of it as it can
    (the optimiser's `previous`); "fill" keeps every round of the working schedule as it is
    and schedules only what is not yet booked."""
    mode = mode or (SolveMode.STABLE if stable else SolveMode.FRESH)
    if mode not in SolveMode.values:
        raise JobError(_("Choose how to run the optimiser: a fresh build, a re-optimisation "
                         "or only what is not yet booked."))
    if not is_organiser(user, workshop):
        raise JobError(_("Only the workshop's organisers can build its rounds."))
    if objective not in OBJECTIVES:
        raise JobError(_("Choose the objective “demand” or “fair”."))
    try:
        time_limit = float(time_limit)
    except (TypeError, ValueError):
        time_limit = -1
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise JobError(_("The time limit must be between %(low)s and %(high)s seconds.")
                       % {"low": MIN_TIME_LIMIT, "high": MAX_TIME_LIMIT})
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        _fail_abandoned_runs(workshop)
        if SolveJob.objects.filter(workshop=workshop, status__in=[
                SolveJobStatus.QUEUED, SolveJobStatus.RUNNING]).exists():
            raise JobError(_("A run is already under way for this workshop; wait for it or "
                             "cancel it."))
        base = workshop.current_version if mode != SolveMode.FRESH else None
        if mode != SolveMode.FRESH and base is None:
            raise JobError(_("There is no schedule yet to re-optimise; build one first."))
        pinned = [r for r in rounds_queryset(base) if r.pinned] if base else []
        try:
            instance = instance_for(workshop, pinned_rounds=pinned)
        except optimizer.InvalidInstance as error:
            raise JobError(_("The workshop's data cannot be optimised yet: %(problem)s")
                           % {"problem": error}) from error
        if not instance.offers or not instance.requests:
            raise JobError(_("The workshop needs offers and requests before its rounds can "
                             "be built."))
        if mode == SolveMode.FILL:
            try:
                instance = residual_instance(instance, rounds_of(base))
            except optimizer.InvalidInstance as error:
                raise JobError(_("The workshop's data cannot be optimised yet: %(problem)s")
                               % {"problem": error}) from error
            if not instance.requests or not instance.rooms:
                raise JobError(_("Nothing is left to schedule: every request that can still "
                                 "be met is booked, or no room is free."))
        job = SolveJob.objects.create(
            workshop=workshop, objective=objective, time_limit=time_limit, seed=seed,
            # the minimum is a target of the fair objective only
            min_rounds=(workshop.min_rounds or 0) if objective == "fair" else 0,
            mode=mode, base_version=base, instance=optimizer.instance_to_dict(instance),
            created_by=user)
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def _fail_abandoned_runs(workshop):
    """A run still "running" long after its time limit lost its process (a restart, a
    crash): mark it failed so that it no longer blocks new runs."""
    now = timezone.now()
    for job in SolveJob.objects.filter(workshop=workshop, status=SolveJobStatus.RUNNING):
        if job.started_at and (now - job.started_at).total_seconds() > (
                job.time_limit + ABANDONED_AFTER):
            SolveJob.objects.filter(pk=job.pk, status=SolveJobStatus.RUNNING).update(
                status=SolveJobStatus.FAILED, finished_at=now,
                error=_("The run stopped without finishing (the server was restarted?)."))


def cancel_job(job, user):
    if not is_organiser(user, job.workshop):
        raise JobError(_("Only the workshop's organisers can cancel its runs."))
    updated = SolveJob.objects.filter(
        pk=job.pk, status__in=[SolveJobStatus.QUEUED, SolveJobStatus.RUNNING]
    ).update(cancel_requested=True)
    if not updated:
        raise JobError(_("This run has already ended."))
    job.refresh_from_db()
    return job


def dispatch(job_id):
    if runner() == "channel":
        async_to_sync(get_channel_layer().send)(
            SOLVE_CHANNEL, {"type": "solve.job", "job_id": job_id})
        return
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    thread = threading.Thread(target=_run_in_thread, args=(job_id, loop),
                              name=f"solve-job-{job_id}", daemon=True)
    running_threads[job_id] = thread
    thread.start()


def wait_for_thread(job_id, timeout=60):
    thread = running_threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def _run_in_thread(job_id, loop):
    if loop is not None and not loop.is_closed():
        # async_to_sync in this thread then schedules sends on the server's loop, which
        # owns the in-memory layer's queues.
        SyncToAsync.threadlocal.main_event_loop = loop
        SyncToAsync.threadlocal.main_event_loop_pid = os.getpid()
    try:
        run_job(job_id)
    finally:
        running_threads.pop(job_id, None)
        connection.close()


def _send(group, message):
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # a lost progress message must never stop the run
        logger.exception("Could not send a solve message to %s", group)


def run_job(job_id):
    """Run one queued job to its end. Called by the worker thread or the Channels worker."""
    claimed = SolveJob.objects.filter(pk=job_id, status=SolveJobStatus.QUEUED).update(
        status=SolveJobStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = SolveJob.objects.select_related("workshop", "base_version").get(pk=job_id)
    group = solve_group(job.workshop)
    _send(group, {"type": "solve.status", "job": job.pk, "status": job.status})
    last_progress = [0.0]
    last_poll = [0.0, False]

    def progress(elapsed, best, bound, fraction):
        now = time.monotonic()
        if fraction < 1.0 and now - last_progress[0] < PROGRESS_INTERVAL:
            return
        last_progress[0] = now
        SolveJob.objects.filter(pk=job_id).update(
            elapsed=round(elapsed, 2), best_score=best, bound=bound,
            fraction=min(max(fraction, 0.0), 1.0))
        _send(group, {"type": "solve.progress", "job": job_id, "elapsed": round(elapsed, 2),
                      "best": best, "bound": bound, "fraction": round(fraction, 4)})

    def cancelled():
        now = time.monotonic()
        if not last_poll[1] and now - last_poll[0] >= CANCEL_POLL_INTERVAL:
            last_poll[0] = now
            last_poll[1] = SolveJob.objects.filter(pk=job_id, cancel_requested=True).exists()
        return last_poll[1]

    try:
        instance = optimizer.instance_from_dict(job.instance)
        # A fill keeps the booked rounds itself: the optimiser sees only what is left.
        previous = (rounds_of(job.base_version)
                    if job.base_version and job.mode != SolveMode.FILL else None)
        if cancelled():
            raise _Cancelled
        schedule = optimizer.solve(instance, objective=job.objective,
                                   time_limit=job.time_limit, seed=job.seed,
                                   previous=previous, min_rounds=job.min_rounds,
                                   progress=progress, cancel=cancelled)
        if schedule.status == "cancelled" or cancelled():
            raise _Cancelled(schedule.score)
        version = _store_result(job, instance, schedule)
    except _Cancelled as stop:
        _finish(job, SolveJobStatus.CANCELLED, best=stop.best)
    except (optimizer.InfeasibleInstance, optimizer.SolveError, optimizer.InvalidInstance,
            ValueError) as error:
        _finish(job, SolveJobStatus.FAILED, error=str(error))
    except Exception as error:  # any other failure is recorded, never half-stored
        logger.exception("Solve job %s failed", job_id)
        _finish(job, SolveJobStatus.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        _finish(job, SolveJobStatus.SUCCEEDED, version=version, best=schedule.score,
                bound=schedule.upper_bound)


class _Cancelled(Exception):
    def __init__(self, best=None):
        super().__init__("cancelled")
        self.best = best


@transaction.atomic
def _store_result(job, instance, schedule):
    workshop = Workshop.objects.select_for_update().get(pk=job.workshop_id)
    if job.mode == SolveMode.FILL:
        return _store_fill(job, workshop, schedule)
    note = (_("Re-optimised around version %(number)s") % {"number": job.base_version.number}
            if job.base_version else _("Built by the optimiser"))
    pinned = {(p.offer, p.session, p.room) for p in instance.pinned}
    version = save_version(
        workshop, schedule.rounds, instance=instance, schedule=schedule,
        source=VersionSource.REPAIR if job.base_version else VersionSource.OPTIMISER,
        parent=workshop.current_version, created_by=job.created_by, note=note,
        pinned_keys=pinned)
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return version


def _finish(job, status, *, version=None, error="", best=None, bound=None):
    values = {"status": status, "finished_at": timezone.now(), "error": error[:2000],
              "result": version}
    if status == SolveJobStatus.SUCCEEDED:
        values["fraction"] = 1.0
    if best is not None:
        values["best_score"] = best
    if bound is not None:
        values["bound"] = bound
    SolveJob.objects.filter(pk=job.pk).update(**values)
    _send(solve_group(job.workshop), {
        "type": "solve.finished", "job": job.pk, "status": status, "error": values["error"],
        "version": version.number if version else None,
        "score": version.score if version else best,
    })


# -- scheduling only what is not yet booked ----------------------------------------------------

def residual_instance(instance, booked):
    """What is left of `instance` once the `booked` rounds are fixed as they are.

    Rooms lose the sessions in which they are taken; offers lose the repeats already run
    (an offer with none left disappears, with its requests); requests already met
    disappear; a delegation loses the sessions in which all its delegates are busy and the
    attendances already counted against `max_attended`. The optimiser sees no pins: the
    booked rounds are no longer its to place. What the instance cannot say (a delegation
    with some but not all delegates free in a session, an offer already running in that
    session) is settled when the result is merged (`_merge_booked`)."""
    booked = tuple(booked)
    taken = {(r.session, r.room) for r in booked}
    rooms = []
    for room in instance.rooms:
        free = tuple(s for s in instance.session_ids
                     if room.available_in(s) and (s, room.id) not in taken)
        if free:
            rooms.append(dataclasses.replace(room, sessions=free))
    runs = Counter(r.offer for r in booked)
    offers = tuple(dataclasses.replace(o, max_repeats=o.max_repeats - runs[o.id])
                   for o in instance.offers if o.max_repeats > runs[o.id])
    offer_ids = {o.id for o in offers}
    met = constraints.met_requests(instance, booked)
    requests = tuple(r for r in instance.requests
                     if r.offer in offer_ids and (r.delegation, r.offer) not in met)
    busy = constraints.presence(instance, booked)
    attended = constraints.attendance_count(booked)
    delegations = []
    for delegation in instance.delegations:
        full = {s for s in instance.session_ids
                if len(busy.get((delegation.id, s), ())) >= delegation.delegates}
        limit = delegation.max_attended
        delegations.append(dataclasses.replace(
            delegation, unavailable=delegation.unavailable | full,
            max_attended=None if limit is None else max(0, limit - attended[delegation.id])))
    return dataclasses.replace(instance, rooms=tuple(rooms), offers=offers,
                               requests=requests, delegations=tuple(delegations), pinned=())


def _merge_booked(instance, booked, added):
    """The booked rounds unchanged, plus each added round that still fits beside them: an
    attendee with no delegate left in that session is left out, and a round whose presenter
    has none left, whose offer already runs in that session or that falls below the minimum
    is dropped."""
    merged = list(booked)
    for round_ in added:
        busy = constraints.presence(instance, merged)
        owner = instance.offer_by_id[round_.offer].owner
        if any(r.offer == round_.offer and r.session == round_.session for r in merged):
            continue
        if not constraints.fits(instance, owner, round_.session,
                                len(busy.get((owner, round_.session), ())) + 1):
            continue
        attendees = tuple(
            key for key in round_.attendees
            if constraints.fits(instance, key, round_.session,
                                len(busy.get((key, round_.session), ())) + 1))
        if len(attendees) < instance.min_attendees:
            continue
        merged.append(dataclasses.replace(round_, attendees=attendees))
    return merged


def _store_fill(job, workshop, schedule):
    base = job.base_version
    booked_rows = list(rounds_queryset(base))
    instance = instance_for(workshop, pinned_rounds=booked_rows)
    booked = rounds_of(base)
    rounds = _merge_booked(instance, booked, schedule.rounds)
    violations, _score = optimizer.validate(instance, rounds)
    if violations:
        raise ValueError(_("The rounds added around version %(number)s break the workshop's "
                           "rules, so nothing was stored: %(problems)s") % {
            "number": base.number, "problems": "; ".join(str(v) for v in violations)})
    version = save_version(
        workshop, rounds, instance=instance, source=VersionSource.REPAIR,
        parent=workshop.current_version, created_by=job.created_by,
        note=_("Scheduled what was not yet booked in version %(number)s (%(added)s round(s) "
               "added)") % {"number": base.number, "added": len(rounds) - len(booked)},
        pinned_keys={(r.offer, r.session, r.room) for r in booked})
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return version
