"""The programs app's content types in the discovery search; importing registers them."""

from . import profiles, registry  # noqa: F401
