from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Paths served outside the /en/ and /es/ prefixes whose 404s are final.
UNPREFIXED_PATHS = ("/api/",)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 under /api/ stays a 404.

    Django answers a 404 on an unprefixed path with a redirect to the same path under the
    language prefix whenever that path resolves, and the CMS's catch-all makes every path
    resolve: an API client asking for a missing object would get a redirect to an HTML page.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_PATHS):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class RejectNulCharactersMiddleware:
    """Answers 400, naming the parameter, when a query or form value holds a NUL character.

    No page or API can use one, and PostgreSQL refuses them in text, so letting one through
    would turn a client's typo into a server error on PostgreSQL and a silent miss on SQLite.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offending = _first_nul_parameter(request)
        if offending is not None:
            return _nul_rejection(request, offending)
        return self.get_response(request)


def _first_nul_parameter(request):
    if "\x00" in request.path_info:
        return "path"
    sources = [request.GET]
    # Multipart bodies are left alone: reading them here would fix the upload handlers
    # before the views that change them run.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for values in sources:
        for name, items in values.lists():
            if "\x00" in name or any("\x00" in item for item in items):
                return name.replace("\x00", "\\0")
    return None


def _nul_rejection(request, parameter):
    from django.http import HttpResponseBadRequest, JsonResponse

    message = (f"The parameter '{parameter}' contains a NUL character (\\0), "
               "which no field accepts.")
    if request.path_info.startswith(UNPREFIXED_PATHS):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
