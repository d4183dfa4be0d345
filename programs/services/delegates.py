"""Country delegates edit their own country's profiles through one group per country.

The group ("Country delegates: Colombia") holds Wagtail page permissions on the country's
page in every language; a person is in it exactly while they hold the Country delegate role
with that country. Invitation acceptance, the user admin and the demo call
``sync_country_delegate_groups`` after changing a person's role or country.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from portal.accounts.roles import Role, user_has_role


def _group_name(country):
    return f"Country delegates: {country.name_en}"[:150]


@transaction.atomic
def ensure_country_editors_group(country, *, pages=None):
    """The country's editors group, with add and change rights on its pages."""
    from programs.models import CountryEditorsGroup, CountryIndexPage
    from programs.services.structure import DELEGATE_PAGE_PERMISSIONS, grant_page_permissions

    link = CountryEditorsGroup.objects.select_related("group").filter(country=country).first()
    if link is None:
        group, _created = Group.objects.get_or_create(name=_group_name(country))
        link = CountryEditorsGroup.objects.create(country=country, group=group)
    if pages is None:
        pages = CountryIndexPage.objects.filter(country=country)
    grant_page_permissions(link.group, pages, DELEGATE_PAGE_PERMISSIONS)
    return link.group


@transaction.atomic
def sync_country_delegate_groups(user):
    """Put ``user`` in their country's editors group if they are its delegate, and take them
    out of every other country's. Returns the group they are in, or None."""
    from programs.models import CountryEditorsGroup
    from programs.services.structure import ensure_country_pages

    wanted = None
    if user.is_active and user.country_id and user_has_role(user, Role.COUNTRY_DELEGATE):
        # The delegate's country needs its pages for the group's rights to mean anything.
        ensure_country_pages(user.country)
        wanted = ensure_country_editors_group(user.country)
    country_groups = Group.objects.filter(
        pk__in=CountryEditorsGroup.objects.values("group_id"))
    if wanted is not None:
        country_groups = country_groups.exclude(pk=wanted.pk)
    user.groups.remove(*country_groups)
    if wanted is not None:
        user.groups.add(wanted)
    return wanted


def sync_all_country_delegates(sender=None, **kwargs):
    """After ``migrate``: bring every delegate's country group up to date."""
    from django.contrib.auth import get_user_model

    from portal.accounts.roles import GROUP_NAMES

    delegates = get_user_model().objects.filter(
        groups__name=GROUP_NAMES[Role.COUNTRY_DELEGATE]).select_related("country")
    for user in delegates:
        sync_country_delegate_groups(user)
