from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """Liveness and database reachability, for load balancers and `make run`'s wait."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:
        database = f"error: {error.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)


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
