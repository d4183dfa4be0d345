"""The initial vocabularies, shipped as data and inserted after every ``migrate``.

Entries are matched by key (goals by number, targets by code): a missing entry is added,
an existing one is left exactly as a moderator may have edited it.
"""

import json
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

VOCABULARY_MODELS = {
    "topics": "Topic",
    "target_populations": "TargetPopulation",
    "exchange_methods": "ExchangeMethod",
    "statuses": "ProgramStatus",
}


def _read(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def ensure_vocabularies(sender=None, **kwargs):
    """Insert the shipped vocabulary entries that are missing. Returns how many were added."""
    from programs import models

    added = 0
    data = _read("vocabularies.json")
    for section, model_name in VOCABULARY_MODELS.items():
        model = getattr(models, model_name)
        existing = set(model.objects.values_list("key", flat=True))
        new = []
        for position, entry in enumerate(data[section]):
            if entry["key"] in existing:
                continue
            values = {"key": entry["key"], "name_en": entry["name_en"],
                      "name_es": entry["name_es"], "sort_order": position}
            if model is models.Topic:
                values["description_en"] = entry.get("description_en", "")
                values["description_es"] = entry.get("description_es", "")
            new.append(model(**values))
        model.objects.bulk_create(new)
        added += len(new)

    goals = {goal.number: goal for goal in models.SustainableDevelopmentGoal.objects.all()}
    known_targets = set(models.SDGTarget.objects.values_list("code", flat=True))
    new_targets = []
    for goal_data in _read("sdgs.json"):
        goal = goals.get(goal_data["number"])
        if goal is None:
            goal = models.SustainableDevelopmentGoal.objects.create(
                number=goal_data["number"], name_en=goal_data["name_en"],
                name_es=goal_data["name_es"], title_en=goal_data["title_en"],
                title_es=goal_data["title_es"],
            )
            added += 1
        for position, target in enumerate(goal_data["targets"]):
            if target["code"] in known_targets:
                continue
            new_targets.append(models.SDGTarget(
                goal=goal, code=target["code"], sort_order=position,
                text_en=target["text_en"], text_es=target["text_es"]))
    models.SDGTarget.objects.bulk_create(new_targets)
    return added + len(new_targets)
