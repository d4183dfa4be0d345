"""The deployment files name things that exist: every management command they run, the ASGI
application, the settings module, and the environment variables the settings read."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]


def manage_commands(text):
    return set(re.findall(r"manage\.py\"?,? \"?([a-z_]+)", text))


def test_every_command_the_deployment_runs_exists():
    compose = (ROOT / "compose.yaml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    used = manage_commands(compose) | manage_commands(dockerfile)
    assert {"migrate", "rebuild_search_index", "runworker", "healthcheck",
            "collectstatic", "compilemessages"} <= used
    assert used <= set(get_commands())


def test_the_image_serves_the_asgi_application_with_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in dockerfile
    application = re.search(r'"([a-z.]+:application)"', dockerfile).group(1)
    import_string(application.replace(":", "."))


def test_compose_wires_every_service_the_settings_expect():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    environment = compose["x-portal"]["environment"]
    assert {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"} <= set(environment)
    settings_text = (ROOT / "portal/settings/base.py").read_text()
    for name in environment:
        assert f'"{name}"' in settings_text, name
    assert compose["services"]["web"]["deploy"]["replicas"] >= 2
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade" in nginx
    assert "X-Forwarded-Proto" in nginx
