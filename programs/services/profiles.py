"""Profiles as flat records: the one shape that imports read, exports write and the demo loads.

A record is a dict keyed by the column keys below. Language-independent facts (country,
dates, vocabularies) appear once; every text a reader sees appears once per language
(``title_en``, ``title_es``...). ``write_profile`` turns a record into the profile page in
the default language and its translation, through Wagtail revisions, in one transaction.
"""

import html
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale

from portal.accounts.roles import Role, user_has_role

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ProfileError(Exception):
    """A profile write the rules refuse; the message is for the person who asked."""


@dataclass(frozen=True)
class Column:
    key: str
    label_en: str
    label_es: str
    kind: str = "text"  # text, lines, richtext, keys, date, decimal, integer, url, choice
    field: str = ""  # the page field, when it differs from the key
    required: bool = False
    language: str = ""  # "en"/"es" for the wording of one language

    @property
    def page_field(self):
        return self.field or self.key

    @property
    def header(self):
        """The template's header: both languages' names, so either reader can fill it in."""
        return f"{self.label_en} / {self.label_es}"


def _bilingual(key, label_en, label_es, kind="text", required_en=False):
    return [
        Column(f"{key}_en", f"{label_en} (English)", f"{label_es} (inglés)", kind, key,
               required_en, "en"),
        Column(f"{key}_es", f"{label_en} (Spanish)", f"{label_es} (español)", kind, key,
               False, "es"),
    ]


