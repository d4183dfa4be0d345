"""The programs app's content types in the discovery search; importing registers them."""

from . import library, profiles, registry  # noqa: F401
