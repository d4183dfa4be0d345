"""Rewrite the project's seed-data JSON files in their canonical form.

Canonical form: UTF-8, two-space indentation, non-ASCII characters kept as
they are, key order as written (never sorted), one trailing newline.

Usage:
    .venv/bin/python scripts/format_seed_data.py          # rewrite in place
    .venv/bin/python scripts/format_seed_data.py --check  # exit 1 if any file differs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA_FILES = [
    "portal/data/countries.json",
    "portal/data/institutions.json",
    "programs/data/vocabularies.json",
    "programs/data/sdgs.json",
    "programs/data/annex_profiles.json",
    "matchmaking/data/santa_marta_2012.json",
    "matchmaking/data/santa_marta_2012_intentions.json",
    "programs/data/regions.json",
    "programs/data/registry_vocabularies.json",
]


def canonical(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    bad = []
    for rel in DATA_FILES:
        path = ROOT / rel
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        wanted = canonical(json.loads(text))
        if text != wanted:
            bad.append(rel)
            if not check:
                path.write_text(wanted, encoding="utf-8")
    if check and bad:
        sys.stderr.write("not in canonical form: " + ", ".join(bad) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
