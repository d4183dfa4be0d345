from wagtail.models import Locale

from programs.models import ProgramsIndexPage


def programs_index_url():
    """The live programs index in the active language (or the default one), or None."""
    pages = ProgramsIndexPage.objects.live().select_related("locale")
    try:
        active = Locale.get_active()
    except Locale.DoesNotExist:
        active = None
    page = (pages.filter(locale=active).first() if active else None) or pages.filter(
        locale=Locale.get_default()).first()
    return page.url if page is not None else None
