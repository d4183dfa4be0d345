"""The whole public API (/api/v1/) against its own OpenAPI schema, on the running server:
schemathesis generates requests from the schema; valid ones must get responses that conform
to it, and no request, valid or not, may cause a server error."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode


def test_the_api_conforms_to_its_schema(live_portal):
    schema = schemathesis.openapi.from_url(f"{live_portal.url}/api/v1/schema/").include(
        path_regex=r"^/api/v1/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {
        "/api/v1/programs/", "/api/v1/programs/{profile_id}/",
        "/api/v1/programs/vocabularies/", "/api/v1/articulators/",
        "/api/v1/articulators/{articulator_id}/", "/api/v1/articulators/statistics/",
        "/api/v1/search/", "/api/v1/search/suggest/"}
    cases = {"positive": 0, "negative": 0}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            cases["positive"] += 1
            case.call_and_validate(base_url=live_portal.url)

        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def never_a_server_error(case):
            cases["negative"] += 1
            case.call_and_validate(base_url=live_portal.url, checks=[not_a_server_error])

        conforms()
        if operation.definition.raw.get("parameters"):  # nothing to get wrong otherwise
            never_a_server_error()
    # The figures quoted in docs/security.md (run with -rP to see them).
    print(f"schemathesis: {len(operations)} operations, {sum(cases.values())} cases "  # noqa: T201
          f"({cases['positive']} valid, {cases['negative']} invalid), 0 server errors")
