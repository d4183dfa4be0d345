"""The configured channel layer carries a message between two consumers' channels.

On SQLite runs this is the in-memory layer; `make test`'s second pass sets REDIS_URL, so the
same test exercises channels-redis against the real server.
"""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings


def test_group_message_reaches_every_member():
    layer = get_channel_layer()

    async def exchange():
        first = await layer.new_channel()
        second = await layer.new_channel()
        await layer.group_add("portal-test", first)
        await layer.group_add("portal-test", second)
        await layer.group_send("portal-test", {"type": "agenda.changed", "version": 7})
        received = [await layer.receive(first), await layer.receive(second)]
        await layer.group_discard("portal-test", first)
        await layer.group_discard("portal-test", second)
        return received

    received = async_to_sync(exchange)()
    assert received == [{"type": "agenda.changed", "version": 7}] * 2


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: in-memory layer only")
def test_redis_layer_is_used_when_configured():
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set: in-memory layer only")
def test_an_idle_receive_outlasts_the_layers_blocking_wait():
    """channels-redis waits 5 s per blocking pop; redis-py 8's default read timeout is 5 s
    too, and the solve worker, idle on its channel, died of the race (load benchmark)."""
    layer = get_channel_layer()

    async def wait_idle():
        channel = await layer.new_channel()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(channel), timeout=layer.brpop_timeout + 4)

    async_to_sync(wait_idle)()
