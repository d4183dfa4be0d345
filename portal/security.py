"""Security headers beyond Django's own."""

from csp.middleware import CSPMiddleware, PolicyParts

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
