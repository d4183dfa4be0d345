"""The registry's part of the demo: the bilingual registration page and a synthetic registry.

Seed 002 reports that 72 organisations registered between 1 and 22 September 2021, and
publishes shares, not entries. The 72 approved entries below are synthetic, generated
deterministically so that the dashboard shows exactly the seed's figures (see
``programs.services.statistics`` for what each share is computed over):

- 63 of 72 in a private sector (87.5%, printed 88%);
- 43 of 72 with their head office in the Centro-Sur macrozone (59.7%, printed 60%);
- 34 of 72 of regional scope (47.2%, printed 47%);
- 56 of the 70 that answered run linkage activities (80%): no count of 72 rounds to 80%;
- 69 of 72 have alliances (95.8%, printed 96%).

Besides them: entries awaiting moderation (two of them probable duplicates of approved ones),
one approved entry with changes awaiting moderation, one whose email is not confirmed and two
rejected ones. Every step looks for what it would create first, so running it again changes
nothing.
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Revision

from portal.models import Country, HomePage
from portal.services import translate_page
from programs.models import (
    Articulator,
    ArticulatorRegistrationPage,
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    PovertyTopic,
    Region,
    SupportType,
)
from programs.search_documents.registry import index_entries_after_commit
from programs.services.registry import submit_for_moderation

REGISTRATION_PAGE = {
    "en": {
        "title": "Register your organisation",
        "slug": "register-your-organisation",
        "introduction": (
            "<p>Does your organisation link the actors of the social-innovation ecosystem "
            "against poverty: contests, training, studies, tools, financing, certifications, "
            "community, incubation or co-working spaces? Register it in the directory. It takes "
            "about ten minutes; a moderator reviews every entry.</p>"
        ),
        "privacy_notice": (
            "<p>Everything you enter is published, except the contact email: we use it only to "
            "confirm the registration, tell you the moderators' decision and ask you once a "
            "year whether the entry is still up to date.</p>"
        ),
        "confirmation_text": "<p>Thank you for registering your organisation.</p>",
    },
    "es": {
        "title": "Inscriba a su organización",
        "slug": "inscriba-a-su-organizacion",
        "introduction": (
            "<p>¿Su organización articula a los actores del ecosistema de innovación social en "
            "pobreza: concursos, entrenamiento, estudios, herramientas, financiamiento, "
            "certificaciones, comunidad, incubación o espacios de cowork? Inscríbala en el "
            "directorio. Toma unos diez minutos; un moderador revisa cada inscripción.</p>"
        ),
        "privacy_notice": (
            "<p>Se publica todo lo que ingrese, salvo el correo de contacto: solo lo usamos "
            "para confirmar la inscripción, comunicarle la decisión de los moderadores y "
            "preguntarle una vez al año si los datos siguen vigentes.</p>"
        ),
        "confirmation_text": "<p>Gracias por inscribir a su organización.</p>",
    },
}

SECTOR_COUNTS = {"public": 6, "private_for_profit": 20, "private_non_profit": 30,
                 "civil_society": 13, "academia": 2, "international_cooperation": 1}
MACROZONE_COUNTS = {"centro_sur_y_metropolitana": 43, "norte_y_centro": 15, "sur_y_austral": 14}
SCOPE_COUNTS = {"regional": 34, "national": 18, "macrozonal": 8, "local": 12}
LINKAGE_ANSWERS = [True] * 56 + [False] * 14 + [None] * 2
ALLIANCE_ANSWERS = [True] * 69 + [False] * 3

NAME_WORDS = [
    "Puentes", "Raíces", "Horizonte", "Semilla", "Alero", "Minga", "Trama", "Cauce", "Faro",
    "Lazos", "Tejido", "Vertiente", "Nido", "Sendero", "Huella", "Cordillera", "Altiplano",
    "Litoral", "Colmena", "Andamio", "Brújula", "Telar", "Copihue", "Araucaria", "Canelo",
    "Alerce", "Quillay", "Boldo", "Maqui", "Calafate", "Chilco", "Lenga", "Coigüe", "Ulmo",
    "Peumo", "Espino", "Tamarugo", "Chañar", "Algarrobo", "Pimiento", "Molle", "Maitén",
    "Avellano", "Laurel", "Notro", "Ciprés", "Mañío", "Tepa", "Raulí", "Roble", "Arrayán",
    "Murta", "Nalca", "Totora", "Junquillo", "Cardón", "Añañuca", "Terral", "Camanchaca",
    "Puelche", "Travesía", "Mirador", "Albatros", "Cóndor", "Huemul", "Pudú", "Chucao",
    "Martín Pescador", "Picaflor", "Zorzal", "Tenca", "Diuca",
]

NAME_PATTERNS = {
    "public": ("Servicio Regional de Innovación {word}", "Servicio público"),
    "private_for_profit": ("{word} Impacto SpA", "Sociedad por acciones"),
    "private_non_profit": ("Fundación {word}", "Fundación"),
    "civil_society": ("Agrupación Comunitaria {word}", "Organización comunitaria"),
    "academia": ("Centro de Estudios Sociales {word}", "Corporación universitaria"),
    "international_cooperation": ("Programa de Cooperación {word}", "Organismo internacional"),
}

LINKAGE_TEXT = ("Mesas territoriales mensuales con municipios, fundaciones y emprendimientos "
                "sociales de la región.")
ALLIANCES_TEXT = "Convenios con municipios y con otras fundaciones del ecosistema."


def load(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is not None:
        ensure_registration_page(home)
    chile = Country.objects.filter(iso3="CHL").first()
    if chile is None or not Region.objects.filter(country=chile).exists():
        stdout.write("  registry: Chile or its regions are missing, no demo entries")
        return
    created = load_approved_entries(chile)
    # Wagtail emails the moderators about each submission; the demo's would only flood the
    # console of `make run`.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        created += load_other_entries(chile)
    stdout.write(f"  registry: {Articulator.objects.approved().count()} approved entries, "
                 f"{Articulator.objects.count()} in all ({created} created)")


def ensure_registration_page(home):
    english = REGISTRATION_PAGE["en"]
    page = ArticulatorRegistrationPage.objects.child_of(home).filter(
        slug=english["slug"]).first()
    if page is None:
        page = ArticulatorRegistrationPage(**english)
        home.add_child(instance=page)
        page.save_revision().publish()
    translate_page(page, "es", **REGISTRATION_PAGE["es"])
    return page


def _spread(counts, rng):
    """Each key repeated as often as its count, in a shuffled but repeatable order."""
    values = [key for key, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def demo_entry_specs():
    """The 72 approved entries as plain values (keys, not database rows), in a fixed order."""
    rng = random.Random(2021)
    sectors = [key for key, count in SECTOR_COUNTS.items() for _ in range(count)]
    zones = _spread(MACROZONE_COUNTS, rng)
    scopes = _spread(SCOPE_COUNTS, rng)
    linkage = list(LINKAGE_ANSWERS)
    rng.shuffle(linkage)
    alliances = list(ALLIANCE_ANSWERS)
    rng.shuffle(alliances)
    specs = []
    for index, sector in enumerate(sectors):
        word = NAME_WORDS[index]
        pattern, legal_form = NAME_PATTERNS[sector]
        day = 1 + (index * 7) % 22
        specs.append({
            "name": pattern.format(word=word),
            "legal_form": legal_form,
            "sector": sector,
            "macrozone": zones[index],
            "region_position": index,
            "scope": scopes[index],
            "runs_linkage_activities": linkage[index],
            "has_alliances": alliances[index],
            "support_count": 1 + rng.randrange(4),
            "topic_count": 1 + rng.randrange(3),
            "support_offset": rng.randrange(9),
            "topic_offset": rng.randrange(8),
            "registered_at": datetime(2021, 9, day, 10 + index % 8, index % 60, tzinfo=UTC),
            # Five entries have gone unconfirmed for more than a year (flagged); the others
            # were confirmed within the last ten months.
            "confirmed_days_ago": 400 + index * 9 if index % 15 == 7 else 5 + (index * 41) % 300,
            "slug": slugify(word),
        })
    return specs


def _vocabularies():
    return {
        "sectors": {term.key: term for term in ArticulatorSector.objects.all()},
        "scopes": {term.key: term for term in ArticulatorScope.objects.all()},
        "support_types": list(SupportType.objects.order_by("sort_order")),
        "topics": list(PovertyTopic.objects.order_by("sort_order")),
    }


def _build(spec, chile, vocab, zones):
    zone = zones[spec["macrozone"]]
    zone_regions = list(zone.regions.order_by("sort_order"))
    head_office = zone_regions[spec["region_position"] % len(zone_regions)]
    scope = spec["scope"]
    if scope == "national":
        regions = []
    elif scope == "macrozonal":
        regions = zone_regions
    else:
        regions = [head_office]
    supports = vocab["support_types"]
    topics = vocab["topics"]
    entry = Articulator(
        name=spec["name"], legal_form=spec["legal_form"],
        sector=vocab["sectors"][spec["sector"]], country=chile, head_office_region=head_office,
        scope=vocab["scopes"][scope],
        runs_linkage_activities=spec["runs_linkage_activities"],
        linkage_description=LINKAGE_TEXT if spec["runs_linkage_activities"] else "",
        has_alliances=spec["has_alliances"],
        alliances_description=ALLIANCES_TEXT if spec["has_alliances"] else "",
        website=f"https://www.{spec['slug']}.example",
        description=(f"{spec['name']} articula a actores de la innovación social en pobreza "
                     f"en {head_office.name_es}."),
        contact_name=f"Contacto {spec['name'].split()[-1]}",
        contact_email=f"contacto@{spec['slug']}.example",
        publication_consent=True, self_registered=True, language="es",
        registered_at=spec["registered_at"], email_confirmed_at=spec["registered_at"],
        live=False,
    )
    entry.regions = regions
    entry.support_types = [supports[(spec["support_offset"] + step) % len(supports)]
                           for step in range(spec["support_count"])]
    entry.poverty_topics = [topics[(spec["topic_offset"] + step) % len(topics)]
                            for step in range(spec["topic_count"])]
    return entry


def load_approved_entries(chile):
    """The 72 approved entries, written in bulk: one live revision each, as publishing would
    leave them, without the per-entry cost of Wagtail's publishing machinery."""
    vocab = _vocabularies()
    zones = {zone.key: zone for zone in Macrozone.objects.filter(country=chile)}
    existing = set(Articulator.objects.values_list("name", flat=True))
    specs = [spec for spec in demo_entry_specs() if spec["name"] not in existing]
    now = timezone.now()
    entries = []
    for spec in specs:
        entry = _build(spec, chile, vocab, zones)
        entry.update_match_keys()
        entry.live = True
        entry.first_published_at = entry.last_published_at = spec["registered_at"] + timedelta(
            days=2)
        entry.approved_at = entry.first_published_at
        entry.last_confirmed_at = now - timedelta(days=spec["confirmed_days_ago"])
        entries.append(entry)
    relations = [(entry, {name: list(getattr(entry, name).all()) for name in
                          ("regions", "support_types", "poverty_topics")}) for entry in entries]
    Articulator.objects.bulk_create(entries)
    if not entries:
        _assign_demo_owner()
        return 0
    for name in ("regions", "support_types", "poverty_topics"):
        through = Articulator._meta.get_field(name).remote_field.through
        target = f"{Articulator._meta.get_field(name).related_model._meta.model_name}_id"
        through.objects.bulk_create([
            through(articulator_id=entry.pk, **{target: item.pk})
            for entry, values in relations for item in values[name]
        ])
    content_type = ContentType.objects.get_for_model(Articulator)
    revisions = Revision.objects.bulk_create([
        Revision(content_type=content_type, base_content_type=content_type,
                 object_id=str(entry.pk), content=entry.serializable_data(),
                 object_str=str(entry), created_at=entry.first_published_at)
        for entry in entries
    ])
    for entry, revision in zip(entries, revisions, strict=True):
        entry.latest_revision = entry.live_revision = revision
    Articulator.objects.bulk_update(entries, ["latest_revision", "live_revision"])
    _assign_demo_owner()
    index_entries_after_commit([entry.pk for entry in entries])
    return len(entries)


