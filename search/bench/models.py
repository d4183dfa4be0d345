from django.db import models
from wagtail.search import index


class BenchRecord(index.Indexed, models.Model):
    """The benchmark's documents as a model, so that Wagtail's stock search can index them."""

    title = models.CharField(max_length=300)
    body = models.TextField()
    language = models.CharField(max_length=2)
    country = models.CharField(max_length=3)
    topic = models.CharField(max_length=60)
    target_population = models.CharField(max_length=60)

    search_fields = [
        index.SearchField("title", boost=10),
        index.SearchField("body"),
        index.FilterField("country"),
        index.FilterField("topic"),
        index.FilterField("target_population"),
        index.FilterField("language"),
    ]

    class Meta:
        app_label = "search_bench"

    def __str__(self):
        return self.title
