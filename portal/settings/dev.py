"""Local development: what `make run` uses. Safe defaults, nothing to configure."""

from .base import *

DEBUG = env_bool("DEBUG", True)
# A fixed key for local use only; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
