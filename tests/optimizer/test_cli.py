"""`python -m matchmaking.optimizer solve|validate`: files, messages and exit statuses."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaking.optimizer import instance_to_dict
from matchmaking.optimizer.cli import main

from .helpers import workshop

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, document) -> Path:
    path.write_text(json.dumps(document))
    return path


@pytest.fixture
def instance_file(tmp_path, example_document):
    return write(tmp_path / "instance.json", example_document)


def test_solve_writes_schedule_and_reports_progress(tmp_path, instance_file, capsys):
    output = tmp_path / "schedule.json"
    assert main(["solve", str(instance_file), "-o", str(output)]) == 0
    document = json.loads(output.read_text())
    assert document["format"] == "negotiation-rounds-schedule/1"
    assert document["rounds"] == [{"offer": "col-unidos", "session": "s2", "room": "r1",
                                   "attendees": ["BOL", "PER"]}]
    assert (document["score"], document["upper_bound"], document["proven_optimal"]) == (
        1.9, 1.9, True)
    assert document["unmet"] == [{"delegation": "BOL", "offer": "per-qaliwarma",
                                  "reason": "too_few_requesters"}]
    err = capsys.readouterr().err
    assert "best 1.9  bound 1.9" in err
    assert "score 1.9, upper bound 1.9, proven optimal" in err


def test_quiet_and_explain(tmp_path, instance_file, capsys):
    output = tmp_path / "schedule.json"
    assert main(["solve", str(instance_file), "-o", str(output), "--quiet", "--explain"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        "unmet requests: 1",
        "  BOL          per-qaliwarma        rank 1   too_few_requesters",
    ]


def test_schedule_on_standard_output_without_o(instance_file, capsys):
    assert main(["solve", str(instance_file), "--quiet", "--objective", "fair"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["objective"] == "fair"


def test_invalid_instance_exits_2_and_writes_nothing(tmp_path, example_document, capsys):
    example_document["requests"][1]["offer"] = "x"
    path = write(tmp_path / "instance.json", example_document)
    output = tmp_path / "schedule.json"
    assert main(["solve", str(path), "-o", str(output)]) == 2
    assert capsys.readouterr().err.strip() == (
        "invalid instance: requests[1].offer: unknown offer 'x'")
    assert not output.exists()


def test_infeasible_pins_exit_3(tmp_path, capsys):
    instance = workshop(requests=(("B", "a", 1),), pinned=(("a", "s1", "r1"),))
    path = write(tmp_path / "instance.json", instance_to_dict(instance))
    output = tmp_path / "schedule.json"
    assert main(["solve", str(path), "-o", str(output), "--quiet"]) == 3
    assert capsys.readouterr().err.strip() == (
        "infeasible: pinned[0]: only 1 delegation(s) can attend offer 'a' in session 's1', "
        "min_attendees is 2")
    assert not output.exists()


def test_previous_schedule_is_reported_as_changes(tmp_path, instance_file):
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert main(["solve", str(instance_file), "-o", str(first), "--quiet"]) == 0
    assert main(["solve", str(instance_file), "-o", str(second), "--quiet",
                 "--previous", str(first)]) == 0
    assert json.loads(second.read_text())["changes"] == {
        "rounds_kept": 1, "rounds_moved": 0, "rounds_added": 0, "rounds_removed": 0,
        "attendances_kept": 2, "attendances_changed": 0}


def test_malformed_previous_exits_2(tmp_path, instance_file, capsys):
    previous = write(tmp_path / "previous.json", {"rounds": "none"})
    assert main(["solve", str(instance_file), "--previous", str(previous), "--quiet"]) == 2
    assert "invalid previous schedule: rounds: required, a list" in capsys.readouterr().err


def test_validate_feasible(tmp_path, instance_file, capsys):
    schedule = write(tmp_path / "schedule.json", {"rounds": [
        {"offer": "col-unidos", "session": "s2", "room": "r1", "attendees": ["PER", "BOL"]}]})
    assert main(["validate", str(instance_file), str(schedule)]) == 0
    assert capsys.readouterr().out.splitlines() == ["score 1.9", "feasible"]


def test_validate_prints_every_violation_and_exits_1(tmp_path, instance_file, capsys):
    schedule = write(tmp_path / "schedule.json", {"rounds": [
        {"offer": "col-unidos", "session": "s1", "room": "r2", "attendees": ["PER"]}]})
    assert main(["validate", str(instance_file), str(schedule)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "rule 1 (rooms and sessions): rounds[0] (col-unidos in s1/r2): room 'r2' is not "
        "available in session 's1'",
        "rule 4 (round size): rounds[0] (col-unidos in s1/r2): 1 attendees, min_attendees is 2",
        "rule 5 (delegates): 'PER' is unavailable in session 's1' but is in 1 round(s) there",
        "rule 6 (pins): pinned[0]: offer 'col-unidos' does not run in session 's2', room 'r1'",
        "score 1",
        "infeasible: 4 violation(s)",
    ]


def test_validate_malformed_schedule_exits_2(tmp_path, instance_file, capsys):
    schedule = tmp_path / "schedule.json"
    schedule.write_text("[")
    assert main(["validate", str(instance_file), str(schedule)]) == 2
    assert capsys.readouterr().err.startswith("invalid schedule: (document): schedule")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["solve"])
    assert caught.value.code == 2


def test_module_entry_point_same_seed_same_file(tmp_path, instance_file):
    outputs = []
    for name in ("one.json", "two.json"):
        output = tmp_path / name
        completed = subprocess.run(
            [sys.executable, "-m", "matchmaking.optimizer", "solve", str(instance_file),
             "-o", str(output), "--seed", "7", "--time-limit", "30"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        assert completed.returncode == 0, completed.stderr
        assert "best" in completed.stderr and "bound" in completed.stderr
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
