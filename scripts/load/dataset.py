"""The people and pages of the load scenario, added to a database that has the site (and, for
`python -m scripts.load.run`, the demo data), and described in a JSON file for locust.

`prepare()` adds delegate accounts of the workshop's delegations, each with a published
program profile of their own to edit (two people editing one page would get Wagtail's
"changed since you opened it" refusal), more published profiles, and opens the workshop's
ranking (the demo's deadline is in 2012). The registry keeps the demo's 72 approved entries.
It runs inside Django.
"""

import itertools
import json
import random

COUNTRIES = ["COL", "PER"]
TOPIC_WORDS = ["nutrition", "pensions", "cash transfers", "early childhood", "employment",
               "housing", "disability", "health insurance", "school meals", "care"]
SPANISH_WORDS = ["programa", "transferencias", "primera infancia", "pensiones", "vivienda",
                 "alimentación", "empleo", "cuidado", "salud", "discapacidad"]
SEARCH_FACETS = [{}, {"country": "COL"}, {"country": "PER"}, {"content_type": "profile"},
                 {"topic": "food_security"}, {"language": "es"}]


def _profile_record(number, country, title):
    from programs.services.profiles import COLUMNS

    record = {column.key: ([] if column.kind == "keys" else "") for column in COLUMNS}
    topic = TOPIC_WORDS[number % len(TOPIC_WORDS)]
    record.update({
        "external_id": f"LOAD-{number:05d}",
        "country": country,
        "title_en": f"{title} {number}: {topic}",
        "title_es": f"{title} {number}: {SPANISH_WORDS[number % len(SPANISH_WORDS)]}",
        "area_of_influence": "national",
        "topics": ["food_security"],
        "statuses": ["implementation"],
        "target_populations": ["children"],
        "exchange_methods": ["study_tours"],
        "objectives_en": f"Reach more households with {topic}.",
        "objectives_es": "Llegar a más hogares.",
    })
    return record


def _delegate(number, country, password_hash, delegation):
    from django.contrib.auth import get_user_model

    from matchmaking.models import Delegate
    from portal.accounts.roles import Role, assign_role
    from portal.models import Country
    from programs.services.delegates import sync_country_delegate_groups

    email = f"load.delegate{number:03d}@example.org"
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(
            email=email, first_name="Load", last_name=f"Delegate {number}",
            country=Country.objects.get(iso3=country))
        # One hash for every account: hashing a password per account would dominate setup.
        user.password = password_hash
        user.save(update_fields=["password"])
        assign_role(user, Role.COUNTRY_DELEGATE)
        sync_country_delegate_groups(user)
        Delegate.objects.create(delegation=delegation, user=user, name=user.get_full_name(),
                                email=email)
    return user


def prepare(*, workshop_slug, organiser_email, organiser_password, delegates=40,
            extra_profiles=100, password="Load-delegate-2026"):  # noqa: S107 - load DB only
    """Adds what the scenario needs and returns its description (see `write`)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import translation
    from wagtail.models import Page

    from matchmaking.models import Delegation, OutcomeReport, Workshop
    from programs.models import ProgramProfilePage
    from programs.services.profiles import write_profile

    rng = random.Random(2026)
    workshop = Workshop.objects.get(slug=workshop_slug)
    Workshop.objects.filter(pk=workshop.pk).update(requests_deadline=None)
    delegations = list(Delegation.objects.filter(workshop=workshop).order_by("key"))
    password_hash = make_password(password)
    numbers = itertools.count(1)
    people = []
    with translation.override("en"):
        for index in range(delegates):
            country = COUNTRIES[index % len(COUNTRIES)]
            delegation = delegations[index % len(delegations)]
            user = _delegate(index + 1, country, password_hash, delegation)
            page = write_profile(_profile_record(next(numbers), country, "Delegate program"),
                                 publish=True)
            people.append({"email": user.email, "password": password, "page_id": page.pk,
                           "delegation": delegation.key})
        for _ in range(extra_profiles):
            number = next(numbers)
            write_profile(_profile_record(number, COUNTRIES[number % 2], "Shared program"),
                          publish=True)

    profile_urls = [page.url for page in ProgramProfilePage.objects.live().public()
                    .select_related("locale")[:400] if page.url]
    other_pages = [page.url for page in Page.objects.live().public().filter(depth__gte=2)
                   .not_type(ProgramProfilePage) if page.url]
    if OutcomeReport.objects.filter(workshop=workshop, is_published=True).exists():
        other_pages += [f"/{language}/workshops/{workshop.slug}/outcomes/report/"
                        for language in ("en", "es")]
    words = TOPIC_WORDS + SPANISH_WORDS + ["fundación", "red", "innovación social"]
    queries = [{"q": rng.choice(words), **rng.choice(SEARCH_FACETS)} for _ in range(60)]
    return {
        "pages": other_pages,
        "profiles": profile_urls,
        "registry": ["/en/programs/articulators/", "/es/programs/articulators/",
                     "/en/programs/articulators/?page=2",
                     "/en/programs/articulators/dashboard/"],
        "queries": queries,
        "delegates": people,
        "organiser": {"email": organiser_email, "password": organiser_password},
        "workshop": workshop.slug,
    }


def write(scenario, path):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(scenario, handle, ensure_ascii=False, indent=1)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
