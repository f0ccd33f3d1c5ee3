"""Browser tests: pytest-playwright driving headless Debian Chromium against pytest-django's live_server.

Every test under tests/e2e/ is marked `browser`: it skips when /usr/bin/chromium is missing and fails
instead under REQUIRE_BROWSER=1 (CI). Never `playwright install`: the browser is Debian's
(`apt-get install -y chromium`).

Reuse in any e2e test:
* `page` opens at the `viewport` fixture (desktop 1280x800 unless the test parametrizes `viewport`,
  e.g. `@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])`);
* `demo_data` loads `seed_demo` (password PORTAL_DEMO_PASSWORD) into the test database;
* `login(page, email, password=...)` signs in through the real login form and returns the page;
* `live_server.url` is the site root. Both fixtures bring `transactional_db`: the server thread must
  see committed rows, so never combine them with a plain `db`.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import chromium_path, need

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    need(
        executable is not None,
        "Debian Chromium is not installed (apt-get install -y chromium)",
        env_flag="REQUIRE_BROWSER",
    )
    return {**browser_type_launch_args, "executable_path": executable, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def viewport():
    return DESKTOP


@pytest.fixture
def context(new_context, viewport, live_server):
    """The browser context, set up after the live server and its database and closed before them: a page's
    last requests (the bell's poll, a logo) must not reach the server while the test database is flushed
    (a flush racing a request fails on a foreign key)."""
    context = new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def login(live_server, transactional_db):
    """`login(page, email)`: fill and submit the real login form; returns the page after the redirect."""

    def sign_in(page, email, password=settings.PORTAL_DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        form = page.locator("form:has(input[name='login'])")
        form.locator("input[name='login']").fill(email)
        form.locator("input[name='password']").fill(password)
        with page.expect_navigation():
            form.locator("button[type='submit']").click()
        return page

    return sign_in
