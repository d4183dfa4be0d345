from wagtail.models import Locale, Site

from portal.navigation import section_links


def site_navigation(request):
    """Main navigation: the home page's menu pages in the active language, then app sections."""
    site = Site.find_for_request(request)
    menu_pages = []
    home = None
    if site is not None:
        home = site.root_page.specific
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            locale = None
        if locale is not None and home.locale_id != locale.pk:
            home = home.get_translation_or_none(locale) or home
        menu_pages = home.get_children().live().in_menu().specific()
    return {"nav_home": home, "nav_pages": menu_pages, "nav_sections": section_links()}
