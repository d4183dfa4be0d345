"""Ship the registry's reference data: vocabularies, regions and macrozones, the workflow.

Connected to ``post_migrate`` (and to a country's creation), so that a new deployment has
them without a data migration. Every function only inserts what is missing, found by its key:
moderators' later edits (names, order, a sector's private flag) are never overwritten.
"""

import json
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

VOCABULARY_MODELS = {
    "sectors": "ArticulatorSector",
    "scopes": "ArticulatorScope",
    "support_types": "SupportType",
    "poverty_topics": "PovertyTopic",
}

WORKFLOW_NAME = "Ecosystem registry moderation"
TASK_NAME = "Ecosystem registry review"


def read_data(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _tables_exist(using, *models):
    existing = set(connections[using].introspection.table_names())
    return all(model._meta.db_table in existing for model in models)


def ensure_registry_reference_data(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: vocabularies, the regions of existing countries, the workflow."""
    from portal.models import Country
    from programs import models

    wanted = [getattr(models, name) for name in VOCABULARY_MODELS.values()]
    if not _tables_exist(using, models.Region, models.Macrozone, Country, *wanted):
        return
    with transaction.atomic(using=using):
        ensure_vocabularies(using=using)
        for country in Country.objects.using(using).filter(iso3__in=read_data("regions.json")):
            ensure_country_regions(country, using=using)
        ensure_moderation_workflow(using=using)


def ensure_vocabularies(using=DEFAULT_DB_ALIAS):
    from programs import models

    data = read_data("registry_vocabularies.json")
    created = 0
    for section, model_name in VOCABULARY_MODELS.items():
        model = getattr(models, model_name)
        for position, entry in enumerate(data[section]):
            defaults = {
                "name_en": entry["name_en"],
                "name_es": entry["name_es"],
                "sort_order": position,
            }
            if model is models.ArticulatorSector:
                defaults["counts_as_private"] = bool(entry.get("counts_as_private_sector"))
            _obj, was_created = model.objects.using(using).get_or_create(
                key=entry["key"], defaults=defaults
            )
            created += was_created
    return created


def ensure_country_regions(country, using=DEFAULT_DB_ALIAS):
    """Insert the shipped macrozones and regions of ``country`` that are missing."""
    from programs.models import Macrozone, Region

    shipped = read_data("regions.json").get(country.iso3)
    if shipped is None:
        return 0
    created = 0
    for zone_position, zone in enumerate(shipped["macrozones"]):
        macrozone, was_created = Macrozone.objects.using(using).get_or_create(
            country=country, key=zone["key"],
            defaults={"name_en": zone["name_en"], "name_es": zone["name_es"],
                      "sort_order": zone_position},
        )
        created += was_created
        for position, region in enumerate(zone["regions"]):
            _region, was_created = Region.objects.using(using).get_or_create(
                country=country, code=region["code"],
                defaults={"name_en": region["name_en"], "name_es": region["name_es"],
                          "macrozone": macrozone, "sort_order": position},
            )
            created += was_created
    return created


def on_country_saved(sender, instance, created, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    """A country created after migrating (e.g. by the demo loader) gets its shipped regions."""
    if created and not raw:
        from programs.models import Region

        if _tables_exist(using, Region):
            ensure_country_regions(instance, using=using)


def ensure_moderation_workflow(using=DEFAULT_DB_ALIAS):
    """Give articulators a moderation workflow if none is assigned (moderators may change it)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from portal.accounts.roles import Role, group_for
    from programs.models import Articulator, ArticulatorReviewTask

    content_type = ContentType.objects.db_manager(using).get_for_model(
        Articulator, for_concrete_model=False
    )
    assigned = WorkflowContentType.objects.using(using).filter(
        content_type=content_type, workflow__active=True
    ).select_related("workflow").first()
    if assigned is not None:
        return assigned.workflow
    task = ArticulatorReviewTask.objects.using(using).filter(name=TASK_NAME).first()
    if task is None:
        task = ArticulatorReviewTask.objects.using(using).create(name=TASK_NAME)
        task.groups.set([group_for(Role.MODERATOR)])
    workflow = Workflow.objects.using(using).filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.using(using).create(name=WORKFLOW_NAME)
        WorkflowTask.objects.using(using).create(workflow=workflow, task=task, sort_order=0)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowContentType.objects.using(using).filter(content_type=content_type).delete()
    WorkflowContentType.objects.using(using).create(content_type=content_type, workflow=workflow)
    return workflow
