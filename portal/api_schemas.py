"""Schemas every router of /api/v1/ shares, so that a country or a vocabulary term reads the
same wherever it appears (and the OpenAPI schema has one component per name)."""

from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import StringConstraints

# A query value as the API takes it: any text but the NUL character, which no field can hold
# (PostgreSQL refuses it; RejectNulCharactersMiddleware answers 400 first). Declaring it here
# puts the rule in the OpenAPI schema, so clients and schema-driven tests know it.
QueryText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class LocalizedText(Schema):
    en: str | None = None
    es: str | None = None


class Term(Schema):
    """An entry of a vocabulary, by its stable key, with both wordings."""

    key: str
    name: LocalizedText

    @staticmethod
    def resolve_name(term):
        return bilingual(term, "name")


class CountryOut(Schema):
    iso3: str
    name: LocalizedText

    @staticmethod
    def resolve_name(country):
        return bilingual(country, "name")


def bilingual(obj, field):
    """{"en": ..., "es": ...} from a model's `<field>_en` and `<field>_es`, or from a dict."""
    if isinstance(obj, dict):
        return obj[field]
    return {"en": getattr(obj, f"{field}_en"), "es": getattr(obj, f"{field}_es")}


class Message(Schema):
    detail: str


class BoundedPageNumberPagination(PageNumberPagination):
    """Ninja's page-number pagination with upper bounds: an unbounded page number reaches
    the database as an offset beyond its integers (a server error, not an empty page)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
        page_size: int | None = Field(None, ge=1, le=200,
                                      description="Items per page, at most 200.")
