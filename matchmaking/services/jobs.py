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
"""

import logging
import os
import threading
import time

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking import optimizer
from matchmaking.models import SolveJob, SolveJobStatus, VersionSource, Workshop
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


def start_job(workshop, user, *, objective="demand", time_limit=30, seed=0, stable=False):
    """Queue a run for `workshop` and start it once the transaction commits.

    `stable`: re-optimise around the working schedule: its pinned rounds are pins, and the
    optimiser keeps as much of it as it can (the optimiser's `previous`)."""
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
        base = workshop.current_version if stable else None
        if stable and base is None:
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
        job = SolveJob.objects.create(
            workshop=workshop, objective=objective, time_limit=time_limit, seed=seed,
            # the minimum is a target of the fair objective only
            min_rounds=(workshop.min_rounds or 0) if objective == "fair" else 0,
            base_version=base, instance=optimizer.instance_to_dict(instance),
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
        previous = rounds_of(job.base_version) if job.base_version else None
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