def _assign_demo_owner():
    """The demo's ecosystem member manages the first entry (editing it through the account)."""
    member = get_user_model().objects.filter(email="member@example.org").first()
    if member is not None:
        Articulator.objects.filter(name=demo_entry_specs()[0]["name"], owner__isnull=True).update(
            owner=member)


def load_other_entries(chile):
    """Pending, duplicate-suspect, unconfirmed and rejected entries, and one pending edit."""
    vocab = _vocabularies()
    zones = {zone.key: zone for zone in Macrozone.objects.filter(country=chile)}
    specs = demo_entry_specs()
    moderator = get_user_model().objects.filter(email="moderator@example.org").first()
    now = timezone.now()
    created = 0

    def base(index, days_ago, **changes):
        return dict(specs[index], registered_at=now - timedelta(days=days_ago), **changes)

    extra = [
        # (spec, state, rejection reason)
        (base(30, 2, name="Fundación Brote Nuevo", slug="brote-nuevo"), "pending", ""),
        (base(40, 4, name="Red de Emprendimiento Social Costero", slug="costero"), "pending", ""),
        # Probable duplicates of approved entries: the same website as "Fundación Arrayán",
        # and a name very like "Fundación Quillay".
        (base(50, 1, name="Fundación Arrayán Sur", slug="arrayan"), "pending", ""),
        (base(26, 1, name="Fundación Quillai", slug="quillai"), "pending", ""),
        (base(10, 1, name="Colectivo Aún Sin Confirmar", slug="sin-confirmar"), "unconfirmed",
         ""),
        (base(12, 20, name="Inversiones Rápidas Ltda.", slug="inversiones-rapidas"), "rejected",
         "La organización no realiza actividades de articulación del ecosistema: ofrece "
         "créditos de consumo."),
        (base(13, 15, name="Registro de Prueba", slug="prueba"), "rejected",
         "Inscripción de prueba sin datos reales."),
    ]
    for spec, state, reason in extra:
        if Articulator.objects.filter(name=spec["name"]).exists():
            continue
        entry = _build(spec, chile, vocab, zones)
        entry.email_confirmed_at = None if state == "unconfirmed" else spec["registered_at"]
        entry.awaiting_decision = state == "pending"
        entry.save()
        entry.save_revision()
        if state in ("pending", "rejected"):
            submit_for_moderation(entry)
        if state == "rejected":
            entry.current_workflow_task_state.reject(user=moderator, comment=reason)
        created += 1

    # An approved entry whose organisation proposed changes that await moderation.
    edited = Articulator.objects.approved().filter(name=specs[5]["name"]).first()
    if edited is not None and not edited.has_unpublished_changes:
        edited.description += " Desde 2022 también acompaña a emprendimientos sociales."
        edited.save_revision()
        Articulator.objects.filter(pk=edited.pk).update(awaiting_decision=True)
        submit_for_moderation(edited)
    return created

