"""Every user-facing string of the project has a Spanish translation.

The check extracts the strings afresh from a copy of the sources (as `make makemessages`
does) and compares them with the committed catalogues, so a new untranslated string fails.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS_WITH_OWN_CATALOGUE = ["programs", "matchmaking", "search"]
SOURCES = ["manage.py", "portal", "templates", *APPS_WITH_OWN_CATALOGUE]


def extract(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    command = [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete",
               *[f"--ignore={app}" for app in APPS_WITH_OWN_CATALOGUE]]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    for app in APPS_WITH_OWN_CATALOGUE:
        if (tmp_path / app / "locale").is_dir():
            subprocess.run([sys.executable, "../manage.py", "makemessages", "-l", "es",
                            "--no-obsolete"], cwd=tmp_path / app, check=True,
                           capture_output=True)


def catalogues(base):
    found = {"": base / "locale/es/LC_MESSAGES/django.po"}
    for app in APPS_WITH_OWN_CATALOGUE:
        path = base / app / "locale/es/LC_MESSAGES/django.po"
        if path.exists():
            found[app] = path
    return found


@pytest.mark.slow
def test_every_string_has_a_spanish_translation(tmp_path):
    extract(tmp_path)
    problems = []
    for name, fresh_path in catalogues(tmp_path).items():
        committed_path = catalogues(ROOT).get(name)
        committed = {entry.msgid: entry for entry in polib.pofile(committed_path)} if (
            committed_path
        ) else {}
        for entry in polib.pofile(fresh_path):
            known = committed.get(entry.msgid)
            label = f"{name or 'project'}: {entry.msgid!r}"
            if known is None:
                problems.append(f"{label} is not in the committed catalogue (make makemessages)")
            elif known.obsolete or "fuzzy" in known.flags:
                problems.append(f"{label} is fuzzy or obsolete")
            elif not (known.msgstr or all(known.msgstr_plural.values())):
                problems.append(f"{label} has no Spanish translation")
    assert problems == []


def test_committed_catalogues_have_no_empty_or_fuzzy_entries():
    for path in catalogues(ROOT).values():
        catalogue = polib.pofile(path)
        # makemessages may write CLDR's three Spanish plural forms into a new catalogue's
        # header; entries carry two, and a mismatch silently falls back to English.
        assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);", path
        assert not catalogue.metadata_is_fuzzy, path
        for entry in catalogue:
            if entry.obsolete:
                continue
            assert "fuzzy" not in entry.flags, (path, entry.msgid)
            assert entry.msgstr or all(entry.msgstr_plural.values()), (path, entry.msgid)
