"""Keep the index in step with the content, after the transaction commits.

Saving or deleting a registered object schedules, with `transaction.on_commit`, a sync that
reloads the object and writes exactly its public documents (none when it is a draft, is
unpublished, pending, rejected or gone). A rolled-back save schedules nothing. For pages,
moves and view restrictions re-sync the whole subtree, since URLs and visibility are
inherited.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal import after_commit

logger = logging.getLogger(__name__)
_connected = set()


def connect(model):
    """Called by `search.documents.register` for each registered model."""
    from wagtail.models import Page

    senders = [model]
    if issubclass(model, Page):
        # Wagtail saves and deletes pages through the base class too (unpublish, tree deletes).
        senders.append(Page)
    for sender in senders:
        if sender in _connected:
            continue
        _connected.add(sender)
        post_save.connect(_saved, sender=sender, dispatch_uid=f"search-save-{sender._meta.label}")
        post_delete.connect(_deleted, sender=sender,
                            dispatch_uid=f"search-delete-{sender._meta.label}")


def _types_of(instance):
    from wagtail.models import Page

    from search.documents import type_for_object, types_for_model

    if isinstance(instance, Page) and type(instance) is Page:
        specific_class = instance.specific_class
        return types_for_model(specific_class) if specific_class else []
    found = type_for_object(instance)
    return [found] if found else []


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    from wagtail.models import Page

    from portal.page_cache import PAGE_DRAFT_FIELDS

    if isinstance(instance, Page) and update_fields and set(update_fields) <= PAGE_DRAFT_FIELDS:
        return  # a draft saved or a lock taken: the live page, all the index holds, is as it was
    for indexed in _types_of(instance):
        schedule_sync(indexed.name, instance.pk)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    from search.documents import registered_types

    if isinstance(instance, Page):
        # After deletion the specific class may be unknown: clear the id from every page type.
        names = [name for name, indexed in registered_types().items()
                 if any(issubclass(model, Page) for model in indexed.models)]
    else:
        names = [indexed.name for indexed in _types_of(instance)]
    for name in names:
        transaction.on_commit(partial(remove_object, name, instance.pk), robust=True)


def schedule_sync(type_name, pk):
    # A publish saves the same page several times: one sync per object after the commit.
    after_commit.collect("search-sync", (type_name, pk), _sync_objects)


def _sync_objects(keys):
    for type_name, pk in sorted(keys, key=str):
        try:
            _write_documents(type_name, pk)
        except Exception:
            # As a robust on_commit callback per object did: one object that cannot be
            # indexed (a broken document, the server down) leaves the others indexed.
            logger.exception("search: could not index %s %s", type_name, pk)
    _search_results_changed()


def sync_object(type_name, pk):
    """Write exactly the current public documents of one object to the index."""
    _write_documents(type_name, pk)
    _search_results_changed()


def _write_documents(type_name, pk):
    from search.backends import get_backend
    from search.documents import indexed_type

    indexed = indexed_type(type_name)
    if indexed is None:
        return
    obj = indexed.all_objects().filter(pk=pk).first()
    documents = indexed.documents_for(obj) if obj is not None else []
    get_backend().replace(type_name, pk, documents)


def remove_object(type_name, pk):
    from search.backends import get_backend

    get_backend().remove(type_name, [pk])
    _search_results_changed()


def _search_results_changed():
    # Cached search pages were rendered from the index as it was before this write.
    from portal.page_cache import content_changed

    content_changed()


def sync_page_tree(page):
    """Re-sync a page and its descendants (after a move or a change of view restriction)."""
    from wagtail.models import Page

    from search.documents import registered_types

    page_types = {model: name for name, indexed in registered_types().items()
                  for model in indexed.models if issubclass(model, Page)}
    if not page_types:
        return
    tree = Page.objects.filter(path__startswith=page.path).select_related("content_type")
    for node in tree.iterator():
        specific_class = node.specific_class
        for model, name in page_types.items():
            if specific_class is not None and issubclass(specific_class, model):
                schedule_sync(name, node.pk)


def _page_moved(sender, instance, **kwargs):
    sync_page_tree(instance)


def _view_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_page_tree(page)


def connect_page_signals():
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_slug_changed, post_page_move

    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_page_moved, dispatch_uid="search-page-slug-changed")
    post_save.connect(_view_restriction_changed, sender=PageViewRestriction,
                      dispatch_uid="search-restriction-saved")
    post_delete.connect(_view_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="search-restriction-deleted")
