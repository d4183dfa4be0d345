"""portal.after_commit: one flush per transaction with every item asked for, none after a
rollback, and nothing lost when a savepoint that started a batch is rolled back."""

import pytest
from django.db import transaction

from portal import after_commit


class Flushes(list):
    def __call__(self, items):
        self.append(sorted(items))


@pytest.mark.django_db
def test_items_asked_for_in_one_transaction_are_flushed_once_after_it_commits(
        django_capture_on_commit_callbacks):
    flushes = Flushes()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for item in ("page-1", "page-2", "page-1", "page-1"):
            after_commit.collect("test", item, flushes)
        assert flushes == []
    assert len(callbacks) == 1
    assert flushes == [["page-1", "page-2"]]


@pytest.mark.django_db
def test_a_rolled_back_transaction_flushes_nothing(django_capture_on_commit_callbacks):
    flushes = Flushes()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        after_commit.collect("test", "page-1", flushes)
        raise RuntimeError("refused")
    assert (callbacks, flushes) == ([], [])


@pytest.mark.django_db
def test_a_batch_begun_in_a_rolled_back_savepoint_does_not_swallow_later_items(
        django_capture_on_commit_callbacks):
    flushes = Flushes()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            after_commit.collect("test", "page-1", flushes)
            raise RuntimeError("refused")
        after_commit.collect("test", "page-2", flushes)
        after_commit.collect("test", "page-3", flushes)
    assert flushes == [["page-2", "page-3"]]


@pytest.mark.django_db
def test_batches_of_different_names_flush_separately(django_capture_on_commit_callbacks):
    pages, documents = Flushes(), Flushes()
    with django_capture_on_commit_callbacks(execute=True):
        after_commit.collect("pages", 1, pages)
        after_commit.collect("documents", 1, documents)
        after_commit.collect("pages", 2, pages)
    assert (pages, documents) == ([[1, 2]], [[1]])


def test_outside_a_transaction_the_flush_runs_at_once():
    """No database access: outside an atomic block there is nothing to wait for."""
    flushes = Flushes()
    after_commit.collect("test", "page-1", flushes)
    assert flushes == [["page-1"]]
