"""The discovery search backend named by `settings.PORTAL_SEARCH["BACKEND"]`.

    from search.backends import get_backend
    results = get_backend().query("pensiones", filters={"country": ["COL"]}, facets=["topic"])
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

_backend = None


def load_backend(config=None):
    config = dict(config or settings.PORTAL_SEARCH)
    backend_class = import_string(config.pop("BACKEND"))
    return backend_class(**{key.lower(): value for key, value in config.items()})


def get_backend():
    global _backend
    if _backend is None:
        _backend = load_backend()
    return _backend


def _forget_backend(*, setting, **kwargs):
    global _backend
    if setting == "PORTAL_SEARCH":
        _backend = None


setting_changed.connect(_forget_backend)
