"""The portal's part of the demo: members, one account per role, home, about and news pages.

Every step looks for what it would create first, so running it again changes nothing.
"""

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model

from portal.accounts.roles import Role, assign_role
from portal.models import (
    Country,
    HomePage,
    Institution,
    NewsIndexPage,
    NewsPage,
    SiteIdentity,
    StandardPage,
)
from portal.services import ensure_home_page, translate_page

DATA_DIR = Path(__file__).resolve().parent / "data"

# Printed by `make run`; demo only, never used outside a local machine.
DEMO_ACCOUNTS = [
    {"email": "admin@example.org", "password": "Admin-demo-2026", "role": Role.ADMINISTRATOR,
     "first_name": "Ada", "last_name": "Admin"},
    {"email": "moderator@example.org", "password": "Moderator-demo-2026",
     "role": Role.MODERATOR, "first_name": "Mora", "last_name": "Moderator"},
    {"email": "delegate.col@example.org", "password": "Delegate-demo-2026",
     "role": Role.COUNTRY_DELEGATE, "first_name": "Camila", "last_name": "Delegada",
     "country": "COL", "institution": "col-icbf"},
    {"email": "delegate.per@example.org", "password": "Delegate-demo-2026",
     "role": Role.COUNTRY_DELEGATE, "first_name": "Pedro", "last_name": "Delegado",
     "country": "PER", "institution": None},
    {"email": "organiser@example.org", "password": "Organiser-demo-2026",
     "role": Role.ORGANISER, "first_name": "Olga", "last_name": "Organiser"},
    {"email": "member@example.org", "password": "Member-demo-2026",
     "role": Role.ECOSYSTEM_MEMBER, "first_name": "Marta", "last_name": "Member"},
]

HOME = {
    "en": {
        "title": "Inter-American Social Protection Network",
        "purpose": (
            "<p>The network connects the ministries and agencies that run social protection "
            "programs in the Americas so that they learn from each other: countries publish "
            "their programs, ecosystem organisations join the registry, and cooperation "
            "workshops turn shared interests into agreed cooperation.</p>"
        ),
    },
    "es": {
        "title": "Red Interamericana de Protección Social",
        "purpose": (
            "<p>La red conecta a los ministerios y agencias que ejecutan programas de "
            "protección social en las Américas para que aprendan unos de otros: los países "
            "publican sus programas, las organizaciones del ecosistema se suman al registro y "
            "los talleres de cooperación convierten intereses compartidos en cooperación "
            "acordada.</p>"
        ),
    },
}

ENTRY_POINTS = {
    "en": [
        ("programs", "Program profiles",
         "Social programs described by the countries that run them."),
        ("articulators", "Ecosystem registry",
         "Organisations that link the actors of social innovation against poverty."),
        ("search", "Search everything",
         "Programs, organisations and library documents in one search."),
        ("workshops", "Cooperation workshops",
         "Negotiation rounds, agendas and the cooperation agreed there."),
    ],
    "es": [
        ("programs", "Fichas de programas",
         "Programas sociales descritos por los países que los ejecutan."),
        ("articulators", "Registro del ecosistema",
         "Organizaciones que articulan a los actores de la innovación social en pobreza."),
        ("search", "Buscar en todo",
         "Programas, organizaciones y documentos de la biblioteca en una sola búsqueda."),
        ("workshops", "Talleres de cooperación",
         "Rondas de negociación, agendas y la cooperación acordada en ellas."),
    ],
}

ABOUT = {
    "en": {
        "title": "About the network",
        "slug": "about",
        "introduction": (
            "A community of practice and learning on social protection, open to governments, "
            "subregional mechanisms, academia, civil society and the private sector."
        ),
        "body": [
            ("heading", "Partnership for development"),
            ("paragraph",
             "<p>Cooperation here is horizontal: every country has something to teach and "
             "something to learn. Programs are presented by the people who run them, and "
             "exchanges are shaped by what the other countries ask for.</p>"),
            ("heading", "How to take part"),
            ("paragraph",
             "<p>Country delegates are invited by the network's moderators and publish their "
             "ministries' program profiles. Organisations of the social-innovation ecosystem "
             "register themselves. Everyone can search and read.</p>"),
        ],
    },
    "es": {
        "title": "Acerca de la red",
        "slug": "acerca-de",
        "introduction": (
            "Una comunidad de práctica y aprendizaje sobre protección social, abierta a "
            "gobiernos, mecanismos subregionales, academia, sociedad civil y sector privado."
        ),
        "body": [
            ("heading", "Asociación para el desarrollo"),
            ("paragraph",
             "<p>Aquí la cooperación es horizontal: cada país tiene algo que enseñar y algo que "
             "aprender. Los programas los presentan quienes los ejecutan, y los intercambios se "
             "definen según lo que piden los demás países.</p>"),
            ("heading", "Cómo participar"),
            ("paragraph",
             "<p>Los moderadores de la red invitan a los delegados de cada país, que publican "
             "las fichas de los programas de sus ministerios. Las organizaciones del ecosistema "
             "de innovación social se registran por sí mismas. Todos pueden buscar y leer.</p>"),
        ],
    },
}

NEWS_INDEX = {
    "en": {"title": "News", "slug": "news",
           "introduction": "Announcements of the network and its workshops."},
    "es": {"title": "Noticias", "slug": "noticias",
           "introduction": "Anuncios de la red y de sus talleres."},
}

