"""Tables of the database search backend.

`SearchEntry` holds what a hit shows (title, URL, the original text for snippets);
`SearchFacetValue` one row per (document, facet, value) for counting; `SearchWord` the
vocabulary behind "did you mean". The full-text index itself is database specific and
created by migration 0002: an FTS5 table `search_fts` on SQLite, a `search_pgvector` table
with a GIN-indexed tsvector on PostgreSQL. Rows are written only by
`search.backends.database`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    content_type = models.CharField(_("content type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=64)
    language = models.CharField(_("language"), max_length=12)
    title = models.TextField(_("title"))
    # The folded words of the title, to rank an exact title match first.
    title_key = models.CharField(max_length=255, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("URL"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    # `date`, or a date before any real one, so that undated entries sort last.
    sort_date = models.DateField(db_index=True)
    facets = models.JSONField(_("facets"), default=dict)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="search_entry_object")]

    def __str__(self):
        return self.key


class SearchFacetValue(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="search_facet_value"),
            models.Index(fields=["entry", "facet", "value"], name="search_facet_entry"),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchWord(models.Model):
    """A folded word seen in indexed titles and text, with how often it was seen."""

    word = models.CharField(max_length=40, primary_key=True)
    frequency = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.word


class SearchState(models.Model):
    """The index's version, read by every query so that each process can tell whether its
    in-memory facet data is current. Every write transaction bumps `generation`, draws a new
    `token` and logs the entries it touched in `SearchChange`; a full rebuild or clear also
    draws a new `epoch`. A rolled-back write restores the old row, so a process that saw the
    uncommitted version notices that its (generation, token) no longer exists."""

    token = models.CharField(max_length=32)
    generation = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32, default="")

    def __str__(self):
        return f"{self.epoch}:{self.generation}:{self.token}"


class SearchChange(models.Model):
    """The entry ids one committed write transaction removed or added, so that a process
    catches up by reloading those entries instead of every facet row. Old rows are pruned
    by the writers; a process further behind reloads everything."""

    generation = models.BigIntegerField(unique=True)
    token = models.CharField(max_length=32)
    entry_ids = models.JSONField(default=list)

    def __str__(self):
        return f"{self.generation}:{self.token}"
