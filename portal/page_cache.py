"""Public pages served from the cache (Redis in production) to anonymous visitors.

What is cached: the answer to a GET from a visitor with no session and no pending message
(no session cookie, no `messages` cookie, no Authorization header), outside the admin, the
account pages and the language switch, when that answer is a 200 that sets no cookie, used no
CSRF token and is not marked private or no-store. It is stored as the inner middlewares and
the view produced it; the outer ones (session, language, security headers, CSP) run again on
every answer, so a cached page gets the same headers as a fresh one.

The key holds the host, the full path with its query string, the active language and the
content generation. Any write that can change what a visitor sees (a page published,
unpublished, moved or deleted; a registry entry, library document, workshop, outcome report,
vocabulary, country or site setting saved; the search index written) bumps the generation,
so the next request renders again; entries of older generations simply expire. wagtail-cache
would do this for Wagtail pages but requires Wagtail < 8, and half of the public pages here
are Django views.

Signed-in visitors get `Cache-Control: private` and are never served from, or written to, the
cache; public answers get `Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from portal import after_commit

logger = logging.getLogger(__name__)
GENERATION_KEY = "public-pages:generation"
KEY_PREFIX = "public-page"
# Paths that never come from the cache, whoever asks (after the language prefix, if any).
# The API is left out because its rate limits are counted by the view's throttle, which an
# answer from the cache would skip.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/i18n/", "/healthz", "/documents/", "/api/")
PRIVATE_LOCALISED_PREFIXES = ("/account/",)
CACHE_STATUS_HEADER = "X-Page-Cache"

# Models whose rows no anonymous page shows, written while people browse and work (sessions,
# login throttling, optimiser progress, draft revisions, image renditions made by rendering
# a page): saving them must not empty the cache.
PRIVATE_MODELS = {
    "sessions.session",
    "admin.logentry",
    "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
    "wagtailcore.revision", "wagtailcore.pagelogentry", "wagtailcore.modellogentry",
    "wagtailcore.workflowstate", "wagtailcore.taskstate", "wagtailcore.pagesubscription",
    "wagtailcore.comment", "wagtailcore.commentreply",
    "wagtailimages.rendition", "wagtailadmin.editingsession", "wagtailusers.userprofile",
    "matchmaking.solvejob", "matchmaking.scheduleversion", "matchmaking.round",
    "matchmaking.round_attendees", "matchmaking.request", "matchmaking.requestreminder",
    "matchmaking.nudge", "matchmaking.organiserdigest", "matchmaking.scheduleflag",
    "matchmaking.checkin", "matchmaking.workshopchange",
    # Wagtail's index of which object uses which: rewritten by every draft an editor saves.
    "wagtailcore.referenceindex",
    # The search index's own bookkeeping: an index write already empties the cache itself.
    "search.searchentry", "search.searchfacetvalue", "search.searchword", "search.searchstate",
    "search.searchchange",
}
# Page.save() with only these fields records a draft: the live page does not change.
PAGE_DRAFT_FIELDS = {
    "comments", "wagtail_admin_comments", "latest_revision_created_at", "draft_title",
    "latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by",
}
# A save of only these fields changes no public page: a login, and a workshop's working
# schedule version (organisers' draft; visitors see the published one).
BOOKKEEPING_FIELDS = {"last_login", "current_version"}


def enabled():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) > 0


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Never restart from a small number: entries of an evicted generation must not
        # come back. Nanoseconds since the epoch are larger than any count of bumps.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or evicted: start a new one
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def content_changed(**_ignored):
    """Every cached public page is stale from now on.

    Bumped at once and again after the surrounding transaction commits: a page rendered in
    between from the data before the commit must not stay cached under the new generation.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        after_commit.collect("page-cache-bump", GENERATION_KEY, _bump_after_commit)


def _bump_after_commit(_keys):
    _bump()


def _label(model):
    return model._meta.label_lower


def _on_save(sender, instance, created=False, update_fields=None, raw=False, **_ignored):
    if raw or _label(sender) in PRIVATE_MODELS:
        return
    from wagtail.models import Page

    if isinstance(instance, Page):
        # Drafts and locks change nothing live; publishing is handled by page_published.
        if not instance.live or (update_fields and set(update_fields) <= PAGE_DRAFT_FIELDS):
            return
    elif update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    _changed_by("saved", sender)


def _on_delete(sender, instance, **_ignored):
    if _label(sender) not in PRIVATE_MODELS:
        _changed_by("deleted", sender)


def _on_m2m(sender, action, **_ignored):
    if action.startswith("post_") and _label(sender) not in PRIVATE_MODELS:
        _changed_by(action, sender)


def _changed_by(what, model):
    # The log tells an operator which writes keep emptying the cache (a low hit rate).
    logger.debug("public pages stale: %s %s", _label(model), what)
    content_changed()


def connect_signals():
    from wagtail.signals import (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    post_save.connect(_on_save, dispatch_uid="portal.page_cache.save")
    post_delete.connect(_on_delete, dispatch_uid="portal.page_cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="portal.page_cache.m2m")
    for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
        signal.connect(content_changed, dispatch_uid=f"portal.page_cache.{id(signal)}")


def _path_without_language(path):
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1:]
    return path


def _anonymous_get(request):
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path_info
    return not (path.startswith(PRIVATE_PREFIXES)
                or _path_without_language(path).startswith(PRIVATE_LOCALISED_PREFIXES))


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:  # the view kept something for this visitor
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    control = response.get("Cache-Control", "").lower()
    return "private" not in control and "no-store" not in control and "no-cache" not in control


def _key(request):
    # The address is hashed: query strings have no length limit, cache keys do (memcached's
    # 250 characters, and Redis memory).
    address = hashlib.sha256(
        f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return ":".join([KEY_PREFIX, str(generation()), translation.get_language() or "", address])


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache; see the module's docstring.

    Sits after the session and language middlewares (so that the active language is known)
    and before CSRF, authentication and messages (whose work a cached page skips).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not _anonymous_get(request):
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                patch_cache_control(response, private=True)
            return response
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[CACHE_STATUS_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        patch_cache_control(response, public=True,
                            max_age=getattr(settings, "PUBLIC_PAGE_MAX_AGE", 0))
        if hasattr(response, "render") and callable(response.render):
            response.render()
        response[CACHE_STATUS_HEADER] = "miss"
        cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response
