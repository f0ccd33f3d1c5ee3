"""A server never guesses its settings: gunicorn (portal.wsgi) and Celery (portal.celery) refuse to start
without DJANGO_SETTINGS_MODULE instead of running the local settings (DEBUG on, a public SECRET_KEY).
`manage.py` keeps defaulting to the local settings for developers. Every place that starts a process
(Makefile, Dockerfile, docker-compose.yml) names its settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
MISSING = "DJANGO_SETTINGS_MODULE is not set"


def run(command: list[str], **env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_changes)
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-c", "import portal.wsgi"],
        [sys.executable, "-m", "gunicorn", "--check-config", "portal.wsgi:application"],
        [sys.executable, "-m", "celery", "-A", "portal", "report"],
    ],
    ids=["wsgi", "gunicorn", "celery"],
)
def test_a_server_process_without_settings_refuses_to_start_and_says_why(command):
    result = run(command)

    assert result.returncode != 0, result.stdout
    assert MISSING in result.stderr
    assert "portal.settings.production" in result.stderr


def test_wsgi_loads_the_settings_it_is_given():
    result = run(
        [sys.executable, "-c", "import portal.wsgi; from django.conf import settings; print(settings.DEBUG)"],
        DJANGO_SETTINGS_MODULE="portal.settings.test",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_still_defaults_to_the_local_settings_for_developers():
    result = run([sys.executable, "manage.py", "diffsettings", "--all"])

    assert result.returncode == 0, result.stderr
    assert re.search(r"^SETTINGS_MODULE = 'portal\.settings\.local'", result.stdout, re.M)


def test_every_makefile_command_that_runs_the_portal_names_its_settings():
    makefile = (REPO_ROOT / "Makefile").read_text().replace("\\\n", " ")  # join continued lines
    recipes = [line.strip() for line in makefile.splitlines() if line.startswith("\t")]
    runs_portal = [line for line in recipes if re.search(r"manage\.py|pytest|celery|gunicorn", line)]

    assert runs_portal, "the Makefile no longer runs manage.py or pytest?"
    unnamed = [line for line in runs_portal if "DJANGO_SETTINGS_MODULE=portal.settings." not in line]
    assert not unnamed, f"these Makefile lines run the portal without DJANGO_SETTINGS_MODULE: {unnamed}"


def test_the_image_runs_production_settings():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()

    assert re.search(r"^\s+DJANGO_SETTINGS_MODULE=portal\.settings\.production\b", dockerfile, re.M)


def test_every_portal_container_runs_production_settings():
    """The portal services share the `x-portal` block, which sets the settings; the others are not the portal."""
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    anchor = re.search(r"^x-portal: &portal\n((?:  .*\n|\n)*)", compose, re.M)

    assert anchor and "    DJANGO_SETTINGS_MODULE: portal.settings.production" in anchor.group(1)
    for service in ("web", "worker", "beat", "migrate"):
        block = re.search(rf"^  {service}:\n((?:    .*\n|\n)*)", compose, re.M)
        assert block and "<<: *portal" in block.group(1), f"{service} does not use the x-portal settings"
