"""WebSocket routes of every app, gathered in one list for the ASGI router, and the
background channels that `manage.py runworker` consumes."""

from django.urls import path

from matchmaking import consumers as matchmaking_consumers

websocket_urlpatterns = [
    path("ws/workshops/<slug:slug>/solve/", matchmaking_consumers.SolveProgressConsumer.as_asgi()),
    path("ws/workshops/<slug:slug>/agenda/", matchmaking_consumers.AgendaConsumer.as_asgi()),
]

worker_channels = {
    "matchmaking-solve": matchmaking_consumers.SolveWorker.as_asgi(),
}