# Labels are written out in both languages on purpose: the template carries both at once,
# whatever the language of the person downloading it.
COLUMNS = [
    Column("external_id", "External id", "Identificador externo", required=True),
    Column("country", "Country (ISO code)", "País (código ISO)", "country", required=True),
    *_bilingual("title", "Title", "Título", required_en=True),
    Column("acronym", "Acronym", "Sigla"),
    Column("institutions", "Responsible institutions (keys)",
           "Instituciones responsables (claves)", "keys"),
    *_bilingual("implementing_agency", "Implementing agency", "Agencia ejecutora"),
    Column("topics", "Topics", "Temas", "keys"),
    Column("area_of_influence", "Area of influence", "Área de influencia", "choice"),
    *_bilingual("regions", "Regions or departments", "Regiones o departamentos", "lines"),
    Column("target_populations", "Target populations", "Población objetivo", "keys"),
    *_bilingual("target_population_other", "Other target population",
                "Otra población objetivo"),
    Column("start_date", "Start date", "Fecha de inicio", "date"),
    Column("end_date", "End date", "Fecha de término", "date"),
    *_bilingual("duration_note", "Note on duration", "Nota sobre la duración"),
    Column("statuses", "Status", "Estado", "keys"),
    *_bilingual("summary", "Summary", "Resumen", "richtext"),
    *_bilingual("objectives", "General objectives", "Objetivos generales", "richtext"),
    *_bilingual("achievements", "Achievements", "Logros", "richtext"),
    *_bilingual("other_organisations", "Other organisations involved",
                "Otras organizaciones involucradas", "lines"),
    Column("funding_amount", "Budget amount", "Monto del presupuesto", "decimal"),
    Column("funding_currency", "Currency", "Moneda"),
    Column("funding_year", "Budget year", "Año del presupuesto", "integer"),
    *_bilingual("funding_source", "Source of funding", "Fuente de financiamiento"),
    Column("beneficiaries", "Beneficiaries", "Beneficiarios", "integer"),
    *_bilingual("coverage", "Coverage", "Cobertura"),
    *_bilingual("what_worked", "What worked", "Qué funcionó", "richtext"),
    *_bilingual("lessons_learned", "Lessons learned", "Lecciones aprendidas", "richtext"),
    Column("exchange_methods", "Preferred exchange methods",
           "Modalidades de intercambio preferidas", "keys"),
    Column("sdg_goals", "SDGs (numbers)", "ODS (números)", "keys"),
    Column("sdg_targets", "SDG targets (codes)", "Metas de los ODS (códigos)", "keys"),
    Column("website", "Website", "Sitio web", "url"),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
KEY_COLUMNS = {
    "institutions": ("portal", "Institution", "key"),
    "topics": ("programs", "Topic", "key"),
    "target_populations": ("programs", "TargetPopulation", "key"),
    "statuses": ("programs", "ProgramStatus", "key"),
    "exchange_methods": ("programs", "ExchangeMethod", "key"),
    "sdg_goals": ("programs", "SustainableDevelopmentGoal", "number"),
    "sdg_targets": ("programs", "SDGTarget", "code"),
}
SHARED_COLUMNS = [column for column in COLUMNS if not column.language]


# -- who may do what ------------------------------------------------------------------------

def user_may_see_contacts(user):
    """Contacts are for the network's own people: signed-in delegates and moderators."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user_has_role(user, Role.COUNTRY_DELEGATE) or user_has_role(
        user, Role.MODERATOR)


def user_may_import(user):
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user_has_role(user, Role.MODERATOR):
        return True
    return user_has_role(user, Role.COUNTRY_DELEGATE) and user.country_id is not None


def user_may_publish_directly(user):
    return user.is_superuser or user_has_role(user, Role.MODERATOR)


def importable_countries(user):
    """The countries whose profiles ``user`` may import, or None for every country."""
    if user.is_superuser or user_has_role(user, Role.MODERATOR):
        return None
    return {user.country_id} if user.country_id else set()


# -- text <-> rich text -----------------------------------------------------------------------

BULLETS = ("- ", "• ", "* ")


def text_to_richtext(text):
    """Plain text to the portal's rich text: blank lines part paragraphs, and a block whose
    lines all start with "- " (or "• ") becomes a bulleted list."""
    blocks = [block.strip("\n") for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(BULLETS) for line in lines):
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br/>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(parts)


class _RichTextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = None
        self.list_items = None
        self.in_item = False

    def handle_starttag(self, tag, attrs):
        if tag in {"ul", "ol"}:
            self._close_paragraph()
            self.list_items = []
        elif tag == "li":
            self.in_item = True
            if self.list_items is None:
                self.list_items = []
            self.list_items.append("")
        elif tag == "br":
            self._append("\n")
        elif tag in {"p", "h2", "h3", "h4", "blockquote"}:
            self._close_paragraph()
            self.current = ""

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.list_items is not None:
            items = [" ".join(item.split()) for item in self.list_items if item.strip()]
            if items:
                self.blocks.append("\n".join(f"- {item}" for item in items))
            self.list_items = None
        elif tag == "li":
            self.in_item = False
        elif tag in {"p", "h2", "h3", "h4", "blockquote"}:
            self._close_paragraph()

    def handle_data(self, data):
        self._append(data)

    def _append(self, text):
        if self.in_item and self.list_items is not None:
            self.list_items[-1] += text
        else:
            self.current = (self.current or "") + text

    def _close_paragraph(self):
        if self.current is not None and self.current.strip():
            lines = [" ".join(line.split()) for line in self.current.split("\n")]
            self.blocks.append("\n".join(line for line in lines if line))
        self.current = None

    def text(self):
        self._close_paragraph()
        return "\n\n".join(self.blocks)


def richtext_to_text(value):
    reader = _RichTextReader()
    reader.feed(value or "")
    reader.close()
    return reader.text()


# -- page <-> record -------------------------------------------------------------------------

def _key_of(obj, column_key):
    return str(getattr(obj, KEY_COLUMNS[column_key][2]))


def record_from_pages(versions):
    """The record of one profile from its live versions: {language_code: page}."""
    original = next((page for code, page in versions.items()
                     if code == page.original_language), None) or next(iter(versions.values()))
    record = {}
    for column in COLUMNS:
        page = versions.get(column.language) if column.language else original
        if page is None:
            record[column.key] = ""
            continue
        if column.key == "country":
            record[column.key] = page.country.iso3 if page.country_id else ""
            continue
        value = getattr(page, column.page_field)
        if column.kind == "keys":
            record[column.key] = [_key_of(obj, column.key) for obj in value.all()]
        elif column.kind == "richtext":
            record[column.key] = richtext_to_text(value)
        elif column.kind in {"decimal", "integer"}:
            record[column.key] = value
        else:
            record[column.key] = value or ""
    return record


def resolve_keys(column_key, keys):
    """Objects for the given keys of a vocabulary column. Raises ValidationError naming the
    unknown ones."""
    from django.apps import apps

    app_label, model_name, attribute = KEY_COLUMNS[column_key]
    model = apps.get_model(app_label, model_name)
    if not keys:
        return []
    wanted = list(dict.fromkeys(str(key).strip() for key in keys if str(key).strip()))
    if attribute == "number":
        numbers = [int(key) for key in wanted if key.isdigit()]
        found = {str(obj.number): obj for obj in model.objects.filter(number__in=numbers)}
    else:
        found = {getattr(obj, attribute): obj
                 for obj in model.objects.filter(**{f"{attribute}__in": wanted})}
    missing = [key for key in wanted if key not in found]
    if missing and hasattr(model, "name_en"):
        # People may write the English or Spanish name instead of the key.
        by_name = {}
        for obj in model.objects.all():
            by_name.setdefault(obj.name_en.casefold(), obj)
            by_name.setdefault(obj.name_es.casefold(), obj)
        for key in missing:
            if key.casefold() in by_name:
                found[key] = by_name[key.casefold()]
    unknown = [key for key in wanted if key not in found]
    if unknown:
        raise ValidationError(_("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(found[key] for key in wanted))


def _set_version_fields(page, record, language):
    for column in COLUMNS:
        if column.language and column.language != language:
            continue
        if column.key in {"external_id", "country"} or column.kind == "keys":
            continue
        value = record.get(column.key)
        if column.kind == "richtext":
            value = text_to_richtext(value or "")
        elif column.kind == "lines":
            value = "\n".join(line.strip() for line in (value or "").splitlines()
                              if line.strip())
        elif column.kind in {"decimal", "integer"}:
            value = value if value not in ("", None) else None
        elif value is None:
            value = ""
        setattr(page, column.page_field, value)
    page.external_id = record["external_id"]
    for column_key in KEY_COLUMNS:
        objects = record.get(f"_{column_key}_objects")
        if objects is None:
            objects = resolve_keys(column_key, record.get(column_key) or [])
        if column_key == "sdg_goals":
            targets = record.get("_sdg_targets_objects")
            if targets is None:
                targets = resolve_keys("sdg_targets", record.get("sdg_targets") or [])
            goal_ids = {goal.pk for goal in objects}
            objects = list(objects) + [target.goal for target in targets
                                       if target.goal_id not in goal_ids]
        getattr(page, column_key).set(objects)


def find_profile(external_id):
    """The existing profile with this external id, in the default language if it has one."""
    from programs.models import ProgramProfilePage

    pages = list(ProgramProfilePage.objects.filter(external_id=external_id)
                 .select_related("locale"))
    if not pages:
        return None
    default = Locale.get_default()
    return next((page for page in pages if page.locale_id == default.pk), pages[0])


@transaction.atomic
def write_profile(record, *, user=None, publish=True, submit=False):
    """Create or update the profile described by ``record`` in every language it has text
    for. ``publish`` publishes each version; ``submit`` starts the moderation workflow
    instead (for people who may not publish). Returns the page in the default language.
    """
    from portal.models import Country
    from programs.models import CountryIndexPage, ProgramProfilePage

    country = Country.objects.filter(iso3=record["country"]).first()
    if country is None:
        raise ProfileError(_("Unknown country: %(code)s.") % {"code": record["country"]})
    default_locale = Locale.get_default()
    existing = find_profile(record["external_id"])
    if existing is not None and existing.country_id != country.pk:
        raise ProfileError(
            _("%(id)s belongs to %(country)s; a profile cannot move to another country.")
            % {"id": record["external_id"], "country": existing.country})
    # Only the languages whose wording (or whose shared facts) changed get a new version.
    languages = record.get("_languages") or set(LANGUAGE_CODES)
    if existing is None:
        parent = CountryIndexPage.objects.filter(country=country, locale=default_locale).first()
        if parent is None:
            from programs.services.structure import ensure_country_pages

            ensure_country_pages(country)
            parent = CountryIndexPage.objects.filter(country=country,
                                                     locale=default_locale).first()
        if parent is None:
            raise ProfileError(_("%(country)s has no programs page yet.") % {"country": country})
        original = ProgramProfilePage(title=record["title_en"], locale=default_locale)
        _set_version_fields(original, record, default_locale.language_code)
        original.slug = _free_slug(parent, record)
        original.live = False
        parent.add_child(instance=original)
        _save_version(original, user=user, publish=publish, submit=submit)
    else:
        original = existing.specific
        if original.locale.language_code in languages:
            draft = original.get_latest_revision_as_object()
            _set_version_fields(draft, record, original.locale.language_code)
            _save_version(draft, user=user, publish=publish, submit=submit)
    for code in LANGUAGE_CODES:
        if code == original.locale.language_code or not record.get(f"title_{code}"):
            continue
        if code not in languages and original.get_translation_or_none(
                Locale.objects.get(language_code=code)) is not None:
            continue
        _write_translation(original, record, code, user=user, publish=publish, submit=submit)
    return ProgramProfilePage.objects.get(pk=original.pk)


def short_slug(text, limit=80):
    """A slug of at most ``limit`` characters, cut between words."""
    from django.utils.text import slugify

    slug = slugify(text or "")
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0]


def _free_slug(parent, record):
    base = short_slug(record.get("title_en") or record["external_id"]) or "program"
    candidate, number = base, 1
    while parent.get_children().filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _write_translation(original, record, language_code, *, user, publish, submit):
    from programs.models import ProgramProfilePage

    locale = Locale.objects.get(language_code=language_code)
    translation = original.get_translation_or_none(locale)
    if translation is None:
        parent = original.get_parent().get_translation_or_none(locale)
        if parent is None:
            return None
        source = original.get_latest_revision_as_object()
        translation = source.copy_for_translation(locale)
        translation = ProgramProfilePage.objects.get(pk=translation.pk)
        slug = short_slug(record[f"title_{language_code}"])
        if slug and not parent.get_children().filter(slug=slug).exists():
            translation.slug = slug
    else:
        translation = translation.specific.get_latest_revision_as_object()
    translation.title = record[f"title_{language_code}"]
    _set_version_fields(translation, record, language_code)
    _save_version(translation, user=user, publish=publish, submit=submit)
    return translation


def _save_version(page, *, user, publish, submit):
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    elif submit:
        workflow = page.get_workflow()
        if workflow is not None and not page.workflow_in_progress:
            workflow.start(page, user)
    return revision
