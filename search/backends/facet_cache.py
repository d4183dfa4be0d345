"""What the database backend keeps in memory: which entries are live, their sort dates and
their facet values, as NumPy arrays.

Counting facet values with SQL means visiting every (document, facet, value) row of the
matched set: tens of milliseconds once a query matches tens of thousands of documents. Each
process instead counts with one vectorised pass per facet over a `FacetData` snapshot, and
sorts by date the same way.

Snapshots are immutable and versioned by the index's `IndexVersion` (see
`search.models.SearchState`). When another process writes, the next query catches up from
the change log: only the entries that write touched are reloaded (milliseconds), instead of
every facet row (seconds at 50,000 documents). A rebuild, a gap in the log or a version that
was rolled back makes it reload everything.
"""

import threading
from dataclasses import dataclass

import numpy as np

# Beyond this share of the index changed, reloading everything is as cheap as catching up.
CATCH_UP_SHARE = 0.2


@dataclass(frozen=True)
class IndexVersion:
    epoch: str
    generation: int
    token: str


NO_VERSION = IndexVersion(epoch="", generation=0, token="")


class _Facet:
    """One facet's rows: parallel arrays of entry ids and value codes, plus the code table."""

    __slots__ = ("codes", "entries", "index", "names")

    def __init__(self, entries, codes, names, index):
        self.entries, self.codes, self.names, self.index = entries, codes, names, index

    @classmethod
    def from_rows(cls, entries, values):
        names, index, codes = [], {}, []
        for value in values:
            code = index.get(value)
            if code is None:
                code = index[value] = len(names)
                names.append(value)
            codes.append(code)
        return cls(np.asarray(entries, dtype=np.int64), np.asarray(codes, dtype=np.int32),
                   names, index)

    def without(self, entry_ids):
        keep = ~np.isin(self.entries, entry_ids)
        return _Facet(self.entries[keep], self.codes[keep], list(self.names), dict(self.index))

    def extended(self, entries, values):
        codes = []
        for value in values:
            code = self.index.get(value)
            if code is None:
                code = self.index[value] = len(self.names)
                self.names.append(value)
            codes.append(code)
        self.entries = np.concatenate([self.entries, np.asarray(entries, dtype=np.int64)])
        self.codes = np.concatenate([self.codes, np.asarray(codes, dtype=np.int32)])
        return self


def _group_by_facet(facet_rows, size):
    grouped = {}
    for entry_id, facet, value in facet_rows:
        if entry_id < size:
            entries, values = grouped.setdefault(facet, ([], []))
            entries.append(entry_id)
            values.append(value)
    return grouped


class FacetData:
    """An immutable snapshot of the index's live entries, sort keys and facet rows."""

    def __init__(self, version, live, sort_keys, facets):
        self.version = version
        self.live = live
        self.sort_keys = sort_keys
        self.facets = facets

    @property
    def size(self):
        return self.live.shape[0]

    @classmethod
    def build(cls, version, entry_rows, facet_rows):
        """From (entry id, sort key) rows and (entry id, facet, value) rows."""
        size = max((entry_id for entry_id, _ in entry_rows), default=0) + 1
        live = np.zeros(size, dtype=bool)
        sort_keys = np.zeros(size, dtype=np.int64)
        for entry_id, sort_key in entry_rows:
            live[entry_id] = True
            sort_keys[entry_id] = sort_key
        facets = {facet: _Facet.from_rows(entries, values)
                  for facet, (entries, values) in _group_by_facet(facet_rows, size).items()}
        return cls(version, live, sort_keys, facets)

    def updated(self, version, changed_ids, entry_rows, facet_rows):
        """A new snapshot in which the `changed_ids` hold exactly the given rows (none for a
        removed entry)."""
        changed = np.asarray(sorted(changed_ids), dtype=np.int64)
        size = max(self.size, max((entry_id for entry_id, _ in entry_rows), default=0) + 1)
        live = np.zeros(size, dtype=bool)
        live[: self.size] = self.live
        sort_keys = np.zeros(size, dtype=np.int64)
        sort_keys[: self.size] = self.sort_keys
        live[changed[changed < size]] = False
        for entry_id, sort_key in entry_rows:
            live[entry_id] = True
            sort_keys[entry_id] = sort_key
        facets = {facet: data.without(changed) for facet, data in self.facets.items()}
        for facet, (entries, values) in _group_by_facet(facet_rows, size).items():
            if facet in facets:
                facets[facet].extended(entries, values)
            else:
                facets[facet] = _Facet.from_rows(entries, values)
        return FacetData(version, live, sort_keys, facets)

    def mask_of_ids(self, ids):
        """The live entries among `ids` (a NumPy array or a sequence)."""
        mask = np.zeros(self.size, dtype=bool)
        array = np.asarray(ids, dtype=np.int64)
        if array.size:
            mask[array[(array >= 0) & (array < self.size)]] = True
        return mask & self.live

    def mask_of_values(self, facet, values):
        mask = np.zeros(self.size, dtype=bool)
        data = self.facets.get(facet)
        if data is None:
            return mask
        wanted = [data.index[value] for value in values if value in data.index]
        if wanted:
            mask[data.entries[np.isin(data.codes, wanted)]] = True
        return mask

    def counts(self, facet, mask):
        data = self.facets.get(facet)
        if data is None:
            return {}
        tally = np.bincount(data.codes[mask[data.entries]], minlength=len(data.names))
        return {data.names[code]: int(tally[code]) for code in np.flatnonzero(tally)}

    def page_by_date(self, mask, offset, limit):
        """Entry ids of `mask`, newest first (then highest id first), from `offset`."""
        ids = np.flatnonzero(mask)
        order = np.lexsort((-ids, -self.sort_keys[ids]))
        return ids[order[offset:offset + limit]].tolist()


