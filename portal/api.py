"""The open read API, /api/v1/, with its OpenAPI schema at /api/v1/schema/.

One NinjaAPI instance; each app contributes a router from its own `api` module.
"""

from ninja import NinjaAPI
from ninja.errors import Throttled

from portal.security import RateThrottle, rate_limit_message

api = NinjaAPI(
    title="Social Protection Cooperation Portal API",
    version="1",
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    description="Published program profiles, the ecosystem registry and discovery search. "
    "Read-only and public: drafts, pending entries and private contacts never appear. "
    "Requests are limited per client address; beyond the limit the answer is 429.",
    throttle=[RateThrottle("api")],
)


@api.exception_handler(Throttled)
def too_many_requests(request, exception):
    return api.create_response(request, {"detail": rate_limit_message()}, status=429)


# Each app contributes its routers.
from programs.api.articulators import router as articulators_router  # noqa: E402
from programs.api.profiles import router as program_profiles_router  # noqa: E402
from search.api import router as search_router  # noqa: E402

api.add_router("/programs/", program_profiles_router)
api.add_router("/articulators/", articulators_router)
api.add_router("/search/", search_router, throttle=[RateThrottle("search_api")])
