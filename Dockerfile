# The portal as one image: Daphne serving ASGI (pages, API, WebSockets) with static files
# compressed by WhiteNoise. Run several containers of it behind the reverse proxy in
# deploy/nginx.conf; see docs/deploy.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORTAL_VAR_DIR=/app/var

# gettext compiles the translations; Pango and fonts render PDFs (WeasyPrint).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir ".[s3]"
COPY . .

# Static files and translations are built into the image; the settings refuse to load
# without a real SECRET_KEY, so the build passes a throwaway one that is never used to serve.
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
       ALLOWED_HOSTS=build.invalid python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app portal \
    && mkdir -p /app/var/media && chown -R portal /app/var

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --retries=3 \
    CMD python manage.py healthcheck database cache channel_layer || exit 1
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "portal.asgi:application"]
