"""Optimiser runs end to end: started by an organiser, run outside the request, progress
pushed over the WebSocket, cancelled, failing, and never damaging the working schedule.

These tests commit (transaction=True): the run happens in another thread with its own
database connection, exactly as under `make run`.
"""

import asyncio
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import ApplicationCommunicator, WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from matchmaking.consumers import SolveWorker
from matchmaking.models import ScheduleVersion, SolveJob, SolveJobStatus, VersionSource
from matchmaking.optimizer import instance_to_dict
from matchmaking.optimizer.bench.generator import Shape, generate
from matchmaking.services import jobs
from portal.accounts.roles import Role
from portal.asgi import application
from tests.conftest import make_user
from tests.matchmaking.conftest import committed
from tests.matchmaking.rounds_factories import small_workshop

pytestmark = committed

def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def socket_for(cookie, path):
    return WebsocketCommunicator(application, path, headers=[
        (b"cookie", cookie), (b"origin", b"http://testserver"), (b"host", b"testserver")])


async def messages_until_finished(communicator, timeout=60):
    received = []
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        received.append(message)
        if message["kind"] == "finished":
            return received


def test_a_run_pushes_progress_and_becomes_the_working_version(reference_data, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "thread"  # as under `make run`, also when Redis is set
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser, schedule=False)

    cookie = session_cookie(organiser)

    async def scenario():
        communicator = socket_for(cookie, f"/ws/workshops/{workshop.slug}/solve/")
        connected, _code = await communicator.connect()
        assert connected
        job = await database_sync_to_async(jobs.start_job)(
            workshop, organiser, objective="demand", time_limit=5)
        received = await messages_until_finished(communicator)
        await communicator.disconnect()
        return job, received

    job, received = async_to_sync(scenario)()
    assert received[0] == {"kind": "status", "job": job.pk, "status": "running"}
    progress = [m for m in received if m["kind"] == "progress"]
    assert progress, received
    assert set(progress[-1]) == {"kind", "job", "elapsed", "best", "bound", "fraction"}
    assert progress[-1]["fraction"] == 1.0
    # all four requests met: ranks 1, 2, 1 and 1 weigh 1 + 0.9 + 1 + 1
    assert progress[-1]["best"] == pytest.approx(3.9)
    finished = received[-1]
    job.refresh_from_db()
    workshop.refresh_from_db()
    assert finished == {"kind": "finished", "job": job.pk, "status": "succeeded", "error": "",
                        "version": 1, "score": workshop.current_version.score}
    assert job.status == SolveJobStatus.SUCCEEDED
    assert job.result == workshop.current_version
    assert workshop.current_version.source == VersionSource.OPTIMISER
    assert workshop.current_version.score == pytest.approx(3.9)


def test_a_cancelled_run_stores_nothing(reference_data, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "thread"  # as under `make run`, also when Redis is set
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser)
    before = workshop.current_version
    # A run long enough to be cancelled: the benchmark's medium workshop (120 delegations,
    # 300 offers) is not proven optimal within minutes. The job carries its instance, so it
    # can stand in for the small workshop's.
    hard = generate(Shape(120, 300, 6, 15), seed=0)
    job = SolveJob.objects.create(workshop=workshop, objective="demand", time_limit=300,
                                  instance=instance_to_dict(hard), created_by=organiser)
    cookie = session_cookie(organiser)

    async def scenario():
        communicator = socket_for(cookie, f"/ws/workshops/{workshop.slug}/solve/")
        assert (await communicator.connect())[0]
        await database_sync_to_async(jobs.dispatch)(job.pk)
        first = await communicator.receive_json_from(timeout=30)
        assert first == {"kind": "status", "job": job.pk, "status": "running"}
        progress = await communicator.receive_json_from(timeout=30)
        assert progress["kind"] == "progress"
        await database_sync_to_async(jobs.cancel_job)(job, organiser)
        received = await messages_until_finished(communicator, timeout=30)
        await communicator.disconnect()
        return received

    started = time.monotonic()
    received = async_to_sync(scenario)()
    assert time.monotonic() - started < 60
    assert received[-1]["status"] == "cancelled"
    assert received[-1]["version"] is None
    assert jobs.wait_for_thread(job.pk, timeout=30)
    job.refresh_from_db()
    assert job.status == SolveJobStatus.CANCELLED
    assert job.result is None
    assert job.finished_at is not None
    workshop.refresh_from_db()
    assert workshop.current_version == before
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


