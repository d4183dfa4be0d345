"""What the search index holds, and the registry through which content types contribute it.

Each content type registers ONE function that turns an object into its search document(s),
plus a predicate saying whether the object may be shown to the public at all. The registry
connects the signals that keep the index in step (`search.signals`) and feeds
`rebuild_search_index`. An app registers its types in a module named `search_documents.py`,
imported when Django starts:

    from search.documents import SearchDocument, register

    @register("program", model=ProgramProfile, label=_("Program profile"),
              is_public=lambda page: page.live)
    def program_document(page):
        return SearchDocument(title=page.title, url=page.url, language="en", body=...,
                              facets={"country": [page.country.iso3]})

Only what the function puts in the document reaches the index: private fields (contacts,
emails) are simply never copied into it.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

# Facets every document carries without its function naming them.
AUTOMATIC_FACETS = ("content_type", "language")


@dataclass
class SearchDocument:
    title: str
    url: str
    language: str
    body: str = ""
    summary: str = ""
    date: datetime.date | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    # Filled in by the registry from the registered type and the object.
    content_type: str = ""
    object_id: str = ""

    @property
    def key(self):
        return f"{self.content_type}:{self.object_id}:{self.language}"

    def facet_values(self):
        """Every (facet, value) pair, the automatic ones included, without duplicates."""
        pairs = {("content_type", self.content_type), ("language", self.language)}
        for facet, values in self.facets.items():
            if isinstance(values, str | int):
                values = [values]
            for value in values or ():
                if value is not None and str(value) != "":
                    pairs.add((facet, str(value)))
        return sorted(pairs)


@dataclass(frozen=True)
class IndexedType:
    name: str
    label: str
    model: type
    to_documents: Callable
    is_public: Callable
    queryset: Callable

    def documents_for(self, obj):
        """The documents of one object: none when it is not public."""
        if not self.is_public(obj):
            return []
        produced = self.to_documents(obj)
        if produced is None:
            return []
        if isinstance(produced, SearchDocument):
            produced = [produced]
        documents = []
        for document in produced:
            document.content_type = self.name
            document.object_id = str(obj.pk)
            documents.append(document)
        return documents

    @property
    def models(self):
        return self.model if isinstance(self.model, tuple) else (self.model,)

    def all_objects(self):
        return self.queryset()


_registry: dict[str, IndexedType] = {}


def register(name, *, model, label, is_public, queryset=None):
    """Decorator: register `function(obj) -> SearchDocument | list | None` for `model` (a
    model, or a tuple of models sharing one content type, which then needs `queryset`)."""
    if isinstance(model, tuple) and queryset is None:
        raise ValueError("A content type over several models needs a queryset.")

    def decorator(function):
        if name in _registry and _registry[name].to_documents is not function:
            raise ValueError(f"Search content type {name!r} is registered twice.")
        _registry[name] = IndexedType(
            name=name,
            label=label,
            model=model,
            to_documents=function,
            is_public=is_public,
            queryset=queryset or (lambda: model._default_manager.all()),
        )
        from search import signals

        for each_model in _registry[name].models:
            signals.connect(each_model)
        return function

    return decorator


def registered_types():
    return dict(_registry)


def indexed_type(name):
    return _registry.get(name)


def types_for_model(model):
    """The registered types whose model is `model` or one of its parents or children."""
    return [
        indexed for indexed in _registry.values()
        if any(issubclass(model, each) or issubclass(each, model) for each in indexed.models)
    ]


def type_for_object(obj):
    for indexed in _registry.values():
        if isinstance(obj, indexed.model):
            return indexed
    return None


def iter_documents(type_names=None) -> Iterable[SearchDocument]:
    """Every public document of the registered types (all types when `type_names` is None)."""
    for name, indexed in _registry.items():
        if type_names is not None and name not in type_names:
            continue
        for obj in indexed.all_objects().iterator(chunk_size=500):
            yield from indexed.documents_for(obj)


def count_objects(type_names=None):
    return sum(
        indexed.all_objects().count()
        for name, indexed in _registry.items()
        if type_names is None or name in type_names
    )


def autodiscover():
    """Import every installed app's `search_documents` module, where types are registered."""
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "search_documents"):
            import_module(f"{app_config.name}.search_documents")
