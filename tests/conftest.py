"""Fixed personas reused by every test (STYLE.md): rep of project A (a manager there), a viewer of project A,
rep of project B, moderator, the curator of project A (a moderator), admin, director, anonymous; and the
rules for tests that need real services or a browser."""

import os
import shutil

import pytest

from accounts.models import Role
from projects.models import ProjectRight
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = ("anonymous", "rep_a", "viewer_a", "rep_b", "moderator", "curator", "admin", "director")


def need(condition: bool, reason: str, *, env_flag: str = "REQUIRE_SERVICES") -> None:
    """Skip with a reason when a real dependency is missing — or fail when CI demands it (env_flag=1)."""
    if condition:
        return
    if os.environ.get(env_flag) == "1":
        pytest.fail(f"{reason} ({env_flag}=1 forbids skipping)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language (Russian) and leaves no other one active: a test
    that needs English says so, instead of passing only after another test happened to switch."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and TOTP replay protection live in the cache: no test may inherit another's counters."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def project_a(db):
    return ProjectFactory(name="Alpha Lounge", slug="alpha")


@pytest.fixture
def project_b(db):
    return ProjectFactory(name="Beta Barbershop", slug="beta")


@pytest.fixture
def rep_a(project_a):
    user = UserFactory(email="rep@alpha.example", first_name="Alice", last_name="Alpha", role=Role.REPRESENTATIVE)
    MembershipFactory(user=user, project=project_a)
    return user


@pytest.fixture
def viewer_a(project_a):
    """A representative who may look at everything of project A and change nothing (a viewer)."""
    user = UserFactory(email="viewer@alpha.example", first_name="Vera", last_name="Viewer", role=Role.REPRESENTATIVE)
    MembershipFactory(user=user, project=project_a, right=ProjectRight.VIEWER)
    return user


@pytest.fixture
def rep_b(project_b):
    user = UserFactory(email="rep@beta.example", first_name="Bob", last_name="Beta", role=Role.REPRESENTATIVE)
    MembershipFactory(user=user, project=project_b)
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderator@misty.example", first_name="Mona", last_name="Moderator", role=Role.MODERATOR)


@pytest.fixture
def curator(project_a):
    """A moderator who curates project A (a per-object grant through django-guardian)."""
    from guardian.shortcuts import assign_perm

    user = UserFactory(email="curator@misty.example", first_name="Cora", last_name="Curator", role=Role.MODERATOR)
    assign_perm("projects.curate_project", user, project_a)
    return user


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@misty.example", first_name="Adam", last_name="Admin", role=Role.ADMIN)


@pytest.fixture
def director(db):
    return UserFactory(email="director@misty.example", first_name="Dora", last_name="Director", role=Role.DIRECTOR)


@pytest.fixture
def personas(rep_a, viewer_a, rep_b, moderator, curator, admin, director):
    return {
        "anonymous": None,
        "rep_a": rep_a,
        "viewer_a": viewer_a,
        "rep_b": rep_b,
        "moderator": moderator,
        "curator": curator,
        "admin": admin,
        "director": director,
    }


@pytest.fixture
def client_as(client, personas):
    """`client_as("rep_a")` → a test client signed in as that persona (anonymous stays signed out)."""

    def signed_in(name):
        user = personas[name]
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return signed_in


@pytest.fixture
def persona_password():
    return PASSWORD


@pytest.fixture
def page_queries(django_assert_max_num_queries):
    """`page_queries(client, url, grow=callable, data=None)`: the page's query count, checked against the one
    budget (portal.budget.MAX_QUERIES_PER_PAGE); with `grow`, the rows are added and the page must cost the
    same number of queries again (no N+1). Returns the last response."""
    from portal.budget import MAX_QUERIES_PER_PAGE

    def count(client, url, data):
        client.get(url, data)  # warm: session, caches, as on any later page
        with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE) as captured:
            response = client.get(url, data)
        assert response.status_code == 200, url
        return response, [q["sql"] for q in captured.captured_queries]

    def check(client, url, *, grow=None, data=None):
        response, first = count(client, url, data)
        if grow is not None:
            grow()
            response, second = count(client, url, data)
            assert len(second) == len(first), f"{url}: {len(first)} queries before, {len(second)} after:\n" + "\n".join(
                second
            )
        return response

    return check
