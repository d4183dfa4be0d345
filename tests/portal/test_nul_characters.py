"""A NUL character in a parameter is refused with a message naming the parameter, on every
engine: PostgreSQL cannot store or compare one, so it used to become a server error there."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "parameter"), [
    ("/api/v1/programs/?topic=food%00&limit=4", "topic"),
    ("/api/v1/articulators/?q=fun%00dacion", "q"),
    ("/api/v1/search/?q=agua&country=COL%00", "country"),
])
def test_api_answers_400_naming_the_parameter(client, path, parameter):
    response = client.get(path)

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The parameter '{parameter}' contains a NUL character (\\0), "
                  "which no field accepts."}


def test_pages_answer_400_in_plain_text(client):
    response = client.get("/en/search/?q=%00water")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "'q' contains a NUL character" in response.content.decode()


def test_form_posts_are_checked_too(client):
    response = client.post("/en/account/login/", "email=a%40example.org%00&password=x",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "'email' contains a NUL character" in response.content.decode()


def test_the_same_text_without_nul_is_served(client):
    assert client.get("/api/v1/programs/?topic=food&limit=4").status_code == 200
    assert client.get("/en/search/?q=water").status_code == 200


def test_the_schema_tells_clients_that_nul_is_refused(client):
    schema = client.get("/api/v1/schema/").json()
    parameters = {parameter["name"]: parameter
                  for parameter in schema["paths"]["/api/v1/programs/"]["get"]["parameters"]}

    topic = parameters["topic"]["schema"]
    patterns = [option.get("pattern") for option in topic.get("anyOf", [topic])]
    assert r"^[^\x00]*$" in patterns
