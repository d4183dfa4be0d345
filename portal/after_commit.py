"""Work done once after the transaction commits, however many writes in it asked for it.

Publishing a page saves it several times (the page, its revision, its translations' sync),
and loading the demo data writes thousands of rows: each save asking for a search sync or a
page-cache bump would repeat the same work per save. `collect` gathers the items asked for
in one transaction and calls the flush once, after the commit, with all of them; a rolled
back transaction calls nothing, as `transaction.on_commit` promises.

In tests that run commit hooks with `captureOnCommitCallbacks`, an item joins a batch queued
earlier in the same (never committed) transaction: capture around all of the writes whose
hooks the test needs to see run.
"""

from django.db import transaction

_STATE = "_portal_after_commit"


def collect(name, item, flush):
    """Calls `flush(items)` after the current transaction commits (at once outside one), with
    `item` among the items collected under `name` since the transaction began."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        flush({item})
        return
    batches = connection.__dict__.setdefault(_STATE, {})
    batch = batches.get(name)
    if batch is None or not _still_queued(connection, batch):
        # A rollback to a savepoint drops the callbacks queued inside it: start a new batch
        # rather than add to one that will never run. Two batches only repeat some work.
        batch = {"items": set(), "index": len(connection.run_on_commit)}
        batch["callback"] = _flusher(batches, name, batch, flush)
        batches[name] = batch
        transaction.on_commit(batch["callback"], robust=True)
    batch["items"].add(item)


def _still_queued(connection, batch):
    queued = connection.run_on_commit
    index = batch["index"]
    return index < len(queued) and queued[index][1] is batch["callback"]


def _flusher(batches, name, batch, flush):
    def run():
        if batches.get(name) is batch:
            del batches[name]
        flush(batch["items"])

    return run
