from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views
from portal.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", views.health, name="health"),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("account/", include("portal.accounts.urls")),
    path("programs/", include("programs.urls")),
    path("search/", include("search.urls")),
    path("workshops/", include("matchmaking.urls")),
    # Wagtail serves every other path as a CMS page, so it comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
