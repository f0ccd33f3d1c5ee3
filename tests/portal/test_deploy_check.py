"""Production settings: Django's deploy checklist passes, and every secret or address without which the
portal cannot run has no default — a missing one stops the process at start-up.

Each test runs `manage.py` in a subprocess with DJANGO_SETTINGS_MODULE=portal.settings.production and a
fake but complete environment (the same values as `make check-deploy`); nothing listens at the addresses.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_DIR = REPO_ROOT / "portal" / "settings"
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']([^\n]*)""")


def env_vars_read(settings_file: str) -> dict[str, bool]:
    """{NAME: has_default} for every `env.<type>("NAME", ...)` call in one settings module."""
    found = {}
    for name, rest in ENV_READ.findall((SETTINGS_DIR / settings_file).read_text()):
        found[name] = found.get(name, False) or "default=" in rest
    return found


def production_env_vars() -> dict[str, bool]:
    """Every variable production reads (its own and those of base), and whether it has a default."""
    return {**env_vars_read("base.py"), **env_vars_read("production.py")}


REQUIRED_IN_PRODUCTION = sorted(name for name, has_default in production_env_vars().items() if not has_default)

FAKE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "check-deploy-test-a-long-random-looking-secret-value-xyz-0123456789",
    "MFA_ENCRYPTION_KEY": "Y2hlY2stZGVwbG95LWR1bW15LW1mYS1rZXktMDAwMzI=",  # same dummy as `make check-deploy`
    "CLIENT_HASH_KEY": "check-deploy-client-key",
    "ALLOWED_HOSTS": "portal.misty.example",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "b",
    "AWS_ACCESS_KEY_ID": "k",
    "AWS_SECRET_ACCESS_KEY": "s",
    "EMAIL_HOST": "smtp.misty.example",
    "PORTAL_BASE_URL": "https://portal.misty.example",
}


def production_env(**changes: str | None) -> dict[str, str]:
    """The process environment minus everything production reads, plus the fake values and `changes`
    (None removes a variable) — so the outer environment (CI's DATABASE_URL, REDIS_URL...) cannot leak in."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/conftest.py for Playwright; production must never have it.
    not_inherited = {*production_env_vars(), "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in not_inherited}
    env.update(FAKE_PRODUCTION_ENV)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run_probe(code: str, env: dict[str, str]) -> dict:
    """Run `code` in a fresh interpreter with `env`; it prints a JSON line of facts last."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def dotenv_defines(name: str) -> bool:
    """base.py reads a local `.env` (without overriding the environment); a developer's file may set `name`."""
    dotenv = REPO_ROOT / ".env"
    return dotenv.exists() and re.search(rf"^\s*(export\s+)?{name}\s*=", dotenv.read_text(), re.M) is not None


def test_deploy_checklist_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secrets_and_addresses_have_no_default_in_production():
    """The list the next test walks through; it must at least hold the secrets and the service addresses."""
    assert {
        "SECRET_KEY",
        "MFA_ENCRYPTION_KEY",
        "CLIENT_HASH_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_STORAGE_BUCKET_NAME",
        "EMAIL_HOST",
        "ALLOWED_HOSTS",
        "PORTAL_BASE_URL",
    } <= set(REQUIRED_IN_PRODUCTION)


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without(missing):
    if dotenv_defines(missing):
        pytest.skip(f"the local .env sets {missing}, so it cannot be missing here")

    result = run_manage("check", env=production_env(**{missing: None}))

    assert result.returncode != 0, f"production started without {missing}:\n{result.stdout}{result.stderr}"
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {missing} environment variable" in result.stderr


PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="portal.misty.example")
health = client.get("/healthz")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "PORTAL_IS_PRODUCTION": settings.PORTAL_IS_PRODUCTION,
    "HEALTHZ_CHECK_CACHE": settings.HEALTHZ_CHECK_CACHE,
    "HEALTHZ_CHECK_BROKER": settings.HEALTHZ_CHECK_BROKER,
    "PORTAL_STAFF_REQUIRE_2FA": settings.PORTAL_STAFF_REQUIRE_2FA,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "healthz_status": health.status_code,
    "healthz_failed": health.json()["failed"],
    "home_over_http": client.get("/").status_code,
    "home_over_https": client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code,
}))
"""


def test_production_checks_every_dependency_and_healthz_answers_plain_http():
    """Behind the proxy, / is redirected to HTTPS but the load balancer's plain-HTTP /healthz is not;
    with nothing listening it names the database, the cache and the broker."""
    closed = free_port()
    env = production_env(DATABASE_URL=f"postgres://u:p@127.0.0.1:{closed}/x", REDIS_URL=f"redis://127.0.0.1:{closed}/0")

    facts = run_probe(PROBE, env)
    assert facts["DEBUG"] is False
    assert facts["PORTAL_IS_PRODUCTION"] is True  # seed_demo refuses to run
    assert facts["CELERY_TASK_ALWAYS_EAGER"] is False
    assert facts["PORTAL_STAFF_REQUIRE_2FA"] is True
    assert facts["HEALTHZ_CHECK_CACHE"] is True and facts["HEALTHZ_CHECK_BROKER"] is True
    assert facts["cache_backend"] == "portal.cache.ResilientRedisCache"  # Redis: rate limits across workers
    # not cached_db: a session ended while Redis is down must not come back from the cache
    assert facts["session_engine"] == "django.contrib.sessions.backends.db"
    assert facts["healthz_status"] == 503
    assert facts["healthz_failed"] == ["database", "cache", "broker"]
    assert facts["home_over_http"] == 301
    assert facts["home_over_https"] == 302  # to the login page


COLLECTSTATIC = r"""
import sys
import django
django.setup()
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]  # before the storage is first used, so nothing lands in the checkout
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


