"""WebSocket consumers: an organiser's view of optimiser runs, everyone's live agenda, and
the Channels worker that runs optimiser jobs when a Redis channel layer is configured."""

from channels.consumer import SyncConsumer
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from matchmaking.models import Workshop
from matchmaking.services import jobs
from matchmaking.services.publishing import agenda_group
from matchmaking.services.schedule_access import can_follow_agenda, is_organiser


@database_sync_to_async
def _workshop_if(slug, user, allowed):
    workshop = Workshop.objects.filter(slug=slug).first()
    if workshop is None or not allowed(user, workshop):
        return None
    return workshop


class _WorkshopGroupConsumer(AsyncJsonWebsocketConsumer):
    allowed = None

    def group_name(self, workshop):
        raise NotImplementedError

    async def connect(self):
        self.group = None
        slug = self.scope["url_route"]["kwargs"]["slug"]
        workshop = await _workshop_if(slug, self.scope.get("user"), type(self).allowed)
        if workshop is None:
            await self.close(code=4403)
            return
        self.group = self.group_name(workshop)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """Nothing is accepted from the page: actions go through forms and their checks."""


class SolveProgressConsumer(_WorkshopGroupConsumer):
    """Progress of the workshop's optimiser runs; organisers of that workshop only."""

    allowed = staticmethod(is_organiser)

    def group_name(self, workshop):
        return jobs.solve_group(workshop)

    async def solve_status(self, event):
        await self.send_json({"kind": "status", "job": event["job"], "status": event["status"]})

    async def solve_progress(self, event):
        await self.send_json({"kind": "progress", **{k: event[k] for k in (
            "job", "elapsed", "best", "bound", "fraction")}})

    async def solve_finished(self, event):
        await self.send_json({"kind": "finished", **{k: event[k] for k in (
            "job", "status", "error", "version", "score")}})


class AgendaConsumer(_WorkshopGroupConsumer):
    """Tells open agenda pages that a new version was published."""

    allowed = staticmethod(can_follow_agenda)

    def group_name(self, workshop):
        return agenda_group(workshop)

    async def agenda_published(self, event):
        await self.send_json({"kind": "published", "version": event["version"]})


class SolveWorker(SyncConsumer):
    """`manage.py runworker matchmaking-solve`: runs the jobs sent to that channel."""

    def solve_job(self, message):
        jobs.run_job(message["job_id"])