class FacetCache:
    """The current `FacetData` per database alias.

    `source` gives `everything()` -> (entry rows, facet rows), `changes_since(generation)` ->
    [(generation, token, entry ids)] ordered by generation, and `rows_of(ids)` -> (entry
    rows, facet rows)."""

    def __init__(self):
        self._data = {}
        self._lock = threading.Lock()
        self.full_loads = 0
        self.catch_ups = 0

    def get(self, alias, version, source):
        data = self._data.get(alias)
        if data is not None and data.version == version:
            return data
        with self._lock:
            data = self._data.get(alias)
            if data is not None and data.version == version:
                return data
            fresh = self._caught_up(data, version, source) if data is not None else None
            if fresh is None:
                fresh = FacetData.build(version, *source.everything())
                self.full_loads += 1
            else:
                self.catch_ups += 1
            self._data[alias] = fresh
            return fresh

    def forget(self, alias):
        with self._lock:
            self._data.pop(alias, None)

    @staticmethod
    def _caught_up(data, version, source):
        held = data.version
        if (not version.epoch or held.epoch != version.epoch
                or held.generation >= version.generation):
            return None
        log = [row for row in source.changes_since(held.generation)
               if row[0] <= version.generation]
        generations = [generation for generation, _token, _ids in log]
        if generations != list(range(held.generation, version.generation + 1)):
            return None  # pruned, or a generation we saw was rolled back and reused
        if log[0][1] != held.token or log[-1][1] != version.token:
            return None
        changed = {entry_id for _generation, _token, ids in log[1:] for entry_id in ids}
        if len(changed) > max(1000, CATCH_UP_SHARE * data.size):
            return None
        entry_rows, facet_rows = source.rows_of(sorted(changed)) if changed else ([], [])
        return data.updated(version, changed, entry_rows, facet_rows)


class RecentMatches:
    """The entries matching the most recent query texts, per index version.

    People refine a search by clicking facets, paging and re-sorting: the text stays the same
    and only the in-memory filters change, so its matches (the database's part of the work)
    are kept for the next request. Any write makes a new version, which empties the cache."""

    def __init__(self, size=128):
        self.size = size
        self._version = {}
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, alias, version, key, compute):
        if self.size <= 0:
            return compute()
        with self._lock:
            if self._version.get(alias) == version and (alias, key) in self._entries:
                value = self._entries.pop((alias, key))
                self._entries[(alias, key)] = value  # most recently used last
                return value
        value = compute()
        with self._lock:
            if self._version.get(alias) != version:
                self._version[alias] = version
                for stale in [entry for entry in self._entries if entry[0] == alias]:
                    del self._entries[stale]
            self._entries[(alias, key)] = value
            while len(self._entries) > self.size:
                del self._entries[next(iter(self._entries))]
        return value
