"""Security headers beyond Django's own, and the rate limits of the public entry points."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from ninja.throttling import BaseThrottle

# Wagtail's and Django's admin interfaces rely on inline scripts and styles, and preview pages
# in a same-origin frame. They are for signed-in staff only.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_POLICY_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
}
ADMIN_POLICY_REPLACE = {"frame-ancestors": ["'self'"]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            return PolicyParts(
                config=parts.config,
                update={**ADMIN_POLICY_UPDATE, **(parts.update or {})},
                replace={**ADMIN_POLICY_REPLACE, **(parts.replace or {})},
                nonce=parts.nonce,
            )
        return parts


# -- Rate limits ------------------------------------------------------------------------------
# django-ratelimit counts requests per client address in the "ratelimit" cache; the rates are
# settings.PORTAL_RATE_LIMITS, read at request time so that a deployment's environment (and a
# test's settings) decide them.

def _rate(scope):
    def current(group, request):
        return settings.PORTAL_RATE_LIMITS[scope]

    return current


def rate_limit(scope, method=ratelimit.UNSAFE):
    """Decorator: refuse a client's requests to the view beyond the scope's rate (HTTP 429)."""
    return ratelimit(group=f"portal:{scope}", key="ip", rate=_rate(scope), method=method)


class RateThrottle(BaseThrottle):
    """django-ninja's throttle hook counting with django-ratelimit, so that the API and the
    pages share one mechanism, one cache and one setting."""

    def __init__(self, scope):
        self.scope = scope

    def allow_request(self, request):
        return not is_ratelimited(request, group=f"portal:{self.scope}", key="ip",
                                  rate=_rate(self.scope), method=ratelimit.ALL, increment=True)

    def wait(self):
        return 60


def rate_limit_message():
    return _("Too many requests from your network address. Please wait a moment and try "
             "again.")


def rate_limited(request, exception):
    """The page for a refused request (settings.RATELIMIT_VIEW, via RatelimitMiddleware);
    the API answers with JSON through RateThrottle instead."""
    response = render(request, "429.html", {"message": rate_limit_message()}, status=429)
    # django-ratelimit's windows are at most the rate's period; a minute is a fair first wait.
    response["Retry-After"] = "60"
    return response