NEWS = [
    {
        "date": date(2012, 11, 2),
        "en": {"title": "Third Workshop on Social Policy and International Cooperation closes",
               "slug": "third-workshop-closes",
               "introduction": "Delegates of 13 countries and 5 subregional mechanisms met in "
                               "Santa Marta, Colombia, and proposed 46 cooperation activities."},
        "es": {"title": "Concluye el Tercer Taller de Política Social y Cooperación "
                        "Internacional",
               "slug": "concluye-tercer-taller",
               "introduction": "Delegados de 13 países y 5 mecanismos subregionales se "
                               "reunieron en Santa Marta, Colombia, y propusieron 46 "
                               "actividades de cooperación."},
    },
    {
        "date": date(2021, 9, 30),
        "en": {"title": "72 organisations join the social innovation ecosystem registry",
               "slug": "ecosystem-registry-72",
               "introduction": "In three weeks, 72 organisations registered as articulators of "
                               "the social innovation ecosystem against poverty."},
        "es": {"title": "72 organizaciones se suman al registro del ecosistema de innovación "
                        "social",
               "slug": "registro-ecosistema-72",
               "introduction": "En tres semanas, 72 organizaciones se registraron como "
                               "articuladoras del ecosistema de innovación social en pobreza."},
    },
]


def load(stdout):
    countries = load_countries()
    institutions = load_institutions()
    stdout.write(f"  countries: {countries}, institutions: {institutions}")
    accounts = load_accounts()
    stdout.write(f"  demo accounts: {accounts} created")
    load_site_identity()
    home = ensure_home_page(
        title=HOME["en"]["title"], purpose=HOME["en"]["purpose"],
        translations={"es": HOME["es"]},
    )
    load_pages(home)


def _read(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_countries():
    for row in _read("countries.json"):
        Country.objects.update_or_create(
            iso3=row["iso3"],
            defaults={
                "iso2": row.get("iso2", ""),
                "name_en": row["name_en"],
                "name_es": row["name_es"],
                "subregion": row["subregion"],
                "member_since": row.get("member_since"),
            },
        )
    return Country.objects.count()


def load_institutions():
    countries = {country.iso3: country for country in Country.objects.all()}
    for row in _read("institutions.json"):
        Institution.objects.update_or_create(
            key=row["key"],
            defaults={
                "country": countries[row["country"]] if row.get("country") else None,
                "name_en": row["name_en"],
                "name_es": row["name_es"],
                "acronym": row.get("acronym") or "",
                "kind": row["kind"],
                "website": row.get("website") or "",
            },
        )
    return Institution.objects.count()


def load_accounts():
    User = get_user_model()
    created = 0
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account["email"]).first()
        if user is None:
            user = User.objects.create_user(
                email=account["email"],
                password=account["password"],
                first_name=account["first_name"],
                last_name=account["last_name"],
                country=Country.objects.filter(iso3=account.get("country")).first(),
                institution=Institution.objects.filter(key=account.get("institution")).first(),
            )
            created += 1
        assign_role(user, account["role"])
    return created


def load_site_identity():
    identity = SiteIdentity.load()
    identity.network_name_en = HOME["en"]["title"]
    identity.network_name_es = HOME["es"]["title"]
    identity.tagline_en = "Cooperation knowledge portal"
    identity.tagline_es = "Portal de conocimiento para la cooperación"
    identity.save()


def _stream(items):
    return [{"type": kind, "value": value} for kind, value in items]


def load_pages(home):
    home = HomePage.objects.get(pk=home.pk)
    if not home.entry_points:
        home.entry_points = _entry_points("en")
        home.save_revision().publish()
    spanish_home = home.get_translation_or_none(
        home.locale.__class__.objects.get(language_code="es")
    )
    if spanish_home is not None:
        spanish_home = spanish_home.specific
        if not spanish_home.entry_points:
            spanish_home.entry_points = _entry_points("es")
            spanish_home.save_revision().publish()

    about = StandardPage.objects.child_of(home).filter(slug=ABOUT["en"]["slug"]).first()
    if about is None:
        about = StandardPage(
            title=ABOUT["en"]["title"], slug=ABOUT["en"]["slug"],
            introduction=ABOUT["en"]["introduction"], body=_stream(ABOUT["en"]["body"]),
            show_in_menus=True,
        )
        home.add_child(instance=about)
        about.save_revision().publish()
    translate_page(about, "es", title=ABOUT["es"]["title"], slug=ABOUT["es"]["slug"],
                   introduction=ABOUT["es"]["introduction"], body=_stream(ABOUT["es"]["body"]))

    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        news_index = NewsIndexPage(show_in_menus=True, **NEWS_INDEX["en"])
        home.add_child(instance=news_index)
        news_index.save_revision().publish()
    translate_page(news_index, "es", **NEWS_INDEX["es"])

    for item in NEWS:
        news = NewsPage.objects.child_of(news_index).filter(slug=item["en"]["slug"]).first()
        if news is None:
            news = NewsPage(date=item["date"], **item["en"])
            news_index.add_child(instance=news)
            news.save_revision().publish()
        translate_page(news, "es", **item["es"])


def _entry_points(language):
    return [
        {"type": "entry_point",
         "value": {"title": title, "text": text, "page": None, "section": section}}
        for section, title, text in ENTRY_POINTS[language]
    ]
