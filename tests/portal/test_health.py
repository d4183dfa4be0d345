"""/healthz and `manage.py healthcheck` really use each component: a broken one (here an
address where nothing listens) is named, turns the answer into a 503 and the command's exit
status into 1."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def test_every_component_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name in body if name != "status"} == {
        "database", "cache", "channel_layer", "search"}
    assert all(body[name]["ok"] for name in ("database", "cache", "channel_layer", "search"))
    # The checks name what they used: the configured engines, not a default.
    cache_class = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    layer_class = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[1]
    assert cache_class in body["cache"]["detail"]
    assert layer_class in body["channel_layer"]["detail"]
    assert body["database"]["detail"].startswith(settings.DATABASES["default"]["ENGINE"]
                                                  .rsplit(".", 1)[1].replace("sqlite3", "sqlite"))
    assert "documents" in body["search"]["detail"]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": NOBODY_LISTENS}})
def test_an_unreachable_cache_is_named_and_fails_the_check(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["cache"]["ok"] is False and "Connection" in body["cache"]["detail"]
    assert body["database"]["ok"] is True


@override_settings(CHANNEL_LAYERS={"default": {
    "BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [NOBODY_LISTENS]}}})
def test_an_unreachable_channel_layer_fails_the_command():
    output = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("healthcheck", "channel_layer", "--json", stdout=output)
    assert exited.value.code == 1
    report = json.loads(output.getvalue())
    assert list(report) == ["channel_layer"]
    assert report["channel_layer"]["ok"] is False


def test_the_command_reports_every_component_and_refuses_unknown_ones():
    output = io.StringIO()
    call_command("healthcheck", stdout=output)
    lines = output.getvalue().splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "database"], ["ok", "cache"], ["ok", "channel_layer"], ["ok", "search"]]
    with pytest.raises(CommandError, match="Unknown component disk"):
        call_command("healthcheck", "disk")
