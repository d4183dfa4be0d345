"""Settings for the test suite (pytest). DATABASE_URL and REDIS_URL switch the engines."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The browser tests' server writes mail to files (EMAIL_BACKEND and EMAIL_FILE_PATH set by them).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "test-mail"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media"
# Browsers in the browser tests fetch again what a test has just changed.
PUBLIC_PAGE_MAX_AGE = 0

# Several checkouts may run their suites at once against the same PostgreSQL and Redis;
# PORTAL_TEST_SUFFIX keeps their databases, channel groups and cache keys apart.
TEST_SUFFIX = os.environ.get("PORTAL_TEST_SUFFIX", "")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' server process must see the same database.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _name = f"test-{TEST_SUFFIX}-{_worker}" if TEST_SUFFIX else f"test-{_worker}"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{_name}.sqlite3")}

if TEST_SUFFIX and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_SUFFIX}"}
# pytest-xdist workers share the Redis server too.
_REDIS_SCOPE = "-".join(part for part in (TEST_SUFFIX, os.environ.get("PYTEST_XDIST_WORKER"))
                        if part)
if REDIS_URL and _REDIS_SCOPE:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] += f"-{_REDIS_SCOPE}"
    CACHES["default"]["KEY_PREFIX"] += f"-{_REDIS_SCOPE}"

# Rate-limit counters in this process's memory: tests/conftest.py empties them before each
# test (clearing a shared Redis would wipe other processes' data).
CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                       "LOCATION": "ratelimit"}
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]
