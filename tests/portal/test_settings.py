"""Production settings refuse unsafe configuration, and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE_KEY = "k" * 20 + "-production-secret-key-of-sufficient-length-123"


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", **env})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": SAFE_KEY, "DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": SAFE_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
    ],
)
def test_production_refuses_unsafe_configuration(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=SAFE_KEY,
                        ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_environment_selects_engines(monkeypatch):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.CHANNEL_LAYERS['default']['BACKEND']);"
        "print(settings.PORTAL_SEARCH['BACKEND'])"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
                   "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
                   "REDIS_URL": "redis://127.0.0.1:6379/0",
                   "ELASTICSEARCH_URL": "http://127.0.0.1:9200"}
    configured = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert configured == ["django.db.backends.postgresql",
                          "channels_redis.core.RedisChannelLayer",
                          "search.backends.elasticsearch.ElasticsearchBackend"]
    for name in ["DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"]:
        environment.pop(name)
    defaults = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert defaults == ["django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer",
                        "search.backends.database.DatabaseBackend"]


def test_media_go_to_s3_compatible_storage_when_a_bucket_is_named():
    code = ("from django.conf import settings; import json;"
            "print(json.dumps(settings.STORAGES['default']))")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
                   "MEDIA_S3_BUCKET": "portal-media",
                   "MEDIA_S3_ENDPOINT_URL": "https://s3.example.org"}
    configured = json.loads(subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env=environment, capture_output=True, text=True, check=True).stdout)
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["OPTIONS"]["bucket_name"] == "portal-media"
    assert configured["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert configured["OPTIONS"]["default_acl"] is None
    environment.pop("MEDIA_S3_BUCKET")
    default = json.loads(subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env=environment, capture_output=True, text=True, check=True).stdout)
    assert default == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def _in_django(code, **env):
    environment = {**{key: value for key, value in os.environ.items()
                      if not key.startswith("DATABASE_")},
                   "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


def test_database_pool_lends_connections_from_psycopgs_pool():
    """Under ASGI each request has its own thread: without the pool, persistent connections
    piled up until PostgreSQL refused clients (the load benchmark's 500s)."""
    code = ("from django.db import connection;"
            "from django.conf import settings;"
            "print(settings.DATABASES['default']['OPTIONS']['pool']['max_size']);"
            "connection.cursor().execute('SELECT 1');"
            "print(type(connection.pool).__name__)")
    result = _in_django(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
                        DATABASE_POOL_SIZE="5")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["5", "ConnectionPool"]


@pytest.mark.parametrize(("env", "message"), [
    ({"DATABASE_URL": "sqlite:////tmp/pool.sqlite3"}, "DATABASE_POOL_SIZE needs a PostgreSQL"),
    ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test", "DATABASE_CONN_MAX_AGE": "60"},
     "DATABASE_POOL_SIZE and DATABASE_CONN_MAX_AGE exclude each other"),
])
def test_database_pool_refuses_what_it_cannot_serve(env, message):
    result = _in_django("pass", DATABASE_POOL_SIZE="5", **env)
    assert result.returncode != 0
    assert message in result.stderr
