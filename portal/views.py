from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.health import check_health


@never_cache
def health(request):
    """Database, cache, channel layer and search, for load balancers and `make run`'s
    wait: 200 when every component works, 503 naming what does not."""
    states = check_health()
    healthy = all(state.ok for state in states)
    body = {"status": "ok" if healthy else "unhealthy",
            **{state.name: state.as_dict() for state in states}}
    return JsonResponse(body, status=200 if healthy else 503)


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    # API clients get the API's own error shape, also for paths no route matches.
    if _is_api(request):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Server error"}, status=500)
    return render(request, "500.html", status=500)
