"""The programs section of the site tree, kept in step with the member countries.

home -> programs index -> one country page per country, in every language of the site, with
the moderation workflow on the programs index and each country's delegates group holding
page permissions on that country's pages. A country gets its pages when it first needs them:
with its first delegate, its first profile, or when a moderator adds the country. Every
function here is idempotent: it creates what is missing and leaves what exists (and
whatever a moderator changed) alone.
"""

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.accounts.roles import Role, group_for
from portal.services import translate_page

INDEX_WORDING = {
    "en": {"title": "Programs", "slug": "programs",
           "introduction": "Social protection programs described by the countries that run "
                           "them, for other countries to learn from."},
    "es": {"title": "Programas", "slug": "programas",
           "introduction": "Programas de protección social descritos por los países que los "
                           "ejecutan, para que otros países aprendan de ellos."},
}
WORKFLOW_NAME = "Program profile review"
DELEGATE_PAGE_PERMISSIONS = ["add_page", "change_page"]


def _home_page():
    from portal.models import HomePage

    return HomePage.objects.filter(locale=Locale.get_default()).first()


def programs_index_pages():
    from programs.models import ProgramsIndexPage

    return ProgramsIndexPage.objects.all()


@transaction.atomic
def ensure_programs_structure(sender=None, **kwargs):
    """Create the programs index in every language, its workflow, and the translations
    missing from the existing country pages.

    Returns the programs index in the default language, or None while the site has no home
    page yet (a fresh database before the demo or the first setup).
    """
    from programs.models import ProgramsIndexPage

    home = _home_page()
    if home is None:
        return None
    index = ProgramsIndexPage.objects.child_of(home).first()
    if index is None:
        wording = INDEX_WORDING.get(home.locale.language_code, INDEX_WORDING["en"])
        index = ProgramsIndexPage(**wording)
        home.add_child(instance=index)
        index.save_revision().publish()
    for locale in Locale.objects.exclude(pk=index.locale_id):
        if home.get_translation_or_none(locale) is None:
            continue
        wording = INDEX_WORDING.get(locale.language_code)
        if wording is not None:
            translate_page(index, locale.language_code, **wording)
    ensure_profile_workflow()
    from portal.models import Country

    for country in Country.objects.filter(program_pages__isnull=False).distinct():
        ensure_country_pages(country, index=index)
    return index


def ensure_country_pages(country, *, index=None):
    """The country's page in every language the programs index has, and its editors group."""
    from programs.models import CountryIndexPage, ProgramsIndexPage
    from programs.services.delegates import ensure_country_editors_group

    if index is None:
        home = _home_page()
        index = ProgramsIndexPage.objects.child_of(home).first() if home else None
        if index is None:
            return []
    pages = list(CountryIndexPage.objects.filter(country=country))
    original = next((page for page in pages if page.locale_id == index.locale_id), None)
    if original is None:
        original = CountryIndexPage(
            country=country, title=_country_name(country, index.locale.language_code),
            slug=_free_slug(index, slugify(country.name_en) or country.iso3.lower()),
        )
        index.add_child(instance=original)
        original.save_revision().publish()
        pages.append(original)
    present = {page.locale_id for page in pages}
    for translated_index in index.get_translations():
        if translated_index.locale_id in present:
            continue
        code = translated_index.locale.language_code
        pages.append(translate_page(
            original, code, title=_country_name(country, code),
            slug=_free_slug(translated_index, slugify(_country_name(country, code))
                            or country.iso3.lower()),
        ))
    ensure_country_editors_group(country, pages=pages)
    return pages


def _country_name(country, language_code):
    return country.name_es if language_code == "es" and country.name_es else country.name_en


def _free_slug(parent, slug):
    candidate, number = slug, 1
    while parent.get_children().filter(slug=candidate).exists():
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def ensure_profile_workflow():
    """The moderators' approval workflow on every programs index page (unless one was set)."""
    moderators = group_for(Role.MODERATOR)
    task = (GroupApprovalTask.objects.filter(groups=moderators, active=True)
            .order_by("pk").first())
    if task is None:
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.set([moderators])
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in programs_index_pages():
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def grant_page_permissions(group, pages, codenames):
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.filter(content_type__app_label="wagtailcore",
                                            codename__in=codenames)
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page,
                                                      permission=permission)
