"""Small factories for the articulator registry's tests."""

import itertools
import re

from django.core import mail
from django.test import TestCase

from portal.models import Country
from programs.models import (
    ArticulatorScope,
    ArticulatorSector,
    PovertyTopic,
    Region,
    SupportType,
)
from programs.services import registry as services

_numbers = itertools.count(1)


def term(model, key):
    return model.objects.get(key=key)


def entry_values(country=None, **overrides):
    """A complete, valid entry as the services take it (Chile by default)."""
    number = next(_numbers)
    country = country or Country.objects.get(iso3="CHL")
    region = Region.objects.filter(country=country).order_by("pk").first()
    values = {
        "name": f"Fundación Ejemplo {number}",
        "legal_form": "Fundación",
        "sector": term(ArticulatorSector, "private_non_profit"),
        "country": country,
        "head_office_region": region,
        "regions": [region] if region else [],
        "scope": term(ArticulatorScope, "regional"),
        "runs_linkage_activities": True,
        "linkage_description": "Mesas de trabajo con municipios.",
        "has_alliances": True,
        "alliances_description": "Convenio con la universidad regional.",
        "support_types": [term(SupportType, "training")],
        "poverty_topics": [term(PovertyTopic, "income_poverty")],
        "website": f"https://ejemplo{number}.example",
        "description": "Una fundación de ejemplo.",
        "contact_name": "Ana Pérez",
        "contact_email": f"ana{number}@ejemplo.example",
        "publication_consent": True,
    }
    values.update(overrides)
    return values


def committed():
    """Run what a block leaves for after the commit (emails) when the block ends: tests run
    inside a transaction that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def link_token(message, kind):
    """The secret of the one-time link of ``kind`` (confirm, edit, still-current) in a mail."""
    match = re.search(rf"/articulators/{kind}/([A-Za-z0-9_-]+)/", message.body)
    assert match, f"no {kind} link in: {message.body}"
    return match.group(1)


def make_entry(state="approved", **overrides):
    """An entry in the given state, made the way the services make it.

    approved: published; pending: confirmed and in the moderation queue; rejected: refused
    by a moderator; unconfirmed: the registrant has not clicked the link yet.
    """
    with committed():
        entry = services.register(entry_values(**overrides), language="en")
    if state == "unconfirmed":
        return entry
    with committed():
        services.confirm_email(link_token(mail.outbox[-1], "confirm"))
    entry.refresh_from_db()
    if state == "pending":
        return entry
    if state == "rejected":
        with committed():
            entry.current_workflow_task_state.reject(user=None, comment="Not an articulator.")
        entry.refresh_from_db()
        return entry
    with committed():
        entry.current_workflow_task_state.approve(user=None)
    entry.refresh_from_db()
    return entry


_address_numbers = itertools.count(1)


def next_address():
    """A client address no other test uses, so that rate limits never cross tests."""
    number = next(_address_numbers)
    return f"10.{(number // 65536) % 256}.{(number // 256) % 256}.{number % 256}"


def wizard_answers(country=None, **overrides):
    """POST data for each registration step, for a valid Chilean registration by default."""
    number = next(_numbers)
    country = country or Country.objects.get(iso3="CHL")
    regions = list(Region.objects.filter(country=country).order_by("pk")[:2])
    answers = {
        "organisation": {
            "name": f"Corporación Puente {number}", "legal_form": "Corporación",
            "sector": term(ArticulatorSector, "private_non_profit").pk, "country": country.pk,
            "website": f"https://puente{number}.example", "description": "Articulamos.",
            "fax_number": "",
        },
        "place": {
            "head_office_region": regions[0].pk if regions else "",
            "regions": [region.pk for region in regions],
            "scope": term(ArticulatorScope, "regional").pk,
        },
        "activities": {
            "support_types": [term(SupportType, "training").pk,
                              term(SupportType, "financing").pk],
            "runs_linkage_activities": "yes", "linkage_description": "Mesas regionales.",
            "has_alliances": "no", "alliances_description": "",
            "poverty_topics": [term(PovertyTopic, "multidimensional_poverty").pk],
        },
        "contact": {
            "contact_name": "Rosa Díaz", "contact_email": f"rosa{number}@puente.example",
            "publication_consent": "on",
        },
    }
    for step, changes in overrides.items():
        answers[step] = {**answers[step], **changes}
    return answers


def fill_wizard(client, page_url, answers, submit=True):
    """Go through every step with ``answers``; returns the last response."""
    response = None
    for step in ("organisation", "place", "activities", "contact"):
        response = client.post(f"{page_url}?step={step}", {**answers[step], "action": "next"})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    if submit:
        response = client.post(f"{page_url}?step=review", {"action": "submit"})
    return response
