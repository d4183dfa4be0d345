"""The programs part of the demo: every annex profile of seed 003, published in English and
Spanish, and a few changes waiting in moderation.

Runs on every `make run`: each step looks for what it would create first.
"""

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from programs.models import ProgramProfilePage
from programs.services.delegates import sync_country_delegate_groups
from programs.services.profiles import COLUMNS, find_profile, write_profile
from programs.services.structure import ensure_programs_structure
from programs.services.vocabularies import ensure_vocabularies

DATA_DIR = Path(__file__).resolve().parent / "data"

# The seed's notes on duration, in Spanish for the Spanish version.
DURATION_NOTES_ES = {
    "Indefinite": "Indefinida",
    "N/A": "No aplica",
    "No completion date": "Sin fecha de término",
    "Renewable": "Renovable",
    "N/A: this program is permanent": "No aplica: el programa es permanente",
    "Ongoing intervention": "Intervención en curso",
    "ReSA® projects last an estimated 5-12 months":
        "Los proyectos ReSA® duran aproximadamente entre 5 y 12 meses",
}

# Demo only: changes that delegates submitted and that wait for a moderator.
PENDING_REPORTS = [
    {
        "external_id": "COL-red-unidos",
        "delegate": "delegate.col@example.org",
        "report": {
            "report_date": date(2013, 6, 30),
            "rating": "amber",
            "summary_en": "<p>Family co-managers visited the households of the network in every "
                          "department; the achievements follow-up was moved to the new "
                          "information system.</p>",
            "indicators": [("Families accompanied", "families", 1500000, 1500000, 1380000)],
        },
    },
    {
        "external_id": "PER-qali-warma",
        "delegate": "delegate.per@example.org",
        "report": {
            "report_date": date(2013, 12, 15),
            "rating": "green",
            "summary_en": "<p>School meals started in the public pre-schools and primary "
                          "schools of the first regions, with purchasing committees formed "
                          "by parents and teachers.</p>",
            "indicators": [("Schoolchildren served", "children", 0, 2700000, 2650000)],
        },
    },
]

PENDING_NEW_PROFILE = {
    "delegate": "delegate.per@example.org",
    "record": {
        "external_id": "PER-cuna-mas",
        "country": "PER",
        "title_en": "Cuna Más National Program",
        "institutions": ["per-midis"],
        "implementing_agency_en": "Ministry of Development and Social Inclusion - MIDIS",
        "topics": ["early_childhood_development"],
        "area_of_influence": "national",
        "target_populations": ["children"],
        "start_date": "2012-03",
        "statuses": ["implementation"],
        "objectives_en": "Improve the development of children under 36 months of age living in "
                         "poverty, through day care and home visits to their families.",
        "exchange_methods": ["information_sharing", "study_tours"],
    },
}


def load(stdout):
    ensure_vocabularies()
    index = ensure_programs_structure()
    if index is None:
        stdout.write("  programs: no home page, nothing loaded")
        return
    User = get_user_model()
    for user in User.objects.filter(email__startswith="delegate."):
        sync_country_delegate_groups(user)
    created = load_annex_profiles()
    # The moderators' notifications of these demo submissions would only clutter the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        pending = load_pending_changes()
    stdout.write(f"  program profiles: {created} created, "
                 f"{ProgramProfilePage.objects.live().count()} live pages, "
                 f"{pending} waiting in moderation")


def annex_records():
    profiles = json.loads((DATA_DIR / "annex_profiles.json").read_text(encoding="utf-8"))
    for profile in profiles["profiles"]:
        yield annex_record(profile)


def annex_record(profile):
    """The annex profile as an import record (English and Spanish)."""
    def lines(items):
        return "\n".join(items or [])

    def bullets(items):
        return "\n".join(f"- {item}" for item in items or [])

    note = profile.get("end_note_en") or ""
    regions = lines(profile["area_of_influence"]["regions"])
    record = {column.key: ([] if column.kind == "keys" else "") for column in COLUMNS}
    record.update({
        "external_id": profile["external_id"],
        "country": profile["country"],
        "title_en": profile["title_en"],
        "title_es": profile["title_es"],
        "acronym": profile.get("acronym") or "",
        "institutions": profile["institutions"],
        "implementing_agency_en": profile["implementing_agency"],
        "implementing_agency_es": profile["implementing_agency"],
        "topics": profile["topics"],
        "area_of_influence": profile["area_of_influence"]["level"],
        "regions_en": regions,
        "regions_es": regions,
        "target_populations": profile["target_populations"],
        "target_population_other_en": profile.get("target_population_other_en") or "",
        "target_population_other_es": profile.get("target_population_other_es") or "",
        "start_date": profile.get("start_date") or "",
        "end_date": profile.get("end_date") or "",
        "duration_note_en": note,
        "duration_note_es": DURATION_NOTES_ES.get(note, note),
        "statuses": profile["statuses"],
        "objectives_en": profile["objectives_en"],
        "objectives_es": profile["objectives_es"],
        "achievements_en": bullets(profile["achievements_en"]),
        "achievements_es": bullets(profile["achievements_es"]),
        "other_organisations_en": lines(profile["other_organisations"]),
        "other_organisations_es": lines(profile["other_organisations"]),
        "exchange_methods": profile["exchange_methods"],
    })
    return record


def load_annex_profiles():
    existing = set(ProgramProfilePage.objects.values_list("external_id", flat=True))
    created = 0
    for record in annex_records():
        if record["external_id"] in existing:
            continue
        write_profile(record, publish=True)
        created += 1
    return created


def load_pending_changes():
    from wagtail.models import WorkflowState

    User = get_user_model()
    for item in PENDING_REPORTS:
        page = find_profile(item["external_id"])
        delegate = User.objects.filter(email=item["delegate"]).first()
        if page is None or delegate is None or page.has_unpublished_changes:
            continue
        draft = page.specific.get_latest_revision_as_object()
        report = item["report"]
        draft.progress_reports.add(draft.progress_reports.model(
            report_date=report["report_date"], rating=report["rating"],
            summary=report["summary_en"],
            indicators=[{"type": "indicator", "value": {
                "name": name, "unit": unit, "baseline": baseline, "target": target,
                "achieved": achieved}} for name, unit, baseline, target, achieved
                in report["indicators"]],
        ))
        draft.save_revision(user=delegate, log_action=True)
        draft.get_workflow().start(draft, delegate)

    delegate = User.objects.filter(email=PENDING_NEW_PROFILE["delegate"]).first()
    record = PENDING_NEW_PROFILE["record"]
    if delegate is not None and find_profile(record["external_id"]) is None:
        full = {column.key: ([] if column.kind == "keys" else "") for column in COLUMNS}
        full.update(record)
        full["_languages"] = {"en"}
        write_profile(full, user=delegate, publish=False, submit=True)
    return WorkflowState.objects.active().count()
