"""The state of everything the portal depends on, for `/healthz`, `manage.py healthcheck`
and load balancers: the database, the cache, the channel layer (live agendas and the
optimiser's progress) and the search backend. Each check really uses its component (a query,
a cache write and read, a message sent and received, a count of indexed documents), with a
short timeout, and reports what failed in words an operator can act on."""

import time
import uuid
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from django.core.cache import caches
from django.db import connection

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class ComponentState:
    name: str
    ok: bool
    detail: str
    milliseconds: float

    def as_dict(self):
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.milliseconds, 1)}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.vendor} reachable"


def _cache():
    cache = caches["default"]
    key, value = f"healthcheck:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    read = cache.get(key)
    cache.delete(key)
    if read != value:
        raise RuntimeError("a value written to the cache could not be read back")
    return f"{cache.__class__.__name__} read back a written value"


def _channel_layer():
    import asyncio

    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured (CHANNEL_LAYERS)")

    async def round_trip():
        channel = await layer.new_channel("healthcheck.")
        await layer.send(channel, {"type": "healthcheck"})
        message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT_SECONDS)
        if message.get("type") != "healthcheck":
            raise RuntimeError("the channel layer delivered another message")

    async_to_sync(round_trip)()
    return f"{layer.__class__.__name__} delivered a message"


def _search():
    from search.backends import get_backend

    backend = get_backend()
    return f"{backend.__class__.__name__} holds {backend.count():,} documents"


CHECKS = {"database": _database, "cache": _cache, "channel_layer": _channel_layer,
          "search": _search}


def check_health(names=None):
    """[ComponentState] for the named components (all by default), never raising."""
    states = []
    for name in names or CHECKS:
        started = time.perf_counter()
        try:
            detail, ok = CHECKS[name](), True
        except Exception as error:  # reported, not raised: a health check must answer
            detail, ok = f"{error.__class__.__name__}: {error}".strip()[:300], False
        states.append(ComponentState(name, ok, detail, (time.perf_counter() - started) * 1000))
    return states
