"""`manage.py build_rounds`: the optimiser's solve command inside Django (same options,
same exit statuses). Runs under pytest-django; skipped when Django is switched off
(`pytest -p no:django tests/optimizer`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaking.optimizer import instance_to_dict

from .helpers import workshop

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    "DJANGO_SETTINGS_MODULE" not in os.environ, reason="needs Django settings (pytest-django)"
)


def test_build_rounds_writes_the_schedule(tmp_path):
    from django.core.management import call_command

    output = tmp_path / "schedule.json"
    call_command("build_rounds", str(ROOT / "matchmaking/data/santa_marta_2012.json"),
                 "-o", str(output), "--quiet", "--time-limit", "30")
    document = json.loads(output.read_text())
    assert document["format"] == "negotiation-rounds-schedule/1"
    assert len(document["rounds"]) == 16  # 4 sessions x 4 rooms, as in Santa Marta
    assert document["proven_optimal"] is True
    assert document["score"] == document["upper_bound"]


def test_build_rounds_keeps_the_exit_status_of_infeasible_pins(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    instance = workshop(requests=(("B", "a", 1),), pinned=(("a", "s1", "r1"),))
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(instance_to_dict(instance)))
    with pytest.raises(CommandError) as caught:
        call_command("build_rounds", str(path), "--quiet")
    assert caught.value.returncode == 3


def test_manage_py_build_rounds_exits_2_on_an_invalid_instance(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps({"sessions": []}))
    completed = subprocess.run(
        [sys.executable, "manage.py", "build_rounds", str(path), "-o", str(tmp_path / "x.json")],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    assert completed.returncode == 2
    assert "invalid instance: rooms: required" in completed.stderr
    assert not (tmp_path / "x.json").exists()
