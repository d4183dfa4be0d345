from django.apps import AppConfig


class SearchBenchConfig(AppConfig):
    """Installed only by search.bench.settings: the stock-search baseline's model."""

    name = "search.bench"
    label = "search_bench"
    default_auto_field = "django.db.models.BigAutoField"
