# Misty Partner Portal — one image for every process: web (gunicorn), worker and beat (celery), migrate.
# Settings: portal.settings.production, configured only through the environment (see README, "Configuration").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production

# Pango for WeasyPrint (PDF exports), DejaVu for Cyrillic in PDFs, gettext to compile the ru/en catalogs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The project is not a package:
# scripts/deps.py prints the pinned requirements from pyproject.toml.
COPY pyproject.toml ./
COPY scripts/deps.py scripts/deps.py
RUN python scripts/deps.py | xargs pip install

COPY . .

# Build-time only: collectstatic and compilemessages import the production settings, which refuse to load
# without their variables. These dummies live in this RUN alone — they are not in the image's environment
# and nothing is contacted.
RUN SECRET_KEY=build-only-dummy-secret-key-never-used-at-runtime-0123456789abcdef \
    MFA_ENCRYPTION_KEY=YnVpbGQtb25seS1kdW1teS1tZmEta2V5LTAwMDAwMzI= \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    AWS_STORAGE_BUCKET_NAME=build AWS_ACCESS_KEY_ID=build AWS_SECRET_ACCESS_KEY=build \
    EMAIL_HOST=build.invalid PORTAL_BASE_URL=https://build.invalid \
    sh -c 'python manage.py collectstatic --noinput --verbosity 1 \
           && if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then python manage.py compilemessages --verbosity 0; fi'

# A non-root user that owns nothing in /app (the code is read-only to the running processes).
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin portal
USER portal

EXPOSE 8000

# gunicorn 27 would create a control socket under ~/.gunicorn; the home is not writable, so turn it off.
# Heartbeat files go to /dev/shm (tmpfs) so a read-only root filesystem works. Workers: WEB_CONCURRENCY.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--no-control-socket", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--timeout", "60", "--graceful-timeout", "30"]
