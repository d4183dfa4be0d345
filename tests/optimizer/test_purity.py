"""The optimiser package must run without Django (the web layer imports it, not the reverse)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import matchmaking.optimizer
import matchmaking.optimizer.cli
import matchmaking.optimizer.bench
import matchmaking.optimizer.bench.generator
import matchmaking.optimizer.bench.run
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(loaded))
"""


def test_no_django_module_is_imported():
    completed = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                               text=True, check=True)
    assert completed.stdout.strip() == ""


def test_no_django_import_in_the_source():
    package = ROOT / "matchmaking" / "optimizer"
    offenders = [
        str(path.relative_to(ROOT)) for path in package.rglob("*.py")
        if "import django" in path.read_text() or "from django" in path.read_text()
    ]
    assert offenders == []