def test_collectstatic_with_production_storage_succeeds(tmp_path):
    """What the Docker build runs: the hashed, compressed manifest must build from the committed assets."""
    result = subprocess.run(
        [sys.executable, "-c", COLLECTSTATIC, str(tmp_path)],
        cwd=REPO_ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_readme_documents_every_variable_production_reads():
    readme = (REPO_ROOT / "README.md").read_text()
    undocumented = [name for name in production_env_vars() if f"`{name}`" not in readme]
    assert not undocumented, f"add these to README.md, section Configuration: {undocumented}"


def test_compose_runs_production_settings_with_its_own_database_and_redis_and_one_beat():
    """docker-compose.yml cannot be run here; keep its contract with production.py by reading it."""
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    assert "DJANGO_SETTINGS_MODULE: portal.settings.production" in compose
    assert re.search(r"^\s+DATABASE_URL: postgres://portal:\$\{POSTGRES_PASSWORD:\?", compose, re.M)
    assert re.search(r"^\s+REDIS_URL: redis://redis:6379/0$", compose, re.M)
    assert "env_file: [.env]" in compose  # every other variable comes from the operator's .env, unset if absent
    for service in ("web", "worker", "beat", "migrate", "postgres", "redis", "mailpit"):
        assert re.search(rf"^  {service}:$", compose, re.M), f"service {service} is missing"
    assert compose.count('"beat"') == 1 and "django_celery_beat.schedulers:DatabaseScheduler" in compose
    assert re.search(r"beat:(?:\n    .*)*\n    deploy:\n      replicas: 1", compose)
    secrets_with_defaults = re.findall(r"(SECRET_KEY|PASSWORD|AWS_SECRET_ACCESS_KEY)[^\n]*:-", compose)
    assert not secrets_with_defaults


LOOPBACK_PORT = re.compile(r"""^\s*-\s*["']?(127\.0\.0\.1|\[::1\]):[^"'\s]+:\d+["']?\s*(#.*)?$""")


def compose_service_block(compose: str, service: str) -> str:
    found = re.search(rf"^  {service}:\n((?:    .*\n|\n)*)", compose, re.M)
    assert found, f"service {service} is missing"
    return found.group(1)


def published_ports(service_block: str) -> list[str]:
    """The entries of `ports:` in one service (short or long syntax: every line under it counts)."""
    found = re.search(r"^    ports:(.*)\n((?:      .*\n|\n)*)", service_block, re.M)
    if not found:
        return []
    inline, below = found.group(1).strip(), found.group(2)
    if inline:  # ports: ["127.0.0.1:8025:8025"]
        return [f"- {item.strip()}" for item in inline.strip("[]").split(",") if item.strip()]
    return [line.strip() for line in below.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_compose_publishes_web_on_loopback_only():
    """gunicorn speaks plain HTTP and the portal believes X-Forwarded-For/-Proto from its proxy: a port
    open on every interface lets anyone skip the proxy and forge the client IP and "https"."""
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    ports = published_ports(compose_service_block(compose, "web"))

    assert ports, "web publishes no port: update this test if the proxy now reaches it only over the compose network"
    open_to_all = [port for port in ports if not LOOPBACK_PORT.match(port)]
    assert not open_to_all, f'web must publish on 127.0.0.1 only, e.g. "127.0.0.1:8000:8000": {open_to_all}'


@pytest.mark.parametrize(
    "entry, loopback",
    [
        ('- "127.0.0.1:${WEB_PORT:-8000}:8000"', True),
        ("- 127.0.0.1:8000:8000", True),
        ('- "[::1]:8000:8000"', True),
        ('- "${WEB_PORT:-8000}:8000"', False),
        ('- "8000:8000"', False),
        ('- "0.0.0.0:8000:8000"', False),
        ('- "8000"', False),
        ("- target: 8000", False),
    ],
)
def test_the_loopback_rule_tells_open_ports_from_closed_ones(entry, loopback):
    assert bool(LOOPBACK_PORT.match(entry)) is loopback


def test_image_runs_gunicorn_as_a_non_root_user_without_a_control_socket():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "--no-control-socket" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "libpango-1.0-0" in dockerfile and "libpangoft2-1.0-0" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert not re.search(r"^ENV[^\n]*SECRET_KEY", dockerfile, re.M), "the build-time dummy secret must not persist"


SENTINEL_PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache_location": settings.CACHES["default"]["LOCATION"],
    "cache_master": settings.CACHES["default"]["OPTIONS"].get("sentinel_master"),
    "broker_url": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
}))
"""


def test_production_reads_a_sentinel_redis_url_for_the_cache_and_the_broker():
    env = production_env(REDIS_URL="sentinel://10.0.0.1:26379,10.0.0.2:26379/0?master=portal-redis")

    facts = run_probe(SENTINEL_PROBE, env)
    assert facts["cache_location"] == ["10.0.0.1:26379", "10.0.0.2:26379"]
    assert facts["cache_master"] == "portal-redis"
    assert facts["broker_url"] == "sentinel://10.0.0.1:26379/0;sentinel://10.0.0.2:26379/0"
    assert facts["broker_options"] == {"visibility_timeout": 3600, "master_name": "portal-redis"}
