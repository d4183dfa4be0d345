"""Settings of the benchmark's child processes: the project's, plus the baseline's model."""

from portal.settings.base import *  # noqa: F403

SECRET_KEY = "bench-only-key"  # noqa: S105
DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "search.bench.apps.SearchBenchConfig"]  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": True}