def test_a_failed_run_leaves_the_working_schedule(reference_data, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "thread"  # as under `make run`, also when Redis is set
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, delegations = small_workshop(organiser=organiser)
    before = workshop.current_version
    # Pin Colombia's round in session 1, then make Colombia unavailable then: the pin
    # cannot be honoured, which the optimiser only finds out while solving.
    before.rounds.filter(offer__key="col-unidos").update(pinned=True)
    colombia = delegations["COL"]
    colombia.unavailable_sessions.add(workshop.sessions.get(key="s1"))
    colombia.save()  # a parental many-to-many is written when its owner is saved

    cookie = session_cookie(organiser)

    async def scenario():
        communicator = socket_for(cookie, f"/ws/workshops/{workshop.slug}/solve/")
        assert (await communicator.connect())[0]
        job = await database_sync_to_async(jobs.start_job)(
            workshop, organiser, objective="demand", time_limit=5, stable=True)
        received = await messages_until_finished(communicator)
        await communicator.disconnect()
        return job, received

    try:
        job, received = async_to_sync(scenario)()
    except jobs.JobError as refused:  # the instance itself may already reject the pin
        assert "cannot be optimised" in str(refused)
        job, received = None, []
    if job is not None:
        assert received[-1]["status"] == "failed"
        assert received[-1]["error"]
        job.refresh_from_db()
        assert (job.status, job.result) == (SolveJobStatus.FAILED, None)
        assert job.error == received[-1]["error"]
    workshop.refresh_from_db()
    assert workshop.current_version == before
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


def test_the_channels_worker_runs_jobs_when_the_layer_is_shared(reference_data, settings):
    """Under Redis the job id goes to the `matchmaking-solve` channel and
    `runworker matchmaking-solve` runs it; here the worker consumer is driven directly."""
    settings.MATCHMAKING_SOLVE_RUNNER = "channel"
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser, schedule=False)

    cookie = session_cookie(organiser)

    async def scenario():
        communicator = socket_for(cookie, f"/ws/workshops/{workshop.slug}/solve/")
        assert (await communicator.connect())[0]
        job = await database_sync_to_async(jobs.start_job)(
            workshop, organiser, objective="fair", time_limit=5)
        message = await asyncio.wait_for(get_channel_layer().receive(jobs.SOLVE_CHANNEL), 10)
        assert message == {"type": "solve.job", "job_id": job.pk}
        worker = ApplicationCommunicator(SolveWorker.as_asgi(),
                                         {"type": "channel", "channel": jobs.SOLVE_CHANNEL})
        await worker.send_input(message)
        received = await messages_until_finished(communicator)
        await communicator.disconnect()
        worker.stop()
        return job, received

    job, received = async_to_sync(scenario)()
    assert received[-1]["status"] == "succeeded"
    job.refresh_from_db()
    assert job.objective == "fair" and job.result.objective == "fair"


def test_only_organisers_of_the_workshop_follow_or_start_runs(reference_data):
    organiser = make_user(Role.ORGANISER)
    other_organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser)

    cookie = session_cookie(other_organiser)

    async def scenario():
        communicator = socket_for(cookie, f"/ws/workshops/{workshop.slug}/solve/")
        connected, code = await communicator.connect()
        anonymous = WebsocketCommunicator(application, f"/ws/workshops/{workshop.slug}/solve/",
                                          headers=[(b"origin", b"http://testserver")])
        anonymous_connected, _ = await anonymous.connect()
        return connected, code, anonymous_connected

    connected, code, anonymous_connected = async_to_sync(scenario)()
    assert (connected, code, anonymous_connected) == (False, 4403, False)
    with pytest.raises(jobs.JobError, match="Only the workshop's organisers"):
        jobs.start_job(workshop, other_organiser)
    assert not SolveJob.objects.exists()


def test_start_refuses_bad_settings_and_a_second_run(reference_data, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "channel"  # queued, never run: the first stays active
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser)
    with pytest.raises(jobs.JobError, match="between 1 and 600 seconds"):
        jobs.start_job(workshop, organiser, time_limit=0)
    with pytest.raises(jobs.JobError, match="“demand” or “fair”"):
        jobs.start_job(workshop, organiser, objective="fastest")
    jobs.start_job(workshop, organiser, time_limit=5)
    with pytest.raises(jobs.JobError, match="already under way"):
        jobs.start_job(workshop, organiser, time_limit=5)
    async_to_sync(get_channel_layer().flush)()


def test_a_run_lost_with_its_process_does_not_block_new_runs(reference_data, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "channel"
    organiser = make_user(Role.ORGANISER)
    workshop, _sessions, _delegations = small_workshop(organiser=organiser)
    lost = jobs.start_job(workshop, organiser, time_limit=5)
    SolveJob.objects.filter(pk=lost.pk).update(
        status=SolveJobStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=5 + jobs.ABANDONED_AFTER + 1))
    jobs.start_job(workshop, organiser, time_limit=5)
    lost.refresh_from_db()
    assert lost.status == SolveJobStatus.FAILED
    assert lost.error == "The run stopped without finishing (the server was restarted?)."
    async_to_sync(get_channel_layer().flush)()
